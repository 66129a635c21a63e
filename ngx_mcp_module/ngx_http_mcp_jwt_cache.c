/*
 * ngx_http_mcp_jwt_cache.c: verified JWTs remembered in the introspection
 * zone, keyed by the location's validation settings and the token's bytes.
 */
#include <openssl/evp.h>
#include "ngx_http_mcp_introspect.h"
#include "ngx_http_mcp_metrics.h"

/* SHA-256 of what the token was checked against, then of the token */
static ngx_int_t
ngx_http_mcp_jwt_cache_key(ngx_http_mcp_auth_loc_conf_t *alcf,
    ngx_http_mcp_auth_ctx_t *ctx)
{
    int          ok;
    ngx_uint_t   i;
    ngx_str_t   *part[5];
    EVP_MD_CTX  *md;

    part[0] = &alcf->issuer;
    part[1] = &alcf->audience;
    part[2] = &alcf->jwks_file;
    part[3] = &alcf->jwks_uri;
    part[4] = &ctx->token;

    md = EVP_MD_CTX_new();
    ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;

    /* each part followed by a NUL: "a" + "bc" differs from "ab" + "c" */
    for (i = 0; ok && i < 5; i++) {
        ok = EVP_DigestUpdate(md, part[i]->data, part[i]->len) == 1
             && EVP_DigestUpdate(md, "", 1) == 1;
    }

    ok = ok && EVP_DigestFinal_ex(md, ctx->hash, NULL) == 1;
    EVP_MD_CTX_free(md);

    return ok ? NGX_OK : NGX_ERROR;
}

/* mcp_auth_jwt_cache_max, 5 minutes when not set */
static time_t
ngx_http_mcp_jwt_cache_max(ngx_http_mcp_auth_loc_conf_t *alcf)
{
    if (alcf->cache_zone == NULL) {
        return 0;
    }

    return alcf->jwt_cache_max == NGX_CONF_UNSET ? 300 : alcf->jwt_cache_max;
}

ngx_int_t
ngx_http_mcp_jwt_cache_get(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx)
{
    ngx_http_mcp_introspect_entry_t  e;

    if (ngx_http_mcp_jwt_cache_max(alcf) == 0
        || ngx_http_mcp_jwt_cache_key(alcf, ctx) != NGX_OK)
    {
        return NGX_DECLINED;
    }

    if (ngx_http_mcp_introspect_cache_get(alcf->cache_zone, ctx->hash, &e)
        != NGX_OK)
    {
        ngx_http_mcp_metrics_jwt_cache("miss");
        return NGX_DECLINED;
    }

    ngx_http_mcp_metrics_jwt_cache("hit");

    return ngx_http_mcp_introspect_use(r, alcf, ctx, &e, NULL);
}

/* "scope", or the "scp" array joined by spaces; NGX_DECLINED: too long */
static ngx_int_t
ngx_http_mcp_jwt_cache_scope(json_t *claims, u_char *buf, size_t size)
{
    size_t   i, len;
    json_t  *scope, *v;
    u_char  *p, *end;

    p = buf;
    end = buf + size - 1;
    scope = json_object_get(claims, "scope");

    if (json_is_string(scope)) {
        len = json_string_length(scope);
        if (len > (size_t) (end - p)) {
            return NGX_DECLINED;
        }

        p = ngx_cpymem(p, json_string_value(scope), len);
    }

    json_array_foreach(json_is_string(scope) ? NULL
                       : json_object_get(claims, "scp"), i, v)
    {
        len = json_string_length(v);
        if (!json_is_string(v) || len + 1 > (size_t) (end - p)) {
            return NGX_DECLINED;
        }

        p = ngx_cpymem(p, json_string_value(v), len);
        *p++ = ' ';
    }

    *p = '\0';

    /* an embedded NUL would cut the cached copy short */
    return ngx_strlen(buf) == (size_t) (p - buf) ? NGX_OK : NGX_DECLINED;
}

void
ngx_http_mcp_jwt_cache_put(ngx_http_mcp_auth_loc_conf_t *alcf,
    ngx_http_mcp_auth_ctx_t *ctx, json_t *claims)
{
    double                            exp;
    json_t                           *sub;
    time_t                            max;
    ngx_http_mcp_introspect_entry_t   e;

    max = ngx_http_mcp_jwt_cache_max(alcf);
    if (max == 0 || ctx->rc != NGX_OK
        || ngx_http_mcp_jwt_cache_key(alcf, ctx) != NGX_OK)
    {
        return;
    }

    /* never past exp: the leeway after it is left to a full verification */
    exp = json_number_value(json_object_get(claims, "exp"));
    e.expires = ngx_time() + max;
    e.active = 1;

    if (exp < (double) e.expires) {
        e.expires = (time_t) exp;
    }

    sub = json_object_get(claims, "sub");

    if (e.expires <= ngx_time()
        || json_string_length(sub) > NGX_HTTP_MCP_INTROSPECT_SUB_MAX
        || ngx_strlen(json_string_value(sub)) != json_string_length(sub)
        || ngx_http_mcp_jwt_cache_scope(claims, e.scope, sizeof(e.scope))
           != NGX_OK)
    {
        return;
    }

    ngx_cpystrn(e.sub, (u_char *) json_string_value(sub), sizeof(e.sub));

    ngx_http_mcp_introspect_cache_put(alcf->cache_zone, ctx->hash, &e);
}
