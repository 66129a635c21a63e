/*
 * ngx_http_mcp_auth_metadata.c: serves the OAuth 2.0 Protected Resource
 * Metadata document (RFC 9728) built from the location's configuration.
 */
#include <jansson.h>
#include "ngx_http_mcp_auth_conf.h"

static json_t *
ngx_http_mcp_auth_metadata_strings(ngx_array_t *a)
{
    ngx_uint_t   i;
    ngx_str_t   *s;
    json_t      *arr;

    arr = json_array();
    if (arr == NULL || a == NULL) {
        return arr;
    }

    s = a->elts;
    for (i = 0; i < a->nelts; i++) {
        if (json_array_append_new(arr,
                json_stringn((const char *) s[i].data, s[i].len)) != 0)
        {
            json_decref(arr);
            return NULL;
        }
    }

    return arr;
}

static json_t *
ngx_http_mcp_auth_metadata_json(ngx_http_mcp_auth_loc_conf_t *alcf)
{
    json_t  *doc;

    doc = json_pack("{s:s%, s:o?, s:o?, s:[s], s:s}",
                    "resource", (const char *) alcf->audience.data,
                    alcf->audience.len,
                    "authorization_servers",
                    ngx_http_mcp_auth_metadata_strings(
                        alcf->authorization_servers),
                    "scopes_supported",
                    ngx_http_mcp_auth_metadata_strings(
                        alcf->scopes_supported),
                    "bearer_methods_supported", "header",
                    "resource_name", "routeros-mcp");

    return doc;
}

ngx_int_t
ngx_http_mcp_auth_metadata_handler(ngx_http_request_t *r)
{
    char                          *text;
    size_t                         len;
    json_t                        *doc;
    ngx_int_t                      rc;
    ngx_buf_t                     *b;
    ngx_chain_t                    out;
    ngx_http_mcp_auth_loc_conf_t  *alcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    alcf = ngx_http_get_module_loc_conf(r, ngx_http_mcp_auth_module);

    doc = ngx_http_mcp_auth_metadata_json(alcf);
    if (doc == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);

    if (text == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    len = ngx_strlen(text);

    b = ngx_create_temp_buf(r->pool, len);
    if (b == NULL) {
        free(text);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->last = ngx_cpymem(b->pos, text, len);
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;
    free(text);

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = len;
    ngx_str_set(&r->headers_out.content_type, "application/json");
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    rc = ngx_http_send_header(r);
    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}
