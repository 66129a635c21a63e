/*
 * ngx_http_mcp_fixtures.h: the conformance suite's fixtures (tools,
 * resources, prompts, completion), served under "mcp_conformance_fixtures".
 */
#ifndef NGX_HTTP_MCP_FIXTURES_H
#define NGX_HTTP_MCP_FIXTURES_H

#include "ngx_http_mcp.h"

/* a 1x1 PNG, base64 */
#define NGX_HTTP_MCP_FIXTURE_PNG                                             \
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAF"   \
    "AAH/iZk9HQAAAABJRU5ErkJggg=="

/* ngx_http_mcp_fixture_resources.c */
ngx_int_t ngx_http_mcp_fixtures_list_resources(json_t *list,
    ngx_uint_t templates);
ngx_int_t ngx_http_mcp_fixtures_read(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, json_t *uri);
ngx_int_t ngx_http_mcp_fixtures_resource(const u_char *uri, size_t len);

/* ngx_http_mcp_fixture_ask.c */
ngx_int_t ngx_http_mcp_fixtures_ask_tools(json_t *tools);
ngx_int_t ngx_http_mcp_fixtures_ask_call(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, json_t *name);

/* ngx_http_mcp_fixture_prompts.c */
json_t *ngx_http_mcp_fixtures_prompts_list(json_t *listed);
json_t *ngx_http_mcp_fixtures_prompt(json_t *name, json_t *args,
    const char **err);
ngx_int_t ngx_http_mcp_fixtures_complete(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, json_t *ref, json_t *arg);

#endif
