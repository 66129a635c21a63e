/*
 * ngx_http_mcp_jwks_timer.c: mcp_auth_jwks_prefetch: a per-worker timer
 * fetches the JWKS over plain HTTP (non-blocking) at start and every refresh.
 */
#include "ngx_http_mcp_auth_conf.h"

#define NGX_HTTP_MCP_JWKS_TIMER_MAX      (1024 * 1024)
#define NGX_HTTP_MCP_JWKS_TIMER_TIMEOUT  5000

/* after success every mcp_auth_jwks_refresh, after a failure sooner */
#define NGX_HTTP_MCP_JWKS_EVERY(t)                                           \
    ((ngx_msec_t) ngx_max((t)->alcf->jwks_refresh, 1) * 1000)
#define NGX_HTTP_MCP_JWKS_RETRY(t)                                           \
    ((ngx_msec_t) ngx_max((t)->alcf->jwks_min_refresh, 1) * 1000)

typedef struct {
    ngx_http_mcp_auth_loc_conf_t  *alcf;
    ngx_event_t                    timer;
    ngx_peer_connection_t          pc;
    ngx_pool_t                    *pool;    /* of the fetch in flight */
    ngx_buf_t                     *out;     /* the request */
    ngx_buf_t                     *in;      /* the answer */
    ngx_log_t                     *log;
} ngx_http_mcp_jwks_timer_t;

static void ngx_http_mcp_jwks_timer_fire(ngx_event_t *ev);

char *
ngx_http_mcp_jwks_prefetch(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_mcp_auth_loc_conf_t  *alcf = conf;

    ngx_str_t  *value;
    ngx_url_t  *u;

    if (alcf->prefetch != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strncmp(value[1].data, "http://", 7) != 0) {
        return "must be a http:// URL (a loopback server that proxies to "
               "the IdP with proxy_ssl_verify)";
    }

    u = ngx_pcalloc(cf->pool, sizeof(ngx_url_t));
    if (u == NULL) {
        return NGX_CONF_ERROR;
    }

    u->url.data = value[1].data + 7;
    u->url.len = value[1].len - 7;
    u->default_port = 80;
    u->uri_part = 1;

    if (ngx_parse_url(cf->pool, u) != NGX_OK || u->naddrs == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "%s in \"%V\"",
                           u->err ? u->err : "no address", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (u->uri.len == 0) {
        ngx_str_set(&u->uri, "/");
    }

    alcf->prefetch = u;

    return NGX_CONF_OK;
}

/* Remembers a key store to refresh by timer (once per store). */
ngx_int_t
ngx_http_mcp_jwks_timer_register(ngx_conf_t *cf,
    ngx_http_mcp_auth_loc_conf_t *alcf)
{
    ngx_http_mcp_auth_loc_conf_t   **p;
    ngx_http_mcp_auth_main_conf_t   *amcf;

    amcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_mcp_auth_module);

    p = ngx_array_push(amcf->prefetches);
    if (p == NULL) {
        return NGX_ERROR;
    }

    *p = alcf;

    return NGX_OK;
}

static void
ngx_http_mcp_jwks_timer_next(ngx_http_mcp_jwks_timer_t *t, ngx_msec_t after)
{
    if (t->pc.connection != NULL) {
        ngx_close_connection(t->pc.connection);
        t->pc.connection = NULL;
    }

    if (t->pool != NULL) {
        ngx_destroy_pool(t->pool);
        t->pool = NULL;
    }

    if (!ngx_exiting && !ngx_terminate && !ngx_quit) {
        ngx_add_timer(&t->timer, after);
    }
}

