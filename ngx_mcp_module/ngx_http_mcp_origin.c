/*
 * ngx_http_mcp_origin.c: DNS-rebinding defence: an Origin header must be an
 * allowed origin, and a loopback listener answers only loopback Host names.
 */
#include "ngx_http_mcp.h"


/* localhost, 127.0.0.1 or [::1], with an optional :port */
static ngx_int_t
ngx_http_mcp_loopback_name(u_char *p, size_t len)
{
    static const char  *names[] = { "localhost", "127.0.0.1", "[::1]", NULL };
    size_t              n;
    ngx_uint_t          i;

    for (i = 0; names[i]; i++) {
        n = ngx_strlen(names[i]);

        if (len >= n && ngx_strncasecmp(p, (u_char *) names[i], n) == 0
            && (len == n || p[n] == ':'))
        {
            return 1;
        }
    }

    return 0;
}


static ngx_int_t
ngx_http_mcp_loopback_listener(ngx_http_request_t *r)
{
    struct sockaddr  *sa;

    sa = r->connection->local_sockaddr;

    if (sa->sa_family == AF_INET) {
        return (ntohl(((struct sockaddr_in *) sa)->sin_addr.s_addr) >> 24)
               == 127;
    }

#if (NGX_HAVE_INET6)
    if (sa->sa_family == AF_INET6) {
        return IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *) sa)->sin6_addr);
    }
#endif

    return 0;
}


static ngx_int_t
ngx_http_mcp_origin_allowed(ngx_http_request_t *r, ngx_str_t *origin)
{
    ngx_str_t                *o;
    ngx_uint_t                i;
    ngx_http_mcp_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_mcp_module);

    /* without a list, only a page served from this machine may call */
    if (lcf->allowed_origins == NULL) {
        if (origin->len > 7
            && ngx_strncasecmp(origin->data, (u_char *) "http://", 7) == 0)
        {
            return ngx_http_mcp_loopback_name(origin->data + 7,
                                              origin->len - 7);
        }

        if (origin->len > 8
            && ngx_strncasecmp(origin->data, (u_char *) "https://", 8) == 0)
        {
            return ngx_http_mcp_loopback_name(origin->data + 8,
                                              origin->len - 8);
        }

        return 0;
    }

    o = lcf->allowed_origins->elts;

    for (i = 0; i < lcf->allowed_origins->nelts; i++) {
        if (o[i].len == origin->len
            && ngx_strncasecmp(o[i].data, origin->data, o[i].len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


/* NGX_OK, or NGX_DECLINED with *message saying what was refused (403). */
ngx_int_t
ngx_http_mcp_origin_check(ngx_http_request_t *r, const char **message)
{
    ngx_str_t  *origin, *host;

    if (ngx_http_mcp_loopback_listener(r)) {
        host = r->headers_in.host ? &r->headers_in.host->value : NULL;

        if (host == NULL
            || !ngx_http_mcp_loopback_name(host->data, host->len))
        {
            *message = "Forbidden: invalid Host header";
            return NGX_DECLINED;
        }
    }

    origin = ngx_http_mcp_header(r, "Origin", 6);

    if (origin != NULL && !ngx_http_mcp_origin_allowed(r, origin)) {
        *message = "Forbidden: invalid Origin header";
        return NGX_DECLINED;
    }

    return NGX_OK;
}


/* mcp_allowed_origins <origin>...: exact scheme://host[:port] strings. */
char *
ngx_http_mcp_allowed_origins_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_mcp_loc_conf_t  *lcf = conf;

    ngx_str_t   *value, *o;
    ngx_uint_t   i;

    if (lcf->allowed_origins != NULL) {
        return "is duplicate";
    }

    lcf->allowed_origins = ngx_array_create(cf->pool, cf->args->nelts - 1,
                                            sizeof(ngx_str_t));
    if (lcf->allowed_origins == NULL) {
        return NGX_CONF_ERROR;
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        if (ngx_strlchr(value[i].data, value[i].data + value[i].len, '/')
            == NULL
            || value[i].data[value[i].len - 1] == '/')
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "mcp_allowed_origins: \"%V\" is not "
                               "scheme://host[:port]", &value[i]);
            return NGX_CONF_ERROR;
        }

        o = ngx_array_push(lcf->allowed_origins);
        if (o == NULL) {
            return NGX_CONF_ERROR;
        }

        *o = value[i];
    }

    return NGX_CONF_OK;
}
