/*
 * ngx_http_mcp_subscribe.c: resources/subscribe and resources/unsubscribe:
 * the session's URIs and each URI's sessions, kept in Redis (keys.h).
 */
#include "ngx_http_mcp_subscribe.h"
#include "../shared/protocol/updated.h"

/* a URI's subscriber set outlives any one session; stale members are
 * dropped by the publisher */
#define NGX_HTTP_MCP_SUBSCRIBERS_TTL  "604800"


static void
ngx_http_mcp_subscribe_done(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    ngx_http_mcp_result(r, ctx->id, json_object());
}


/* The URI of params.uri when the server serves it, else answers. */
static json_t *
ngx_http_mcp_subscribe_uri(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    json_t  *uri;

    uri = json_object_get(ctx->params, "uri");

    if (!json_is_string(uri) || json_string_length(uri) == 0
        || json_string_length(uri) > MCP_SUBSCRIBE_URI_MAX)
    {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.uri: required string of at most 1024 "
                           "characters", NULL);
        return NULL;
    }

    if (!ngx_http_mcp_resources_known(r, uri)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_RESOURCE_NOT_FOUND, 0,
                           "Resource not found",
                           json_pack("{s:O}", "uri", uri));
        return NULL;
    }

    return uri;
}


/*
 * MULTI, S<op> of the URI in the session's set and of the session in the
 * URI's set (with their TTLs on subscribe), EXEC; answered on EXEC.
 */
static void
ngx_http_mcp_subscribe_update(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const char *op)
{
    char                      subscribers[MCP_KEY_MAX];
    u_char                    subs[MCP_KEY_MAX], sid[NGX_HTTP_MCP_SESSION_ID_LEN
                                                     + 1];
    u_char                    ttl[NGX_TIME_T_LEN];
    json_t                   *uri;
    size_t                    subs_len, subscribers_len, ttl_len;
    ngx_int_t                 add;
    const char               *argv[3];
    size_t                    argvlen[3];
    ngx_http_mcp_loc_conf_t  *lcf;

    uri = ngx_http_mcp_subscribe_uri(r, ctx);
    if (uri == NULL) {
        return;
    }

    subscribers_len = mcp_subscribers_key(subscribers, sizeof(subscribers),
                                          json_string_value(uri),
                                          json_string_length(uri));
    if (subscribers_len == 0) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error: cannot hash the URI", NULL);
        return;
    }

    ngx_memcpy(sid, ctx->session.data, NGX_HTTP_MCP_SESSION_ID_LEN);
    sid[NGX_HTTP_MCP_SESSION_ID_LEN] = '\0';
    subs_len = ngx_snprintf(subs, sizeof(subs), MCP_KEY_SUBS_FMT, sid) - subs;

    lcf = ngx_http_get_module_loc_conf(r, ngx_mcp_module);
    ttl_len = ngx_sprintf(ttl, "%T", lcf->session_ttl) - ttl;
    add = (op[1] == 'A');

    argv[0] = "MULTI";
    argvlen[0] = 5;

    if (ngx_http_mcp_redis_fire(1, argv, argvlen) != NGX_OK) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    argv[0] = op;
    argvlen[0] = 4;
    argv[1] = (char *) subs;
    argvlen[1] = subs_len;
    argv[2] = json_string_value(uri);
    argvlen[2] = json_string_length(uri);
    (void) ngx_http_mcp_redis_fire(3, argv, argvlen);

    argv[1] = subscribers;
    argvlen[1] = subscribers_len;
    argv[2] = (char *) sid;
    argvlen[2] = NGX_HTTP_MCP_SESSION_ID_LEN;
    (void) ngx_http_mcp_redis_fire(3, argv, argvlen);

    if (add) {
        argv[0] = "EXPIRE";
        argvlen[0] = 6;
        argv[1] = (char *) subs;
        argvlen[1] = subs_len;
        argv[2] = (char *) ttl;
        argvlen[2] = ttl_len;
        (void) ngx_http_mcp_redis_fire(3, argv, argvlen);

        argv[1] = subscribers;
        argvlen[1] = subscribers_len;
        argv[2] = NGX_HTTP_MCP_SUBSCRIBERS_TTL;
        argvlen[2] = sizeof(NGX_HTTP_MCP_SUBSCRIBERS_TTL) - 1;
        (void) ngx_http_mcp_redis_fire(3, argv, argvlen);
    }

    /* a command lost above makes EXEC fail: the client gets an error */
    argv[0] = "EXEC";
    argvlen[0] = 4;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_subscribe_done, 1,
                                   argv, argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}


void
ngx_http_mcp_resources_subscribe(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_subscribe_update(r, ctx, "SADD");
}


void
ngx_http_mcp_resources_unsubscribe(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_subscribe_update(r, ctx, "SREM");
}


/* The session's subscriptions live as long as its GET stream is open. */
void
ngx_http_mcp_subscribe_refresh(ngx_http_request_t *r, ngx_str_t *sid)
{
    u_char                    subs[MCP_KEY_MAX], ttl[NGX_TIME_T_LEN];
    const char               *argv[3];
    size_t                    argvlen[3];
    ngx_http_mcp_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_mcp_module);

    argv[0] = "EXPIRE";
    argvlen[0] = 6;
    argv[1] = (char *) subs;
    argvlen[1] = ngx_snprintf(subs, sizeof(subs), MCP_KEY_SUBS_FMT "%Z",
                              sid->data)
                 - subs - 1;
    argv[2] = (char *) ttl;
    argvlen[2] = ngx_sprintf(ttl, "%T", lcf->session_ttl) - ttl;

    (void) ngx_http_mcp_redis_fire(3, argv, argvlen);
}