/* "HTTP/1.x 200 ...\r\n...\r\n\r\n<JWKS>": the keys replace the old ones */
static void
ngx_http_mcp_jwks_timer_done(ngx_http_mcp_jwks_timer_t *t)
{
    char                           err[256];
    u_char                        *body;
    ngx_buf_t                     *b = t->in;
    ngx_http_mcp_jwks_t            jwks;
    ngx_http_mcp_auth_keys_t      *keys = t->alcf->fetched;

    body = ngx_strlcasestrn(b->pos, b->last, (u_char *) "\r\n\r\n", 4 - 1);

    if (b->last - b->pos < 12 || ngx_strncmp(b->pos, "HTTP/1.", 7) != 0
        || ngx_strncmp(b->pos + 8, " 200", 4) != 0 || body == NULL)
    {
        ngx_log_error(NGX_LOG_ERR, t->log, 0, "mcp auth: JWKS prefetch from "
                      "\"%V\" answered \"%*s\"", &t->alcf->prefetch->url,
                      ngx_min(b->last - b->pos, 12), b->pos);
        return;
    }

    body += 4;

    if (ngx_http_mcp_jwks_parse((const char *) body, b->last - body, &jwks,
                                err, sizeof(err))
        != 0)
    {
        ngx_log_error(NGX_LOG_ERR, t->log, 0, "mcp auth: JWKS from \"%V\" "
                      "refused: %s", &t->alcf->prefetch->url, err);
        return;
    }

    ngx_http_mcp_jwks_free(&keys->jwks);
    keys->jwks = jwks;
    keys->fetched = ngx_time();

    ngx_log_error(NGX_LOG_INFO, t->log, 0, "mcp auth: %uz keys prefetched "
                  "from \"%V\"", jwks.nkeys, &t->alcf->prefetch->url);
}

static void
ngx_http_mcp_jwks_timer_read(ngx_event_t *rev)
{
    ssize_t                     n;
    ngx_connection_t           *c = rev->data;
    ngx_http_mcp_jwks_timer_t  *t = c->data;

    if (rev->timedout) {
        ngx_log_error(NGX_LOG_ERR, t->log, NGX_ETIMEDOUT, "mcp auth: JWKS "
                      "prefetch from \"%V\" timed out",
                      &t->alcf->prefetch->url);
        ngx_http_mcp_jwks_timer_next(t, NGX_HTTP_MCP_JWKS_RETRY(t));
        return;
    }

    for ( ;; ) {
        if (t->in->last == t->in->end) {
            ngx_log_error(NGX_LOG_ERR, t->log, 0, "mcp auth: JWKS from "
                          "\"%V\" is larger than 1 MB",
                          &t->alcf->prefetch->url);
            ngx_http_mcp_jwks_timer_next(t, NGX_HTTP_MCP_JWKS_RETRY(t));
            return;
        }

        n = c->recv(c, t->in->last, t->in->end - t->in->last);

        if (n > 0) {
            t->in->last += n;
            continue;
        }

        if (n == NGX_AGAIN) {
            if (!rev->timer_set) {
                ngx_add_timer(rev, NGX_HTTP_MCP_JWKS_TIMER_TIMEOUT);
            }

            if (ngx_handle_read_event(rev, 0) != NGX_OK) {
                ngx_http_mcp_jwks_timer_next(t,
                                             NGX_HTTP_MCP_JWKS_RETRY(t));
            }

            return;
        }

        break;
    }

    /* n == 0: the server closed after the answer (HTTP/1.0) */
    if (n == 0) {
        ngx_http_mcp_jwks_timer_done(t);
    }

    ngx_http_mcp_jwks_timer_next(t, n == 0 ? NGX_HTTP_MCP_JWKS_EVERY(t)
                                           : NGX_HTTP_MCP_JWKS_RETRY(t));
}

static void
ngx_http_mcp_jwks_timer_write(ngx_event_t *wev)
{
    ssize_t                     n;
    ngx_connection_t           *c = wev->data;
    ngx_http_mcp_jwks_timer_t  *t = c->data;

    if (wev->timedout) {
        ngx_log_error(NGX_LOG_ERR, t->log, NGX_ETIMEDOUT, "mcp auth: JWKS "
                      "prefetch connection to \"%V\" timed out",
                      &t->alcf->prefetch->url);
        ngx_http_mcp_jwks_timer_next(t, NGX_HTTP_MCP_JWKS_RETRY(t));
        return;
    }

    while (t->out->pos < t->out->last) {
        n = c->send(c, t->out->pos, t->out->last - t->out->pos);

        if (n == NGX_AGAIN) {
            if (!wev->timer_set) {
                ngx_add_timer(wev, NGX_HTTP_MCP_JWKS_TIMER_TIMEOUT);
            }

            if (ngx_handle_write_event(wev, 0) != NGX_OK) {
                ngx_http_mcp_jwks_timer_next(t,
                                             NGX_HTTP_MCP_JWKS_RETRY(t));
            }

            return;
        }

        if (n <= 0) {
            ngx_http_mcp_jwks_timer_next(t, NGX_HTTP_MCP_JWKS_RETRY(t));
            return;
        }

        t->out->pos += n;
    }

    if (wev->timer_set) {
        ngx_del_timer(wev);
    }

    wev->handler = ngx_http_empty_handler;
    ngx_http_mcp_jwks_timer_read(c->read);
}

