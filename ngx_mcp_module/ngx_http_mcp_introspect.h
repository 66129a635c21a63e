/*
 * ngx_http_mcp_introspect.h: RFC 7662 token introspection and its cache of
 * answers in a shared-memory zone (SHA-256 keys), which verified JWTs share.
 */
#ifndef NGX_HTTP_MCP_INTROSPECT_H
#define NGX_HTTP_MCP_INTROSPECT_H

#include "ngx_http_mcp_auth_conf.h"

#define NGX_HTTP_MCP_INTROSPECT_TTL       300   /* longest positive entry */
#define NGX_HTTP_MCP_INTROSPECT_NEG_TTL   10    /* inactive tokens */
#define NGX_HTTP_MCP_INTROSPECT_SUB_MAX   128
#define NGX_HTTP_MCP_INTROSPECT_SCOPE_MAX 256

typedef struct {
    ngx_uint_t  active;
    time_t      expires;
    u_char      sub[NGX_HTTP_MCP_INTROSPECT_SUB_MAX + 1];
    u_char      scope[NGX_HTTP_MCP_INTROSPECT_SCOPE_MAX + 1];
} ngx_http_mcp_introspect_entry_t;

/* "mcp_auth_cache_zone name:size": declares the zone. */
char *ngx_http_mcp_introspect_cache_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

/* NGX_OK and *e filled when the zone holds an unexpired answer. */
ngx_int_t ngx_http_mcp_introspect_cache_get(ngx_shm_zone_t *zone,
    u_char *hash, ngx_http_mcp_introspect_entry_t *e);

void ngx_http_mcp_introspect_cache_put(ngx_shm_zone_t *zone, u_char *hash,
    ngx_http_mcp_introspect_entry_t *e);

/* Accepts (or, inactive, rejects with reason) a cached or fresh answer. */
ngx_int_t ngx_http_mcp_introspect_use(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx,
    ngx_http_mcp_introspect_entry_t *e, const char *reason);

/*
 * A verified JWT remembered for ctx->token at this location: NGX_DECLINED
 * when none, else the access-phase answer.
 */
ngx_int_t ngx_http_mcp_jwt_cache_get(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx);

/* Remembers the claims of ctx->token once accepted (ctx->rc NGX_OK). */
void ngx_http_mcp_jwt_cache_put(ngx_http_mcp_auth_loc_conf_t *alcf,
    ngx_http_mcp_auth_ctx_t *ctx, json_t *claims);

/* The ACCESS-phase check of ctx->token; NGX_AGAIN while asking. */
ngx_int_t ngx_http_mcp_introspect(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx);

#endif
