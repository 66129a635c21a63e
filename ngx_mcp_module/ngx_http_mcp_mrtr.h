/*
 * ngx_http_mcp_mrtr.h: the SEP-2322 conformance fixtures (multi round-trip
 * requests of the 2026-07-28 era), ngx_http_mcp_fixture_mrtr.c.
 */
#ifndef NGX_HTTP_MCP_MRTR_H
#define NGX_HTTP_MCP_MRTR_H

#include "ngx_http_mcp.h"

/* tools/call (prompt 0) or prompts/get (prompt 1) of an MRTR fixture;
 * NGX_DECLINED when the name is none of them or fixtures are off. */
ngx_int_t ngx_http_mcp_fixtures_mrtr(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, ngx_uint_t prompt);

/* Appends the MRTR fixture tools to a tools/list array. */
ngx_int_t ngx_http_mcp_fixtures_mrtr_tools(json_t *tools);

#endif
