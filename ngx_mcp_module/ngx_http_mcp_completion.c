/*
 * ngx_http_mcp_completion.c: completion/complete: checks the reference and
 * the argument, then queues a "completion" job the agent answers.
 */
#include "ngx_http_mcp_fixtures.h"

#define NGX_HTTP_MCP_COMPLETION_TIMEOUT  5000
#define NGX_HTTP_MCP_COMPLETION_MAX      256


/* The reference's name (prompt name or resource URI), or an error text. */
static json_t *
ngx_http_mcp_completion_ref(json_t *ref, const char **err)
{
    json_t      *type, *name;
    const char  *t;

    type = json_object_get(ref, "type");

    if (!json_is_object(ref) || !json_is_string(type)) {
        *err = "params.ref: required object with a string type";
        return NULL;
    }

    t = json_string_value(type);

    if (ngx_strcmp(t, "ref/prompt") == 0) {
        name = json_object_get(ref, "name");
        *err = "params.ref.name: required string";

    } else if (ngx_strcmp(t, "ref/resource") == 0) {
        name = json_object_get(ref, "uri");
        *err = "params.ref.uri: required string";

    } else {
        *err = "params.ref.type: must be ref/prompt or ref/resource";
        return NULL;
    }

    if (!json_is_string(name) || json_string_length(name) == 0
        || json_string_length(name) > NGX_HTTP_MCP_COMPLETION_MAX
        || ngx_strlen(json_string_value(name)) != json_string_length(name))
    {
        return NULL;
    }

    return name;
}


static const char *
ngx_http_mcp_completion_argument(json_t *arg)
{
    json_t  *name, *value;

    name = json_object_get(arg, "name");
    value = json_object_get(arg, "value");

    if (!json_is_object(arg) || !json_is_string(name)
        || json_string_length(name) == 0)
    {
        return "params.argument.name: required string";
    }

    if (!json_is_string(value)
        || json_string_length(value) > NGX_HTTP_MCP_COMPLETION_MAX)
    {
        return "params.argument.value: required string of at most 256 "
               "characters";
    }

    return NULL;
}


void
ngx_http_mcp_completion_complete(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    json_t                    *ref, *name, *arg, *context;
    const char                *err;
    ngx_http_mcp_main_conf_t  *mcf;

    ref = json_object_get(ctx->params, "ref");
    arg = json_object_get(ctx->params, "argument");
    context = json_object_get(ctx->params, "context");

    name = ngx_http_mcp_completion_ref(ref, &err);

    if (name == NULL
        || (err = ngx_http_mcp_completion_argument(arg)) != NULL)
    {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0, err, NULL);
        return;
    }

    if (context != NULL
        && !(json_is_object(context)
             && (json_object_get(context, "arguments") == NULL
                 || json_is_object(json_object_get(context, "arguments")))))
    {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.context.arguments: must be an object",
                           NULL);
        return;
    }

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    if (mcf->conformance_fixtures
        && ngx_http_mcp_fixtures_complete(r, ctx, ref, arg) == NGX_OK)
    {
        return;
    }

    ctx->arguments = json_pack("{s:O, s:O, s:O*}", "ref", ref, "argument", arg,
                               "context", context);
    if (ctx->arguments == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    ctx->job_kind = "completion";
    ctx->job_name = json_string_value(name);
    ctx->job_timeout = NGX_HTTP_MCP_COMPLETION_TIMEOUT;

    ngx_http_mcp_jobs_submit(r, ctx);
}
