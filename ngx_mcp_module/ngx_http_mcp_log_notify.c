/*
 * ngx_http_mcp_log_notify.c: the client's logging level a job carries, and
 * the agent's "log" records sent as notifications/message at or above it.
 */
#include "ngx_http_mcp.h"
#include "../shared/protocol/levels.h"


/*
 * A 2026-07-28 request's _meta logLevel, else the level logging/setLevel
 * kept in the session; NULL: no logging.
 */
const char *
ngx_http_mcp_log_notify_level(ngx_http_mcp_ctx_t *ctx)
{
    json_t  *v;

    if (ctx->log_level != NULL) {
        return ctx->log_level;
    }

    v = json_object_get(ctx->session_data, "log_level");

    return (json_is_string(v) && mcp_log_level_rank(json_string_value(v)) >= 0)
           ? json_string_value(v) : NULL;
}


/*
 * A "log" record {"level","logger"?,"data"} of the job: an event of the
 * request's stream when its level reaches the client's.
 */
ngx_int_t
ngx_http_mcp_log_notify(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *data, u_char *event_id, size_t event_id_len)
{
    int          rank;
    json_t      *level, *params;
    const char  *want;

    want = ngx_http_mcp_log_notify_level(ctx);
    level = json_object_get(data, "level");
    rank = json_is_string(level) ? mcp_log_level_rank(json_string_value(level))
                                 : -1;

    if (!ctx->streaming || want == NULL || rank < 0
        || rank < mcp_log_level_rank(want)
        || json_object_get(data, "data") == NULL)
    {
        return NGX_OK;
    }

    params = json_pack("{s:O, s:O}", "level", level,
                       "data", json_object_get(data, "data"));
    if (params == NULL) {
        return NGX_ERROR;
    }

    if (json_is_string(json_object_get(data, "logger"))) {
        json_object_set(params, "logger", json_object_get(data, "logger"));
    }

    return ngx_http_mcp_sse_notification(r, event_id, event_id_len,
                                         "notifications/message", params);
}
