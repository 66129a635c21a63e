/*
 * ngx_http_mcp_subscribe.h: resource subscriptions of legacy-era sessions
 * (ngx_http_mcp_subscribe.c) and which URIs can be subscribed to.
 */
#ifndef NGX_HTTP_MCP_SUBSCRIBE_H
#define NGX_HTTP_MCP_SUBSCRIBE_H

#include "ngx_http_mcp.h"

void ngx_http_mcp_resources_subscribe(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_resources_unsubscribe(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_subscribe_refresh(ngx_http_request_t *r, ngx_str_t *sid);

/* ngx_http_mcp_stream.c: a claimed stream listed, kept alive, refreshed */
void ngx_http_mcp_stream_attach(ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_listen.c: a subscriptions/listen stream subscribes to its
 * resourceSubscriptions as if it were a session (sid_str its own id) */
ngx_int_t ngx_http_mcp_listen_deliver(ngx_http_mcp_ctx_t *ctx, u_char *msg,
    size_t len);
void ngx_http_mcp_listen_close(ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_resources.c: whether resources/read would find uri */
ngx_int_t ngx_http_mcp_resources_known(ngx_http_request_t *r, json_t *uri);

#endif