static void
ngx_http_mcp_jwks_timer_fire(ngx_event_t *ev)
{
    ngx_int_t                   rc;
    ngx_url_t                  *u;
    ngx_connection_t           *c;
    ngx_http_mcp_jwks_timer_t  *t = ev->data;

    u = t->alcf->prefetch;

    t->pool = ngx_create_pool(4096, t->log);
    if (t->pool == NULL) {
        ngx_http_mcp_jwks_timer_next(t, NGX_HTTP_MCP_JWKS_RETRY(t));
        return;
    }

    t->in = ngx_create_temp_buf(t->pool, NGX_HTTP_MCP_JWKS_TIMER_MAX);
    t->out = ngx_create_temp_buf(t->pool, sizeof("GET  HTTP/1.0\r\nHost: "
                                 "\r\nAccept: application/json\r\nUser-Agent:"
                                 " routeros-mcp-jwks-prefetch\r\n\r\n")
                                 + u->uri.len + u->host.len + 8);
    if (t->in == NULL || t->out == NULL) {
        ngx_http_mcp_jwks_timer_next(t, NGX_HTTP_MCP_JWKS_RETRY(t));
        return;
    }

    t->out->last = ngx_sprintf(t->out->last, "GET %V HTTP/1.0\r\nHost: %V"
                               "\r\nAccept: application/json\r\nUser-Agent: "
                               "routeros-mcp-jwks-prefetch\r\n\r\n",
                               &u->uri, &u->host);

    ngx_memzero(&t->pc, sizeof(ngx_peer_connection_t));
    t->pc.sockaddr = u->addrs[0].sockaddr;
    t->pc.socklen = u->addrs[0].socklen;
    t->pc.name = &u->addrs[0].name;
    t->pc.get = ngx_event_get_peer;
    t->pc.log = t->log;
    t->pc.log_error = NGX_ERROR_ERR;

    rc = ngx_event_connect_peer(&t->pc);

    if (rc == NGX_ERROR || rc == NGX_BUSY || rc == NGX_DECLINED) {
        ngx_log_error(NGX_LOG_ERR, t->log, 0, "mcp auth: cannot connect to "
                      "\"%V\" for the JWKS", &u->url);
        t->pc.connection = NULL;
        ngx_http_mcp_jwks_timer_next(t, NGX_HTTP_MCP_JWKS_RETRY(t));
        return;
    }

    c = t->pc.connection;
    c->data = t;
    c->pool = t->pool;
    c->read->handler = ngx_http_mcp_jwks_timer_read;
    c->write->handler = ngx_http_mcp_jwks_timer_write;

    if (rc == NGX_AGAIN) {
        ngx_add_timer(c->write, NGX_HTTP_MCP_JWKS_TIMER_TIMEOUT);
        return;
    }

    ngx_http_mcp_jwks_timer_write(c->write);
}

ngx_int_t
ngx_http_mcp_jwks_timer_init_process(ngx_cycle_t *cycle)
{
    ngx_uint_t                       i;
    ngx_http_mcp_jwks_timer_t       *t;
    ngx_http_mcp_auth_loc_conf_t   **alcf;
    ngx_http_mcp_auth_main_conf_t   *amcf;

    if (ngx_process != NGX_PROCESS_WORKER
        && ngx_process != NGX_PROCESS_SINGLE)
    {
        return NGX_OK;
    }

    amcf = ngx_http_cycle_get_module_main_conf(cycle,
                                               ngx_http_mcp_auth_module);
    if (amcf == NULL) {
        return NGX_OK;
    }

    alcf = amcf->prefetches->elts;

    for (i = 0; i < amcf->prefetches->nelts; i++) {
        t = ngx_pcalloc(cycle->pool, sizeof(ngx_http_mcp_jwks_timer_t));
        if (t == NULL) {
            return NGX_ERROR;
        }

        t->alcf = alcf[i];
        t->log = cycle->log;
        t->timer.handler = ngx_http_mcp_jwks_timer_fire;
        t->timer.data = t;
        t->timer.log = cycle->log;
        t->timer.cancelable = 1;

        /* the first fetch right away: no request waits for keys */
        ngx_add_timer(&t->timer, 1);
    }

    return NGX_OK;
}
