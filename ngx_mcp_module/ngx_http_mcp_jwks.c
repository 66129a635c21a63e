/*
 * ngx_http_mcp_jwks.c: builds OpenSSL 3 public keys from JWK members (RSA
 * n/e, EC crv/x/y, OKP x) with EVP_PKEY_fromdata, one algorithm per key.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include "ngx_http_mcp_jwks.h"

#define NGX_HTTP_MCP_JWK_MEMBER_MAX  1024

static const struct {
    const char              *name;
    ngx_http_mcp_jws_alg_t   alg;
} ngx_http_mcp_jws_algs[] = {
    { "RS256", NGX_HTTP_MCP_JWS_RS256 },
    { "RS384", NGX_HTTP_MCP_JWS_RS384 },
    { "RS512", NGX_HTTP_MCP_JWS_RS512 },
    { "PS256", NGX_HTTP_MCP_JWS_PS256 },
    { "ES256", NGX_HTTP_MCP_JWS_ES256 },
    { "ES384", NGX_HTTP_MCP_JWS_ES384 },
    { "EdDSA", NGX_HTTP_MCP_JWS_EDDSA },
    { NULL, NGX_HTTP_MCP_JWS_UNKNOWN }
};

ngx_http_mcp_jws_alg_t
ngx_http_mcp_jws_alg(const char *name)
{
    size_t  i;

    for (i = 0; ngx_http_mcp_jws_algs[i].name; i++) {
        if (strcmp(ngx_http_mcp_jws_algs[i].name, name) == 0) {
            return ngx_http_mcp_jws_algs[i].alg;
        }
    }

    return NGX_HTTP_MCP_JWS_UNKNOWN;
}

long
ngx_http_mcp_base64url_decode(const char *in, size_t len, unsigned char *out,
    size_t outlen)
{
    size_t         i, n;
    unsigned int   acc, bits;
    int            v;
    unsigned char  c;

    if (len % 4 == 1) {
        return -1;
    }

    acc = 0;
    bits = 0;
    n = 0;

    for (i = 0; i < len; i++) {
        c = (unsigned char) in[i];

        if (c >= 'A' && c <= 'Z') {
            v = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            v = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            v = c - '0' + 52;
        } else if (c == '-') {
            v = 62;
        } else if (c == '_') {
            v = 63;
        } else {
            return -1;
        }

        acc = (acc << 6) | (unsigned int) v;
        bits += 6;

        if (bits >= 8) {
            bits -= 8;
            if (n == outlen) {
                return -1;
            }
            out[n++] = (unsigned char) (acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }

    /* leftover bits must be zero, or two encodings would map to one value */
    if (acc != 0) {
        return -1;
    }

    return (long) n;
}

static long
ngx_http_mcp_jwk_member(json_t *jwk, const char *name, unsigned char *buf,
    size_t buflen)
{
    const char  *s;

    s = json_string_value(json_object_get(jwk, name));
    if (s == NULL) {
        return -1;
    }

    return ngx_http_mcp_base64url_decode(s, strlen(s), buf, buflen);
}

static EVP_PKEY *
ngx_http_mcp_jwk_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY      *pkey;
    OSSL_PARAM    *params;
    EVP_PKEY_CTX  *ctx;

    pkey = NULL;

    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL) {
        return NULL;
    }

    ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (ctx != NULL
        && EVP_PKEY_fromdata_init(ctx) == 1
        && EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
        pkey = NULL;
    }

    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);

    return pkey;
}

