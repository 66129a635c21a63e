/*
 * ngx_http_mcp_jwt.c: compact JWS parsing, signature verification with
 * OpenSSL 3 EVP (RSA PKCS#1/PSS, ECDSA, Ed25519) and claim checks.
 */
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include "ngx_http_mcp_jwt.h"

static const char  *ngx_http_mcp_jwt_reasons[] = {
    "ok", "malformed", "algorithm", "unknown_kid", "signature", "expired",
    "not_yet_valid", "issuer", "audience"
};

const char *
ngx_http_mcp_jwt_reason(ngx_http_mcp_jwt_rc_t rc)
{
    if (rc >= NGX_HTTP_MCP_JWT_NREASONS) {
        return "unknown";
    }

    return ngx_http_mcp_jwt_reasons[rc];
}

static json_t *
ngx_http_mcp_jwt_part(const char *b64, size_t len)
{
    long            n;
    json_t         *obj;
    unsigned char   buf[NGX_HTTP_MCP_JWT_MAX];

    n = ngx_http_mcp_base64url_decode(b64, len, buf, sizeof(buf));
    if (n <= 0) {
        return NULL;
    }

    obj = json_loadb((const char *) buf, (size_t) n,
                     JSON_REJECT_DUPLICATES, NULL);
    if (obj != NULL && !json_is_object(obj)) {
        json_decref(obj);
        return NULL;
    }

    return obj;
}

/* JWS ECDSA signatures are raw R||S; OpenSSL verifies DER. */
static int
ngx_http_mcp_jwt_ecdsa_der(const unsigned char *sig, size_t siglen,
    size_t clen, unsigned char **der)
{
    int         len;
    BIGNUM     *r, *s;
    ECDSA_SIG  *esig;

    if (siglen != 2 * clen) {
        return -1;
    }

    esig = ECDSA_SIG_new();
    r = BN_bin2bn(sig, (int) clen, NULL);
    s = BN_bin2bn(sig + clen, (int) clen, NULL);

    if (esig == NULL || r == NULL || s == NULL
        || ECDSA_SIG_set0(esig, r, s) != 1)
    {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(esig);
        return -1;
    }

    *der = NULL;
    len = i2d_ECDSA_SIG(esig, der);
    ECDSA_SIG_free(esig);

    return len;
}

static int
ngx_http_mcp_jwt_check_sig(const ngx_http_mcp_jwk_t *key,
    const char *input, size_t input_len, const unsigned char *sig,
    size_t siglen)
{
    int             ok, derlen;
    const EVP_MD   *md;
    EVP_MD_CTX     *mdctx;
    EVP_PKEY_CTX   *pctx;
    unsigned char  *der;

    md = NULL;
    der = NULL;

    switch (key->alg) {
    case NGX_HTTP_MCP_JWS_RS256:
    case NGX_HTTP_MCP_JWS_PS256:
    case NGX_HTTP_MCP_JWS_ES256:
        md = EVP_sha256();
        break;
    case NGX_HTTP_MCP_JWS_RS384:
    case NGX_HTTP_MCP_JWS_ES384:
        md = EVP_sha384();
        break;
    case NGX_HTTP_MCP_JWS_RS512:
        md = EVP_sha512();
        break;
    case NGX_HTTP_MCP_JWS_EDDSA:
        break;
    default:
        return 0;
    }

    if (key->alg == NGX_HTTP_MCP_JWS_ES256
        || key->alg == NGX_HTTP_MCP_JWS_ES384)
    {
        derlen = ngx_http_mcp_jwt_ecdsa_der(sig, siglen,
                     key->alg == NGX_HTTP_MCP_JWS_ES256 ? 32 : 48, &der);
        if (derlen <= 0) {
            return 0;
        }

        sig = der;
        siglen = (size_t) derlen;
    }

    ok = 0;
    pctx = NULL;
    mdctx = EVP_MD_CTX_new();

    if (mdctx != NULL
        && EVP_DigestVerifyInit(mdctx, &pctx, md, NULL, key->pkey) == 1
        && (key->alg != NGX_HTTP_MCP_JWS_PS256
            || (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
                                           RSA_PSS_SALTLEN_DIGEST) > 0)))
    {
        ok = EVP_DigestVerify(mdctx, sig, siglen,
                              (const unsigned char *) input, input_len) == 1;
    }

    EVP_MD_CTX_free(mdctx);
    OPENSSL_free(der);

    return ok;
}

static int
ngx_http_mcp_jwt_has_audience(json_t *aud, const char *audience)
{
    size_t   i;
    json_t  *v;

    if (json_is_string(aud)) {
        return strcmp(json_string_value(aud), audience) == 0;
    }

    json_array_foreach(aud, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), audience) == 0)
        {
            return 1;
        }
    }

    return 0;
}

