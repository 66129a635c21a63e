/*
 * ngx_http_mcp_jwks.h: a JSON Web Key Set parsed into OpenSSL public keys,
 * each bound to the one JWS algorithm it may verify. Free of nginx types so
 * the unit tests and the fuzzer link it alone.
 */
#ifndef NGX_HTTP_MCP_JWKS_H
#define NGX_HTTP_MCP_JWKS_H

#include <stddef.h>
#include <openssl/evp.h>

typedef enum {
    NGX_HTTP_MCP_JWS_UNKNOWN = 0,
    NGX_HTTP_MCP_JWS_RS256,
    NGX_HTTP_MCP_JWS_RS384,
    NGX_HTTP_MCP_JWS_RS512,
    NGX_HTTP_MCP_JWS_PS256,
    NGX_HTTP_MCP_JWS_ES256,
    NGX_HTTP_MCP_JWS_ES384,
    NGX_HTTP_MCP_JWS_EDDSA
} ngx_http_mcp_jws_alg_t;

#define NGX_HTTP_MCP_JWK_KID_MAX  128

typedef struct {
    char                     kid[NGX_HTTP_MCP_JWK_KID_MAX + 1];
    ngx_http_mcp_jws_alg_t   alg;
    EVP_PKEY                *pkey;
} ngx_http_mcp_jwk_t;

typedef struct {
    ngx_http_mcp_jwk_t      *keys;
    size_t                   nkeys;
} ngx_http_mcp_jwks_t;

/* Algorithm by its JWS name; NGX_HTTP_MCP_JWS_UNKNOWN for none, HS*, etc. */
ngx_http_mcp_jws_alg_t ngx_http_mcp_jws_alg(const char *name);

/*
 * Parses a JWKS document ({"keys":[...]}). Signing keys of type RSA, EC
 * (P-256, P-384) and OKP (Ed25519) that carry a kid are kept; symmetric
 * keys are refused. Returns 0, or -1 with a message in err.
 */
int ngx_http_mcp_jwks_parse(const char *json, size_t len,
    ngx_http_mcp_jwks_t *set, char *err, size_t errlen);

const ngx_http_mcp_jwk_t *ngx_http_mcp_jwks_find(
    const ngx_http_mcp_jwks_t *set, const char *kid);

void ngx_http_mcp_jwks_free(ngx_http_mcp_jwks_t *set);

/* Strict base64url (no padding) decode; returns the length or -1. */
long ngx_http_mcp_base64url_decode(const char *in, size_t len,
    unsigned char *out, size_t outlen);

#endif