static EVP_PKEY *
ngx_http_mcp_jwk_rsa(json_t *jwk)
{
    long            nlen, elen;
    BIGNUM         *n, *e;
    EVP_PKEY       *pkey;
    OSSL_PARAM_BLD *bld;
    unsigned char   nbuf[NGX_HTTP_MCP_JWK_MEMBER_MAX], ebuf[16];

    nlen = ngx_http_mcp_jwk_member(jwk, "n", nbuf, sizeof(nbuf));
    elen = ngx_http_mcp_jwk_member(jwk, "e", ebuf, sizeof(ebuf));

    /* 2048 bits at least: shorter RSA keys are refused */
    if (nlen < 256 || elen < 1) {
        return NULL;
    }

    pkey = NULL;
    n = BN_bin2bn(nbuf, (int) nlen, NULL);
    e = BN_bin2bn(ebuf, (int) elen, NULL);
    bld = OSSL_PARAM_BLD_new();

    if (n != NULL && e != NULL && bld != NULL
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1)
    {
        pkey = ngx_http_mcp_jwk_fromdata("RSA", bld);
    }

    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);

    return pkey;
}

static EVP_PKEY *
ngx_http_mcp_jwk_ec(json_t *jwk, ngx_http_mcp_jws_alg_t *alg)
{
    long             xlen, ylen;
    size_t           clen;
    const char      *crv, *group;
    EVP_PKEY        *pkey;
    OSSL_PARAM_BLD  *bld;
    unsigned char    pub[1 + 2 * 48];

    crv = json_string_value(json_object_get(jwk, "crv"));
    if (crv == NULL) {
        return NULL;
    }

    if (strcmp(crv, "P-256") == 0) {
        group = "prime256v1";
        clen = 32;
        *alg = NGX_HTTP_MCP_JWS_ES256;

    } else if (strcmp(crv, "P-384") == 0) {
        group = "secp384r1";
        clen = 48;
        *alg = NGX_HTTP_MCP_JWS_ES384;

    } else {
        return NULL;
    }

    pub[0] = 0x04;
    xlen = ngx_http_mcp_jwk_member(jwk, "x", pub + 1, clen);
    ylen = ngx_http_mcp_jwk_member(jwk, "y", pub + 1 + clen, clen);

    if (xlen != (long) clen || ylen != (long) clen) {
        return NULL;
    }

    pkey = NULL;
    bld = OSSL_PARAM_BLD_new();

    if (bld != NULL
        && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                           group, 0) == 1
        && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                            pub, 1 + 2 * clen) == 1)
    {
        pkey = ngx_http_mcp_jwk_fromdata("EC", bld);
    }

    OSSL_PARAM_BLD_free(bld);

    return pkey;
}

static EVP_PKEY *
ngx_http_mcp_jwk_okp(json_t *jwk)
{
    long            xlen;
    const char     *crv;
    unsigned char   x[32];

    crv = json_string_value(json_object_get(jwk, "crv"));
    if (crv == NULL || strcmp(crv, "Ed25519") != 0) {
        return NULL;
    }

    xlen = ngx_http_mcp_jwk_member(jwk, "x", x, sizeof(x));
    if (xlen != (long) sizeof(x)) {
        return NULL;
    }

    return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, sizeof(x));
}

/*
 * One key: its type decides the algorithm family; a JWK "alg" may narrow it
 * within that family but never leave it.
 */
