/*
 * ngx_http_mcp_jwks_fetch.c: validates a JWT against the configured key
 * file and the keys fetched from mcp_auth_jwks_uri, refetching them when
 * they are stale or a token names an unknown kid (at most every N seconds).
 */
#include "ngx_http_mcp_introspect.h"
#include "ngx_http_mcp_jwt.h"
#include "ngx_http_mcp_metrics.h"

static ngx_int_t
ngx_http_mcp_jwks_fetched(ngx_http_request_t *sr, void *data, ngx_int_t rc)
{
    ngx_http_request_t  *r = sr->parent;
    ngx_http_mcp_auth_loc_conf_t  *alcf = data;

    char                      err[256];
    ngx_str_t                 body;
    ngx_http_mcp_jwks_t       jwks;
    ngx_http_mcp_auth_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_mcp_auth_module);
    ctx->waiting = 0;
    alcf->fetched->fetching = 0;

    ngx_http_mcp_auth_subrequest_body(sr, &body);

    if (sr->headers_out.status != NGX_HTTP_OK || body.len == 0) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "mcp auth: JWKS fetch from \"%V\" answered %ui",
                      &alcf->jwks_uri, sr->headers_out.status);
        return rc;
    }

    if (ngx_http_mcp_jwks_parse((const char *) body.data, body.len, &jwks,
                                err, sizeof(err))
        != 0)
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "mcp auth: JWKS from \"%V\" refused: %s",
                      &alcf->jwks_uri, err);
        return rc;
    }

    ngx_http_mcp_jwks_free(&alcf->fetched->jwks);
    alcf->fetched->jwks = jwks;

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "mcp auth: %uz keys fetched from \"%V\"", jwks.nkeys,
                  &alcf->jwks_uri);

    return rc;
}

static ngx_int_t
ngx_http_mcp_jwks_fetch(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx)
{
    ngx_http_request_t  *sr;

    alcf->fetched->fetched = ngx_time();
    alcf->fetched->fetching = 1;
    ctx->refetched = 1;
    ctx->waiting = 1;

    if (ngx_http_mcp_auth_subrequest(r, &alcf->jwks_uri, NULL,
                                     ngx_http_mcp_jwks_fetched, alcf, &sr)
        != NGX_OK)
    {
        alcf->fetched->fetching = 0;
        ctx->waiting = 0;
        return NGX_ERROR;
    }

    return NGX_AGAIN;
}

/* May this request (re)fetch the keys now? */
static ngx_uint_t
ngx_http_mcp_jwks_may_fetch(ngx_http_mcp_auth_loc_conf_t *alcf,
    ngx_http_mcp_auth_ctx_t *ctx)
{
    ngx_http_mcp_auth_keys_t  *k = alcf->fetched;

    return k != NULL && !k->fetching && !ctx->refetched
           && (k->fetched == 0
               || ngx_time() - k->fetched >= alcf->jwks_min_refresh);
}

ngx_int_t
ngx_http_mcp_auth_jwt(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx)
{
    json_t                     *claims;
    ngx_int_t                   cached;
    ngx_http_mcp_jwt_rc_t       rc;
    ngx_http_mcp_jwt_policy_t   policy;

    if (ctx->waiting) {
        return NGX_AGAIN;
    }

    if (!ctx->refetched) {
        cached = ngx_http_mcp_jwt_cache_get(r, alcf, ctx);
        if (cached != NGX_DECLINED) {
            return cached;
        }
    }

    /* periodic refresh, driven by traffic */
    if (alcf->fetched != NULL && ngx_http_mcp_jwks_may_fetch(alcf, ctx)
        && ngx_time() - alcf->fetched->fetched >= alcf->jwks_refresh)
    {
        if (ngx_http_mcp_jwks_fetch(r, alcf, ctx) == NGX_AGAIN) {
            return NGX_AGAIN;
        }
    }

    policy.issuer = alcf->issuer.len ? (const char *) alcf->issuer.data
                                     : NULL;
    policy.audience = (const char *) alcf->audience.data;
    policy.leeway = (long) alcf->leeway;

    rc = NGX_HTTP_MCP_JWT_UNKNOWN_KID;

    if (alcf->jwks != NULL) {
        rc = ngx_http_mcp_jwt_verify((const char *) ctx->token.data,
                                     ctx->token.len, alcf->jwks, &policy,
                                     ngx_time(), &claims);
    }

    if (rc == NGX_HTTP_MCP_JWT_UNKNOWN_KID && alcf->fetched != NULL) {
        rc = ngx_http_mcp_jwt_verify((const char *) ctx->token.data,
                                     ctx->token.len, &alcf->fetched->jwks,
                                     &policy, ngx_time(), &claims);

        if (rc == NGX_HTTP_MCP_JWT_UNKNOWN_KID
            && ngx_http_mcp_jwks_may_fetch(alcf, ctx)
            && ngx_http_mcp_jwks_fetch(r, alcf, ctx) == NGX_AGAIN)
        {
            return NGX_AGAIN;
        }
    }

    if (rc != NGX_HTTP_MCP_JWT_OK) {
        return ngx_http_mcp_auth_reject(r, alcf, ctx,
                                        ngx_http_mcp_jwt_reason(rc));
    }

    (void) ngx_http_mcp_auth_accept(r, alcf, ctx, claims);
    ngx_http_mcp_jwt_cache_put(alcf, ctx, claims);
    json_decref(claims);

    return ctx->rc;
}
