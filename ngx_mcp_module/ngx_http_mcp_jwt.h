/*
 * ngx_http_mcp_jwt.h: verifies a compact JWS bearer token against a key set
 * and checks its claims. Free of nginx types (unit tests and fuzzer).
 */
#ifndef NGX_HTTP_MCP_JWT_H
#define NGX_HTTP_MCP_JWT_H

#include <stddef.h>
#include <time.h>
#include <jansson.h>
#include "ngx_http_mcp_jwks.h"

#define NGX_HTTP_MCP_JWT_MAX  8192

typedef enum {
    NGX_HTTP_MCP_JWT_OK = 0,
    NGX_HTTP_MCP_JWT_MALFORMED,
    NGX_HTTP_MCP_JWT_ALG,
    NGX_HTTP_MCP_JWT_UNKNOWN_KID,
    NGX_HTTP_MCP_JWT_SIGNATURE,
    NGX_HTTP_MCP_JWT_EXPIRED,
    NGX_HTTP_MCP_JWT_NOT_YET_VALID,
    NGX_HTTP_MCP_JWT_ISSUER,
    NGX_HTTP_MCP_JWT_AUDIENCE,
    NGX_HTTP_MCP_JWT_NREASONS
} ngx_http_mcp_jwt_rc_t;

typedef struct {
    const char  *issuer;      /* exact "iss", or NULL for any */
    const char  *audience;    /* must be in "aud", or NULL for any */
    long         leeway;      /* seconds of clock skew allowed */
} ngx_http_mcp_jwt_policy_t;

/*
 * Verifies token (len bytes). On NGX_HTTP_MCP_JWT_OK *claims holds the
 * payload (caller json_decref()s it), which always has a string "sub" and a
 * numeric "exp".
 */
ngx_http_mcp_jwt_rc_t ngx_http_mcp_jwt_verify(const char *token, size_t len,
    const ngx_http_mcp_jwks_t *keys, const ngx_http_mcp_jwt_policy_t *policy,
    time_t now, json_t **claims);

/* Short reason name for logs and metrics: "expired", "signature", ... */
const char *ngx_http_mcp_jwt_reason(ngx_http_mcp_jwt_rc_t rc);

#endif
