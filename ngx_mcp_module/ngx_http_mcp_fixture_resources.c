/*
 * ngx_http_mcp_fixture_resources.c: the conformance suite's test:// resources
 * (static text and binary, a template, a watched resource), module-served.
 */
#include "ngx_http_mcp_fixtures.h"

#define NGX_HTTP_MCP_FIXTURE_ID_MAX  64

typedef struct {
    const char  *uri;
    const char  *name;
    const char  *description;
    const char  *mime;
    const char  *text;      /* NULL: blob */
} ngx_http_mcp_fixture_resource_t;


static const ngx_http_mcp_fixture_resource_t  ngx_http_mcp_fixture_res[] = {
    { "test://static-text", "static-text", "A static text resource",
      "text/plain", "This is the content of the static text resource." },
    { "test://static-binary", "static-binary", "A static binary resource "
      "(a PNG image)", "image/png", NULL },
    { "test://watched-resource", "watched-resource", "A resource clients "
      "may subscribe to", "text/plain", "Watched resource content." },
    { NULL, NULL, NULL, NULL, NULL }
};

#define NGX_HTTP_MCP_FIXTURE_TPL_PREFIX  "test://template/"
#define NGX_HTTP_MCP_FIXTURE_TPL_SUFFIX  "/data"


/* Appends the fixture resources (or the fixture template) to list. */
ngx_int_t
ngx_http_mcp_fixtures_list_resources(json_t *list, ngx_uint_t templates)
{
    json_t                                 *entry;
    const ngx_http_mcp_fixture_resource_t  *f;

    if (templates) {
        entry = json_pack("{s:s, s:s, s:s, s:s}", "uriTemplate",
                          NGX_HTTP_MCP_FIXTURE_TPL_PREFIX "{id}"
                          NGX_HTTP_MCP_FIXTURE_TPL_SUFFIX,
                          "name", "template-data", "description",
                          "A resource template with an id parameter",
                          "mimeType", "application/json");

        return json_array_append_new(list, entry) == 0 ? NGX_OK : NGX_ERROR;
    }

    for (f = ngx_http_mcp_fixture_res; f->uri; f++) {
        entry = json_pack("{s:s, s:s, s:s, s:s}", "uri", f->uri, "name",
                          f->name, "description", f->description,
                          "mimeType", f->mime);

        if (json_array_append_new(list, entry) != 0) {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* The id of test://template/{id}/data, or 0 when uri is not one. */
static size_t
ngx_http_mcp_fixture_template_id(const u_char *uri, size_t len)
{
    size_t  i, pre, suf;

    pre = sizeof(NGX_HTTP_MCP_FIXTURE_TPL_PREFIX) - 1;
    suf = sizeof(NGX_HTTP_MCP_FIXTURE_TPL_SUFFIX) - 1;

    if (len <= pre + suf || len - pre - suf > NGX_HTTP_MCP_FIXTURE_ID_MAX
        || ngx_strncmp(uri, NGX_HTTP_MCP_FIXTURE_TPL_PREFIX, pre) != 0
        || ngx_strncmp(uri + len - suf, NGX_HTTP_MCP_FIXTURE_TPL_SUFFIX, suf)
           != 0)
    {
        return 0;
    }

    for (i = pre; i < len - suf; i++) {
        if (!(isalnum(uri[i]) || uri[i] == '-' || uri[i] == '_')) {
            return 0;
        }
    }

    return len - pre - suf;
}


static const ngx_http_mcp_fixture_resource_t *
ngx_http_mcp_fixture_find(const u_char *uri, size_t len)
{
    const ngx_http_mcp_fixture_resource_t  *f;

    for (f = ngx_http_mcp_fixture_res; f->uri; f++) {
        if (len == ngx_strlen(f->uri) && ngx_strncmp(uri, f->uri, len) == 0) {
            return f;
        }
    }

    return NULL;
}


/* Whether uri names a fixture resource (resources/subscribe accepts it). */
ngx_int_t
ngx_http_mcp_fixtures_resource(const u_char *uri, size_t len)
{
    return ngx_http_mcp_fixture_find(uri, len) != NULL
           || ngx_http_mcp_fixture_template_id(uri, len) != 0;
}


/* resources/read of a test:// URI; NGX_DECLINED for any other URI. */
ngx_int_t
ngx_http_mcp_fixtures_read(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *uri)
{
    char                                   *text;
    size_t                                  len, id_len;
    json_t                                 *content, *data;
    const u_char                           *u;
    const ngx_http_mcp_fixture_resource_t  *f;

    u = (const u_char *) json_string_value(uri);
    len = json_string_length(uri);

    f = ngx_http_mcp_fixture_find(u, len);

    if (f != NULL) {
        content = json_pack("{s:O, s:s, s:s}", "uri", uri, "mimeType",
                            f->mime, f->text ? "text" : "blob",
                            f->text ? f->text : NGX_HTTP_MCP_FIXTURE_PNG);

    } else {
        id_len = ngx_http_mcp_fixture_template_id(u, len);
        if (id_len == 0) {
            return NGX_DECLINED;
        }

        u += sizeof(NGX_HTTP_MCP_FIXTURE_TPL_PREFIX) - 1;
        data = json_pack("{s:s%, s:b, s:s}", "id", u, id_len,
                         "templateTest", 1, "data", "");
        text = NULL;

        if (data != NULL) {
            json_object_set_new(data, "data",
                                json_sprintf("Data for ID: %.*s",
                                             (int) id_len, u));
            text = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
            json_decref(data);
        }

        content = text ? json_pack("{s:O, s:s, s:s}", "uri", uri,
                                   "mimeType", "application/json",
                                   "text", text)
                       : NULL;
        free(text);
    }

    ngx_http_mcp_result(r, ctx->id,
                        content ? json_pack("{s:[o]}", "contents", content)
                                : NULL);

    return NGX_OK;
}
