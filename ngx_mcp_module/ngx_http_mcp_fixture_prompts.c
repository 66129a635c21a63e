/*
 * ngx_http_mcp_fixture_prompts.c: the conformance suite's prompts with
 * embedded resource and image content, and completion of its prompt argument.
 */
#include "ngx_http_mcp_fixtures.h"

#define NGX_HTTP_MCP_FIXTURE_COMPLETED  "test_prompt_with_arguments"

/* candidates offered for any argument of the completed prompt */
static const char  *ngx_http_mcp_fixture_values[] = {
    "test", "test-value", "testing", "example", NULL
};


/* prompts/list: mcp_prompts' listing plus the fixture prompts. */
json_t *
ngx_http_mcp_fixtures_prompts_list(json_t *listed)
{
    json_t  *result, *prompts;

    result = json_deep_copy(listed);
    prompts = json_object_get(result, "prompts");

    if (!json_is_array(prompts)
        || json_array_append_new(prompts,
               json_pack("{s:s, s:s, s:[{s:s, s:s, s:b}]}", "name",
                         "test_prompt_with_embedded_resource", "description",
                         "A prompt with an embedded resource", "arguments",
                         "name", "resourceUri", "description",
                         "URI of the resource to embed", "required", 1))
           != 0
        || json_array_append_new(prompts,
               json_pack("{s:s, s:s, s:[]}", "name",
                         "test_prompt_with_image", "description",
                         "A prompt with an image", "arguments"))
           != 0)
    {
        json_decref(result);
        return NULL;
    }

    return result;
}


/*
 * prompts/get of a fixture prompt; NULL with *err NULL when name is not one,
 * with *err set when an argument is wrong.
 */
json_t *
ngx_http_mcp_fixtures_prompt(json_t *name, json_t *args, const char **err)
{
    json_t      *uri;
    const char  *n;

    *err = NULL;
    n = json_string_value(name);

    if (ngx_strcmp(n, "test_prompt_with_image") == 0) {
        return json_pack("{s:[{s:s, s:{s:s, s:s, s:s}}, {s:s, s:{s:s, s:s}}]}",
                         "messages",
                         "role", "user", "content", "type", "image",
                         "data", NGX_HTTP_MCP_FIXTURE_PNG,
                         "mimeType", "image/png",
                         "role", "user", "content", "type", "text",
                         "text", "Please analyze the image above.");
    }

    if (ngx_strcmp(n, "test_prompt_with_embedded_resource") != 0) {
        return NULL;
    }

    uri = json_object_get(args, "resourceUri");

    if (!json_is_string(uri) || json_string_length(uri) == 0) {
        *err = "params.arguments.resourceUri: required string";
        return NULL;
    }

    return json_pack("{s:[{s:s, s:{s:s, s:{s:O, s:s, s:s}}},"
                     " {s:s, s:{s:s, s:s}}]}",
                     "messages",
                     "role", "user", "content", "type", "resource",
                     "resource", "uri", uri, "mimeType", "text/plain",
                     "text", "Embedded resource content for testing.",
                     "role", "user", "content", "type", "text",
                     "text", "Please process the embedded resource above.");
}


/*
 * completion/complete for the conformance prompt: the candidates starting
 * with the typed value; NGX_DECLINED for any other reference.
 */
ngx_int_t
ngx_http_mcp_fixtures_complete(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *ref, json_t *arg)
{
    json_t       *values, *value;
    size_t        len;
    const char  **v;

    if (ngx_strcmp(json_string_value(json_object_get(ref, "type")),
                   "ref/prompt") != 0
        || ngx_strcmp(json_string_value(json_object_get(ref, "name")),
                      NGX_HTTP_MCP_FIXTURE_COMPLETED) != 0)
    {
        return NGX_DECLINED;
    }

    value = json_object_get(arg, "value");
    len = json_string_length(value);
    values = json_array();

    for (v = ngx_http_mcp_fixture_values; values != NULL && *v; v++) {
        if (ngx_strncmp(*v, json_string_value(value), len) == 0
            && json_array_append_new(values, json_string(*v)) != 0)
        {
            json_decref(values);
            values = NULL;
        }
    }

    ngx_http_mcp_result(r, ctx->id,
                        values ? json_pack("{s:{s:o, s:I, s:b}}", "completion",
                                           "values", values, "total",
                                           (json_int_t) json_array_size(values),
                                           "hasMore", 0)
                               : NULL);

    return NGX_OK;
}
