/*
 * ngx_http_mcp_listen.c: subscriptions/listen (2026-07-28): an SSE stream
 * that opens with notifications/subscriptions/acknowledged and stays open
 * with keep-alive comments until the client closes it.
 */
#include "ngx_http_mcp.h"

#define NGX_HTTP_MCP_LISTEN_KEEPALIVE  15000

/*
 * The filter members this server can deliver. The tool, prompt and resource
 * lists change only with the configuration (a reload ends every stream), and
 * resource subscriptions are not served: none is honoured, so the
 * acknowledgement echoes an empty subset and nothing else is ever sent.
 */
static const char  *ngx_http_mcp_listen_members[] = {
    "toolsListChanged", "promptsListChanged", "resourcesListChanged",
    "resourceSubscriptions", NULL
};


static void
ngx_http_mcp_listen_keepalive(ngx_event_t *ev)
{
    (void) ngx_http_mcp_stream_ping(ev, NGX_HTTP_MCP_LISTEN_KEEPALIVE);
}


void
ngx_http_mcp_subscriptions_listen(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    json_t      *filter, *v;
    ngx_int_t    rc;
    ngx_uint_t   i;

    filter = json_object_get(ctx->params, "notifications");

    if (!json_is_object(filter)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "Invalid params: params.notifications must be "
                           "an object", NULL);
        return;
    }

    for (i = 0; ngx_http_mcp_listen_members[i]; i++) {
        v = json_object_get(filter, ngx_http_mcp_listen_members[i]);

        if (v != NULL && (i < 3 ? !json_is_boolean(v) : !json_is_array(v))) {
            ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                               i < 3 ? "Invalid params: the list-changed "
                                       "members of params.notifications "
                                       "must be booleans"
                                     : "Invalid params: params.notifications"
                                       ".resourceSubscriptions must be an "
                                       "array",
                               NULL);
            return;
        }
    }

    rc = ngx_http_mcp_sse_start(r);
    if (rc == NGX_OK) {
        rc = ngx_http_mcp_sse_notification(r, NULL, 0,
                 "notifications/subscriptions/acknowledged",
                 json_pack("{s:{}, s:{s:O}}", "notifications", "_meta",
                           MCP_META_SUBSCRIPTION_ID, ctx->id));
    }

    if (rc == NGX_ERROR) {
        ctx->answered = 1;
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    /* the client ends the subscription by closing: notice it */
    r->read_event_handler = ngx_http_test_reading;

    ctx->keepalive.handler = ngx_http_mcp_listen_keepalive;
    ctx->keepalive.data = ctx;
    ctx->keepalive.log = r->connection->log;
    ctx->keepalive.cancelable = 1;
    ngx_add_timer(&ctx->keepalive, NGX_HTTP_MCP_LISTEN_KEEPALIVE);
}
