/*
 * ngx_http_mcp_introspect.c: asks the authorization server about an opaque
 * or JWT token (RFC 7662) through an in-memory POST subrequest.
 */
#include <openssl/evp.h>
#include "ngx_http_mcp_introspect.h"
#include "ngx_http_mcp_metrics.h"

/* What the answer says, checked like a JWT's claims: active, exp, iss, aud. */
static const char *
ngx_http_mcp_introspect_judge(ngx_http_mcp_auth_loc_conf_t *alcf,
    json_t *doc, ngx_http_mcp_introspect_entry_t *e)
{
    size_t       i;
    json_t      *exp, *aud, *v;
    const char  *sub, *scope, *iss;
    time_t       now;
    ngx_uint_t   found;

    now = ngx_time();
    e->active = 0;
    e->expires = now + NGX_HTTP_MCP_INTROSPECT_NEG_TTL;

    if (!json_is_true(json_object_get(doc, "active"))) {
        return "inactive";
    }

    exp = json_object_get(doc, "exp");
    sub = json_string_value(json_object_get(doc, "sub"));
    scope = json_string_value(json_object_get(doc, "scope"));
    iss = json_string_value(json_object_get(doc, "iss"));

    if (sub == NULL || ngx_strlen(sub) > NGX_HTTP_MCP_INTROSPECT_SUB_MAX
        || (scope && ngx_strlen(scope) > NGX_HTTP_MCP_INTROSPECT_SCOPE_MAX))
    {
        return "malformed";
    }

    if (json_is_number(exp)
        && json_number_value(exp) + (double) alcf->leeway <= (double) now)
    {
        return "expired";
    }

    if (alcf->issuer.len
        && (iss == NULL || ngx_strcmp(iss, alcf->issuer.data) != 0))
    {
        return "issuer";
    }

    /* RFC 8707: the token must have been issued for this resource */
    aud = json_object_get(doc, "aud");
    found = json_is_string(aud)
            && ngx_strcmp(json_string_value(aud), alcf->audience.data) == 0;

    json_array_foreach(aud, i, v) {
        if (json_is_string(v)
            && ngx_strcmp(json_string_value(v), alcf->audience.data) == 0)
        {
            found = 1;
        }
    }

    if (!found) {
        return "audience";
    }

    e->active = 1;
    e->expires = now + NGX_HTTP_MCP_INTROSPECT_TTL;

    if (json_is_number(exp) && (time_t) json_number_value(exp) < e->expires) {
        e->expires = (time_t) json_number_value(exp);
    }

    ngx_cpystrn(e->sub, (u_char *) sub, sizeof(e->sub));
    ngx_cpystrn(e->scope, (u_char *) (scope ? scope : ""), sizeof(e->scope));

    return NULL;
}

ngx_int_t
ngx_http_mcp_introspect_use(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx,
    ngx_http_mcp_introspect_entry_t *e, const char *reason)
{
    json_t  *claims;

    if (!e->active) {
        return ngx_http_mcp_auth_reject(r, alcf, ctx,
                                        reason ? reason : "inactive");
    }

    claims = json_pack("{s:s, s:s}", "sub", (char *) e->sub,
                       "scope", (char *) e->scope);
    if (claims == NULL) {
        ctx->done = 1;
        ctx->rc = NGX_HTTP_INTERNAL_SERVER_ERROR;
        return ctx->rc;
    }

    (void) ngx_http_mcp_auth_accept(r, alcf, ctx, claims);
    json_decref(claims);

    return ctx->rc;
}

static ngx_int_t
ngx_http_mcp_introspect_done(ngx_http_request_t *sr, void *data, ngx_int_t rc)
{
    ngx_http_request_t       *r = sr->parent;
    ngx_http_mcp_auth_ctx_t  *ctx = data;

    json_t                          *doc;
    ngx_str_t                        body;
    const char                      *reason;
    ngx_http_mcp_auth_loc_conf_t    *alcf;
    ngx_http_mcp_introspect_entry_t  e;

    ctx->waiting = 0;
    alcf = ngx_http_get_module_loc_conf(r, ngx_http_mcp_auth_module);

    ngx_http_mcp_auth_subrequest_body(sr, &body);

    doc = NULL;
    if (sr->headers_out.status == NGX_HTTP_OK && body.len) {
        doc = json_loadb((const char *) body.data, body.len, 0, NULL);
    }

    if (doc == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "mcp auth: introspection at \"%V\" answered %ui "
                      "without a JSON body", &alcf->introspect_uri,
                      sr->headers_out.status);
        ngx_http_mcp_metrics_auth_failure("introspection_unavailable");
        ctx->done = 1;
        ctx->rc = NGX_HTTP_SERVICE_UNAVAILABLE;
        return rc;
    }

    reason = ngx_http_mcp_introspect_judge(alcf, doc, &e);
    json_decref(doc);

    if (alcf->cache_zone != NULL) {
        ngx_http_mcp_introspect_cache_put(alcf->cache_zone, ctx->hash, &e);
    }

    (void) ngx_http_mcp_introspect_use(r, alcf, ctx, &e, reason);

    return rc;
}

ngx_int_t
ngx_http_mcp_introspect(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_http_mcp_auth_ctx_t *ctx)
{
    size_t                           n;
    ngx_str_t                        body;
    unsigned int                     hlen;
    ngx_http_request_t              *sr;
    ngx_http_mcp_introspect_entry_t  e;

    if (ctx->waiting) {
        return NGX_AGAIN;
    }

    if (EVP_Digest(ctx->token.data, ctx->token.len, ctx->hash, &hlen,
                   EVP_sha256(), NULL) != 1)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (alcf->cache_zone != NULL
        && ngx_http_mcp_introspect_cache_get(alcf->cache_zone, ctx->hash, &e)
           == NGX_OK)
    {
        return ngx_http_mcp_introspect_use(r, alcf, ctx, &e, NULL);
    }

    n = ngx_escape_uri(NULL, ctx->token.data, ctx->token.len,
                       NGX_ESCAPE_URI_COMPONENT);

    body.len = sizeof("token=&token_type_hint=access_token") - 1
               + ctx->token.len + 2 * n;
    body.data = ngx_pnalloc(r->pool, body.len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(body.data, "token=", 6);
    (void) ngx_escape_uri(body.data + 6, ctx->token.data, ctx->token.len,
                          NGX_ESCAPE_URI_COMPONENT);
    ngx_memcpy(body.data + 6 + ctx->token.len + 2 * n,
               "&token_type_hint=access_token",
               sizeof("&token_type_hint=access_token") - 1);

    ctx->waiting = 1;

    if (ngx_http_mcp_auth_subrequest(r, &alcf->introspect_uri, &body,
                                     ngx_http_mcp_introspect_done, ctx, &sr)
        != NGX_OK)
    {
        ctx->waiting = 0;
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_AGAIN;
}
