/*
 * ngx_http_mcp_ratelimit.h: the leaky-bucket limiter's entry points besides
 * ngx_http_mcp_ratelimit_charge (declared in ngx_http_mcp_auth.h).
 */
#ifndef NGX_HTTP_MCP_RATELIMIT_H
#define NGX_HTTP_MCP_RATELIMIT_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

/*
 * Charges a plain HTTP request against the location's "http" rules (run at
 * the end of the access phase, after the bearer token): NGX_DECLINED when
 * allowed, else 429 with Retry-After set.
 */
ngx_int_t ngx_http_mcp_ratelimit_http(ngx_http_request_t *r);

#endif
