/*
 * ngx_http_mcp_health.c: the "mcp_health;" location: 200 only when Redis
 * answers, an agent heartbeat is fresh and that agent reaches PostgreSQL.
 */
#include <stdio.h>
#include "ngx_http_mcp.h"

#define NGX_HTTP_MCP_HEALTH_AGENTS  8

static char *ngx_http_mcp_health(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

static ngx_command_t  ngx_http_mcp_health_commands[] = {

    { ngx_string("mcp_health"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_mcp_health,
      0,
      0,
      NULL },

      ngx_null_command
};

static ngx_http_module_t  ngx_http_mcp_health_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */
    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */
    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */
    NULL,                                  /* create location configuration */
    NULL                                   /* merge location configuration */
};

ngx_module_t  ngx_http_mcp_health_module = {
    NGX_MODULE_V1,
    &ngx_http_mcp_health_module_ctx,       /* module context */
    ngx_http_mcp_health_commands,          /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};

/* Sends the verdict; down names the failing dependency or is NULL. */
static ngx_int_t
ngx_http_mcp_health_send(ngx_http_request_t *r, const char *down,
    ngx_uint_t agents)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    b = ngx_create_temp_buf(r->pool, 128);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (down == NULL) {
        b->last = ngx_sprintf(b->last, "{\"status\":\"ok\",\"redis\":\"ok\","
                              "\"agents\":%ui,\"postgresql\":\"ok\"}\n",
                              agents);
        r->headers_out.status = NGX_HTTP_OK;

    } else {
        b->last = ngx_sprintf(b->last, "{\"status\":\"down\","
                              "\"down\":[\"%s\"],\"agents\":%ui}\n",
                              down, agents);
        r->headers_out.status = NGX_HTTP_SERVICE_UNAVAILABLE;
    }

    r->headers_out.content_length_n = b->last - b->pos;
    ngx_str_set(&r->headers_out.content_type, "application/json");
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b->last_buf = 1;
    b->last_in_chain = 1;
    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}

/* A heartbeat {"pg":"ok","ts":ms,...} counts if recent and pg is "ok". */
static ngx_uint_t
ngx_http_mcp_health_agent_ok(redisReply *hb, ngx_uint_t *fresh)
{
    json_t      *doc;
    const char  *pg;
    ngx_uint_t   ok;
    double       ts, now;
    ngx_time_t  *tp;

    if (hb->type != REDIS_REPLY_STRING) {
        return 0;
    }

    doc = json_loadb(hb->str, hb->len, 0, NULL);
    if (doc == NULL) {
        return 0;
    }

    tp = ngx_timeofday();
    now = (double) tp->sec * 1000 + tp->msec;
    ts = json_number_value(json_object_get(doc, "ts"));

    pg = json_string_value(json_object_get(doc, "pg"));

    ok = 0;
    if (now - ts <= MCP_AGENT_HEARTBEAT_TTL_S * 1000) {
        (*fresh)++;
        ok = (pg != NULL && ngx_strcmp(pg, "ok") == 0);
    }

    json_decref(doc);

    return ok;
}

static void
ngx_http_mcp_health_heartbeats(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    size_t      i;
    ngx_uint_t  fresh, pg;

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        ngx_http_finalize_request(r, ngx_http_mcp_health_send(r, "redis", 0));
        return;
    }

    fresh = 0;
    pg = 0;

    for (i = 0; i < reply->elements; i++) {
        pg += ngx_http_mcp_health_agent_ok(reply->element[i], &fresh);
    }

    ngx_http_finalize_request(r, ngx_http_mcp_health_send(r,
        fresh == 0 ? "agent" : (pg == 0 ? "postgresql" : NULL), fresh));
}

static void
ngx_http_mcp_health_agents(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    size_t       i, n;
    ngx_int_t    rc;
    const char  *argv[1 + NGX_HTTP_MCP_HEALTH_AGENTS];
    size_t       argvlen[1 + NGX_HTTP_MCP_HEALTH_AGENTS];
    u_char      *key;
    char         id[65];

    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        ngx_http_finalize_request(r, ngx_http_mcp_health_send(r, "redis", 0));
        return;
    }

    if (reply->elements == 0) {
        ngx_http_finalize_request(r, ngx_http_mcp_health_send(r, "agent", 0));
        return;
    }

    argv[0] = "MGET";
    argvlen[0] = 4;
    n = 1;

    for (i = 0; i < reply->elements && i < NGX_HTTP_MCP_HEALTH_AGENTS; i++) {
        if (reply->element[i]->type != REDIS_REPLY_STRING
            || reply->element[i]->len > 64)
        {
            continue;
        }

        key = ngx_pnalloc(r->pool, MCP_KEY_MAX);
        if (key == NULL) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
            return;
        }

        /* agent ids are at most 64 bytes, so the key always fits */
        ngx_memcpy(id, reply->element[i]->str, reply->element[i]->len);
        id[reply->element[i]->len] = '\0';
        argv[n] = (const char *) key;
        argvlen[n] = (size_t) snprintf((char *) key, MCP_KEY_MAX,
                                       MCP_KEY_AGENT_FMT, id);
        n++;
    }

    rc = ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_health_heartbeats,
                                    (int) n, argv, argvlen);
    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, ngx_http_mcp_health_send(r, "redis", 0));
    }
}

/* A client gone before Redis answers must not be touched by the reply. */
static void
ngx_http_mcp_health_cleanup(void *data)
{
    ngx_http_mcp_ctx_t  *ctx = data;

    if (ctx->waiter != NULL) {
        ctx->waiter->request = NULL;
    }
}

static ngx_int_t
ngx_http_mcp_health_handler(ngx_http_request_t *r)
{
    ngx_int_t            rc;
    ngx_pool_cleanup_t  *cln;
    ngx_http_mcp_ctx_t  *ctx;
    static const char   *argv[] = { "ZREVRANGE", MCP_KEY_AGENTS, "0", "7" };
    static const size_t  argvlen[] = { 9, sizeof(MCP_KEY_AGENTS) - 1, 1, 1 };

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    if (!ngx_http_mcp_redis_ready()) {
        return ngx_http_mcp_health_send(r, "redis", 0);
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mcp_ctx_t));
    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (ctx == NULL || cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ngx_http_set_ctx(r, ctx, ngx_mcp_module);
    cln->handler = ngx_http_mcp_health_cleanup;
    cln->data = ctx;

    rc = ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_health_agents, 4,
                                    argv, argvlen);
    if (rc != NGX_OK) {
        return ngx_http_mcp_health_send(r, "redis", 0);
    }

    r->main->count++;

    return NGX_DONE;
}

static char *
ngx_http_mcp_health(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_mcp_health_handler;

    return NGX_CONF_OK;
}
