/*
 * ngx_http_mcp_log_notify.c: the client's logging level a job carries, and
 * the agent's "log" records sent as notifications/message at or above it.
 */
#include "ngx_http_mcp.h"


/* The level set by logging/setLevel in the session; NULL: no logging. */
static json_t *
ngx_http_mcp_log_notify_want(ngx_http_mcp_ctx_t *ctx)
{
    json_t  *v;

    v = json_object_get(ctx->session_data, "log_level");

    return ngx_http_mcp_log_level(v) == NGX_ERROR ? NULL : v;
}


const char *
ngx_http_mcp_log_notify_level(ngx_http_mcp_ctx_t *ctx)
{
    json_t  *v;

    v = ngx_http_mcp_log_notify_want(ctx);

    return v ? json_string_value(v) : NULL;
}


/*
 * A "log" record {"level","logger"?,"data"} of the job: an event of the
 * request's stream when its level reaches the client's.
 */
ngx_int_t
ngx_http_mcp_log_notify(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *data, u_char *event_id, size_t event_id_len)
{
    json_t     *want, *level, *params;
    ngx_int_t   rank;

    want = ngx_http_mcp_log_notify_want(ctx);
    level = json_object_get(data, "level");
    rank = ngx_http_mcp_log_level(level);

    if (!ctx->streaming || want == NULL || rank == NGX_ERROR
        || rank < ngx_http_mcp_log_level(want)
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
