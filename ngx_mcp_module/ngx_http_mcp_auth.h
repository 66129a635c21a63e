/*
 * ngx_http_mcp_auth.h: what the MCP handler may ask of the edge-security
 * modules (bearer tokens, rate limits) about the current request.
 */
#ifndef NGX_HTTP_MCP_AUTH_H
#define NGX_HTTP_MCP_AUTH_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include "../shared/catalog/catalog.h"

typedef struct {
    ngx_str_t    subject;        /* token "sub", or "anonymous" when auth is off */
    mcp_tier_t   max_tier;       /* highest tier the token's scopes allow */
    ngx_uint_t   authenticated;  /* 1 when a token was validated */
} ngx_http_mcp_identity_t;

/*
 * The identity the access phase established for r. Never NULL: with auth off
 * it is {"anonymous", MCP_TIER_PROFESSIONAL, 0}.
 */
const ngx_http_mcp_identity_t *ngx_http_mcp_identity(ngx_http_request_t *r);

/*
 * Charges one call of tool (with its validated arguments) against the rate
 * limits configured for r's location. NGX_OK: allowed. NGX_BUSY: limited, and
 * *retry_after_ms says when to retry. NGX_ERROR: internal failure.
 */
ngx_int_t ngx_http_mcp_ratelimit_charge(ngx_http_request_t *r,
    const mcp_tool_t *tool, const json_t *arguments,
    ngx_msec_t *retry_after_ms);

#endif
