/*
 * ngx_http_mcp_ask.h: server-to-client requests (sampling/createMessage,
 * elicitation/create) on a POST's SSE stream; the answer may reach any worker.
 */
#ifndef NGX_HTTP_MCP_ASK_H
#define NGX_HTTP_MCP_ASK_H

#include "ngx_http_mcp.h"

/* the client's JSON-RPC response (result or error), NULL when it did not
 * answer in time */
typedef void (*ngx_http_mcp_ask_pt)(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, json_t *response, void *data);

/* Whether the session's client declared capability (e.g. "sampling"). */
ngx_int_t ngx_http_mcp_ask_capable(ngx_http_mcp_ctx_t *ctx,
    const char *capability);

/*
 * Sends method with params (stolen) to the client on the request's SSE
 * stream and calls handler with its answer; answers the request itself when
 * Redis is unavailable.
 */
void ngx_http_mcp_ask(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const char *method, json_t *params, ngx_http_mcp_ask_pt handler,
    void *data);

/* A POSTed client response: routed to the stream that asked, then 202. */
void ngx_http_mcp_ask_reply(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);

/* A worker-channel message "ask:<id>:<response>"; NGX_DECLINED if not. */
ngx_int_t ngx_http_mcp_ask_notified(u_char *msg, size_t len);

#endif
