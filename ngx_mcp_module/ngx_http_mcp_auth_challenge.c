/*
 * ngx_http_mcp_auth_challenge.c: the RFC 6750 / RFC 9728 challenge a 401 or
 * 403 carries: WWW-Authenticate: Bearer realm, resource_metadata, error.
 */
#include "ngx_http_mcp_auth_conf.h"

ngx_int_t
ngx_http_mcp_auth_challenge(ngx_http_request_t *r,
    ngx_http_mcp_auth_loc_conf_t *alcf, ngx_int_t status, const char *error,
    const char *description, ngx_str_t *scope)
{
    size_t            len;
    u_char           *p;
    ngx_table_elt_t  *h;

    len = sizeof("Bearer realm=\"mcp\", resource_metadata=\"\"") - 1
          + alcf->resource_metadata.len;

    if (error != NULL) {
        len += sizeof(", error=\"\"") - 1 + ngx_strlen(error);
    }

    if (description != NULL) {
        len += sizeof(", error_description=\"\"") - 1
               + ngx_strlen(description);
    }

    if (scope != NULL) {
        len += sizeof(", scope=\"\"") - 1 + scope->len;
    }

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "WWW-Authenticate");
    h->value.data = p;

    p = ngx_sprintf(p, "Bearer realm=\"mcp\", resource_metadata=\"%V\"",
                    &alcf->resource_metadata);

    if (error != NULL) {
        p = ngx_sprintf(p, ", error=\"%s\"", error);
    }

    if (description != NULL) {
        p = ngx_sprintf(p, ", error_description=\"%s\"", description);
    }

    if (scope != NULL) {
        p = ngx_sprintf(p, ", scope=\"%V\"", scope);
    }

    h->value.len = p - h->value.data;
    r->headers_out.www_authenticate = h;

    return status;
}