static int
ngx_http_mcp_jwk_load(json_t *jwk, ngx_http_mcp_jwk_t *key, char *err,
    size_t errlen)
{
    const char              *kty, *kid, *alg_name, *use;
    ngx_http_mcp_jws_alg_t   alg, family = NGX_HTTP_MCP_JWS_UNKNOWN;

    kty = json_string_value(json_object_get(jwk, "kty"));
    kid = json_string_value(json_object_get(jwk, "kid"));
    alg_name = json_string_value(json_object_get(jwk, "alg"));
    use = json_string_value(json_object_get(jwk, "use"));

    if (kty == NULL || kid == NULL || strlen(kid) > NGX_HTTP_MCP_JWK_KID_MAX) {
        snprintf(err, errlen, "a key lacks \"kty\" or \"kid\"");
        return -1;
    }

    if (use != NULL && strcmp(use, "sig") != 0) {
        return 1;
    }

    alg = alg_name ? ngx_http_mcp_jws_alg(alg_name) : NGX_HTTP_MCP_JWS_UNKNOWN;

    if (alg_name != NULL && alg == NGX_HTTP_MCP_JWS_UNKNOWN) {
        snprintf(err, errlen, "key \"%s\": algorithm \"%s\" not accepted",
                 kid, alg_name);
        return -1;
    }

    key->pkey = NULL;

    if (strcmp(kty, "RSA") == 0) {
        if (alg == NGX_HTTP_MCP_JWS_UNKNOWN) {
            alg = NGX_HTTP_MCP_JWS_RS256;
        }
        family = (alg <= NGX_HTTP_MCP_JWS_PS256) ? alg
                                                 : NGX_HTTP_MCP_JWS_UNKNOWN;
        key->pkey = ngx_http_mcp_jwk_rsa(jwk);

    } else if (strcmp(kty, "EC") == 0) {
        key->pkey = ngx_http_mcp_jwk_ec(jwk, &family);

    } else if (strcmp(kty, "OKP") == 0) {
        family = NGX_HTTP_MCP_JWS_EDDSA;
        key->pkey = ngx_http_mcp_jwk_okp(jwk);

    } else {
        snprintf(err, errlen, "key \"%s\": key type \"%s\" not accepted",
                 kid, kty);
        return -1;
    }

    if (key->pkey == NULL) {
        snprintf(err, errlen, "key \"%s\": invalid or unsupported %s key",
                 kid, kty);
        return -1;
    }

    if (alg != NGX_HTTP_MCP_JWS_UNKNOWN && alg != family) {
        EVP_PKEY_free(key->pkey);
        key->pkey = NULL;
        snprintf(err, errlen, "key \"%s\": algorithm \"%s\" does not fit "
                 "a %s key", kid, alg_name, kty);
        return -1;
    }

    key->alg = family;
    memcpy(key->kid, kid, strlen(kid) + 1);

    return 0;
}

int
ngx_http_mcp_jwks_parse(const char *json, size_t len,
    ngx_http_mcp_jwks_t *set, char *err, size_t errlen)
{
    int            rc;
    size_t         i;
    json_t        *root, *keys;
    json_error_t   jerr;

    set->keys = NULL;
    set->nkeys = 0;

    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        snprintf(err, errlen, "invalid JSON: %s", jerr.text);
        return -1;
    }

    keys = json_object_get(root, "keys");
    if (!json_is_array(keys) || json_array_size(keys) == 0) {
        snprintf(err, errlen, "no \"keys\" array");
        json_decref(root);
        return -1;
    }

    set->keys = calloc(json_array_size(keys), sizeof(ngx_http_mcp_jwk_t));
    if (set->keys == NULL) {
        snprintf(err, errlen, "out of memory");
        json_decref(root);
        return -1;
    }

    for (i = 0; i < json_array_size(keys); i++) {
        rc = ngx_http_mcp_jwk_load(json_array_get(keys, i),
                                   &set->keys[set->nkeys], err, errlen);
        if (rc == -1) {
            json_decref(root);
            ngx_http_mcp_jwks_free(set);
            return -1;
        }

        if (rc == 0) {
            set->nkeys++;
        }
    }

    json_decref(root);

    return 0;
}

const ngx_http_mcp_jwk_t *
ngx_http_mcp_jwks_find(const ngx_http_mcp_jwks_t *set, const char *kid)
{
    size_t  i;

    for (i = 0; i < set->nkeys; i++) {
        if (strcmp(set->keys[i].kid, kid) == 0) {
            return &set->keys[i];
        }
    }

    return NULL;
}

void
ngx_http_mcp_jwks_free(ngx_http_mcp_jwks_t *set)
{
    size_t  i;

    for (i = 0; i < set->nkeys; i++) {
        EVP_PKEY_free(set->keys[i].pkey);
    }

    free(set->keys);
    set->keys = NULL;
    set->nkeys = 0;
}