static ngx_http_mcp_jwt_rc_t
ngx_http_mcp_jwt_check_claims(json_t *payload,
    const ngx_http_mcp_jwt_policy_t *policy, time_t now)
{
    json_t  *exp, *nbf, *iss;

    exp = json_object_get(payload, "exp");
    nbf = json_object_get(payload, "nbf");
    iss = json_object_get(payload, "iss");

    if (!json_is_number(exp) || !json_is_string(json_object_get(payload,
                                                                "sub")))
    {
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    if (json_number_value(exp) + (double) policy->leeway <= (double) now) {
        return NGX_HTTP_MCP_JWT_EXPIRED;
    }

    if (nbf != NULL
        && (!json_is_number(nbf)
            || json_number_value(nbf) - (double) policy->leeway
               > (double) now))
    {
        return NGX_HTTP_MCP_JWT_NOT_YET_VALID;
    }

    if (policy->issuer != NULL
        && (!json_is_string(iss)
            || strcmp(json_string_value(iss), policy->issuer) != 0))
    {
        return NGX_HTTP_MCP_JWT_ISSUER;
    }

    if (policy->audience != NULL
        && !ngx_http_mcp_jwt_has_audience(json_object_get(payload, "aud"),
                                          policy->audience))
    {
        return NGX_HTTP_MCP_JWT_AUDIENCE;
    }

    return NGX_HTTP_MCP_JWT_OK;
}

ngx_http_mcp_jwt_rc_t
ngx_http_mcp_jwt_verify(const char *token, size_t len,
    const ngx_http_mcp_jwks_t *keys, const ngx_http_mcp_jwt_policy_t *policy,
    time_t now, json_t **claims)
{
    long                       siglen;
    const char                *dot1, *dot2, *alg_name, *kid;
    json_t                    *header, *payload;
    ngx_http_mcp_jws_alg_t     alg;
    const ngx_http_mcp_jwk_t  *key;
    ngx_http_mcp_jwt_rc_t      rc;
    unsigned char              sig[512];

    *claims = NULL;

    if (len == 0 || len > NGX_HTTP_MCP_JWT_MAX) {
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    dot1 = memchr(token, '.', len);
    if (dot1 == NULL) {
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    dot2 = memchr(dot1 + 1, '.', len - (size_t) (dot1 + 1 - token));
    if (dot2 == NULL
        || memchr(dot2 + 1, '.', len - (size_t) (dot2 + 1 - token)) != NULL)
    {
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    header = ngx_http_mcp_jwt_part(token, (size_t) (dot1 - token));
    if (header == NULL) {
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    alg_name = json_string_value(json_object_get(header, "alg"));
    kid = json_string_value(json_object_get(header, "kid"));

    /* "crit" names extensions we do not implement: refuse (RFC 7515 4.1.11) */
    if (alg_name == NULL || json_object_get(header, "crit") != NULL) {
        json_decref(header);
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    alg = ngx_http_mcp_jws_alg(alg_name);
    if (alg == NGX_HTTP_MCP_JWS_UNKNOWN) {
        json_decref(header);
        return NGX_HTTP_MCP_JWT_ALG;
    }

    key = kid ? ngx_http_mcp_jwks_find(keys, kid) : NULL;
    json_decref(header);

    if (key == NULL) {
        return NGX_HTTP_MCP_JWT_UNKNOWN_KID;
    }

    /* the key decides the algorithm; the token may only agree with it */
    if (key->alg != alg) {
        return NGX_HTTP_MCP_JWT_ALG;
    }

    siglen = ngx_http_mcp_base64url_decode(dot2 + 1,
                                           len - (size_t) (dot2 + 1 - token),
                                           sig, sizeof(sig));
    if (siglen <= 0) {
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    if (!ngx_http_mcp_jwt_check_sig(key, token, (size_t) (dot2 - token),
                                    sig, (size_t) siglen))
    {
        return NGX_HTTP_MCP_JWT_SIGNATURE;
    }

    payload = ngx_http_mcp_jwt_part(dot1 + 1, (size_t) (dot2 - dot1 - 1));
    if (payload == NULL) {
        return NGX_HTTP_MCP_JWT_MALFORMED;
    }

    rc = ngx_http_mcp_jwt_check_claims(payload, policy, now);
    if (rc != NGX_HTTP_MCP_JWT_OK) {
        json_decref(payload);
        return rc;
    }

    *claims = payload;

    return NGX_HTTP_MCP_JWT_OK;
}
