/*
 * ngx_http_mcp_logging.c: logging/setLevel: the RFC 5424 levels, the level
 * kept in the session, and the check a log record passes to be forwarded.
 */
#include "ngx_http_mcp.h"

/* The level's rank, or NGX_ERROR for a name that is no level. */
ngx_int_t
ngx_http_mcp_log_level(json_t *name)
{
    int  rank;

    rank = json_is_string(name) ? mcp_log_level_rank(json_string_value(name))
                                : -1;

    return rank < 0 ? NGX_ERROR : rank;
}


static void
ngx_http_mcp_level_stored(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if (reply->type != REDIS_REPLY_STATUS) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return;
    }

    ngx_http_mcp_result(r, ctx->id, json_object());
}


/* The session keeps its TTL; XX: a session deleted meanwhile stays gone. */
void
ngx_http_mcp_logging_set_level(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    char        *value;
    u_char       key[MCP_KEY_MAX], sid[NGX_HTTP_MCP_SESSION_ID_LEN + 1];
    json_t      *level;
    ngx_int_t    rc;
    const char  *argv[5];
    size_t       argvlen[5];

    level = json_object_get(ctx->params, "level");

    if (ngx_http_mcp_log_level(level) == NGX_ERROR) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.level: must be one of debug, info, "
                           "notice, warning, error, critical, alert, "
                           "emergency", NULL);
        return;
    }

    if (ctx->session_data == NULL
        || json_object_set(ctx->session_data, "log_level", level) != 0)
    {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, 0,
                           "Internal error", NULL);
        return;
    }

    value = json_dumps(ctx->session_data, JSON_COMPACT);
    if (value == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ngx_memcpy(sid, ctx->session.data, NGX_HTTP_MCP_SESSION_ID_LEN);
    sid[NGX_HTTP_MCP_SESSION_ID_LEN] = '\0';

    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_snprintf(key, sizeof(key), MCP_KEY_SESSION_FMT, sid)
                 - key;
    argv[2] = value;
    argvlen[2] = ngx_strlen(value);
    argv[3] = "KEEPTTL";
    argvlen[3] = 7;
    argv[4] = "XX";
    argvlen[4] = 2;

    rc = ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_level_stored, 5,
                                    argv, argvlen);
    free(value);

    if (rc != NGX_OK) {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}
