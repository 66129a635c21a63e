/*
 * ngx_http_mcp_methods.c: routes a JSON-RPC message to its MCP method and
 * answers the ones that need no agent: initialize, ping, tools/list.
 */
#include "ngx_http_mcp_subscribe.h"
#include "ngx_http_mcp_ask.h"

/* oldest first; the last one is what an unknown version is offered */
static const char  *ngx_http_mcp_versions[] = {
    "2025-03-26",
    "2025-06-18",
    "2025-11-25"
};

#define NGX_HTTP_MCP_NVERSIONS                                               \
    (sizeof(ngx_http_mcp_versions) / sizeof(ngx_http_mcp_versions[0]))


const char *
ngx_http_mcp_negotiate(const char *requested)
{
    ngx_uint_t  i;

    for (i = 0; i < NGX_HTTP_MCP_NVERSIONS; i++) {
        if (ngx_strcmp(requested, ngx_http_mcp_versions[i]) == 0) {
            return ngx_http_mcp_versions[i];
        }
    }

    return ngx_http_mcp_versions[NGX_HTTP_MCP_NVERSIONS - 1];
}


ngx_int_t
ngx_http_mcp_version_supported(ngx_str_t *version)
{
    ngx_uint_t  i;

    for (i = 0; i < NGX_HTTP_MCP_NVERSIONS; i++) {
        if (version->len == ngx_strlen(ngx_http_mcp_versions[i])
            && ngx_strncmp(version->data, ngx_http_mcp_versions[i],
                           version->len)
               == 0)
        {
            return 1;
        }
    }

    return 0;
}


json_t *
ngx_http_mcp_initialize_result(ngx_http_request_t *r, const char *version)
{
    json_t                    *result, *caps;
    ngx_http_mcp_main_conf_t  *mcf;

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    /* capabilities list exactly what this server implements */
    result = json_pack("{s:s, s:{s:{s:b}, s:{}}, s:{s:s, s:s}}",
                       "protocolVersion", version,
                       "capabilities", "tools", "listChanged", 0,
                       "logging",
                       "serverInfo", "name", NGX_HTTP_MCP_SERVER_NAME,
                       "version", NGX_HTTP_MCP_SERVER_VERSION);
    /* the resources methods and completion/complete, through the agent;
     * resources/subscribe in Redis (ngx_http_mcp_subscribe.c) */
    if (result != NULL
        && (json_object_set_new(json_object_get(result, "capabilities"),
                                "resources",
                                json_pack("{s:b, s:b}", "subscribe", 1,
                                          "listChanged", 0))
            != 0
            || json_object_set_new(json_object_get(result, "capabilities"),
                                   "completions", json_object())
               != 0))
    {
        json_decref(result);
        return NULL;
    }

    if (result == NULL || mcf->prompts.prompts == NULL) {
        return result;
    }

    caps = json_object_get(result, "capabilities");

    if (json_object_set_new(caps, "prompts",
                            json_pack("{s:b}", "listChanged", 0))
        != 0)
    {
        json_decref(result);
        return NULL;
    }

    return result;
}


static void
ngx_http_mcp_initialize(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    json_t  *v;

    v = json_object_get(ctx->params, "protocolVersion");
    if (!json_is_string(v)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.protocolVersion: required string", NULL);
        return;
    }

    if (ctx->legacy) {
        ngx_http_mcp_legacy_initialize(r, ctx, json_string_value(v));
        return;
    }

    ngx_http_mcp_session_create(r, ctx,
                                ngx_http_mcp_negotiate(json_string_value(v)));
}


static void
ngx_http_mcp_ping(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_result(r, ctx->id, json_object());
}


/*
 * Every request method the endpoint answers. A feature file adds its method
 * here with one line; the handler lives in that file.
 */
static const ngx_http_mcp_method_t  ngx_http_mcp_methods[] = {
    { ngx_string("initialize"), ngx_http_mcp_initialize },
    { ngx_string("ping"), ngx_http_mcp_ping },
    { ngx_string("tools/list"), ngx_http_mcp_tools_list },
    { ngx_string("tools/call"), ngx_http_mcp_tools_call },
    { ngx_string("resources/list"), ngx_http_mcp_resources_list },
    { ngx_string("resources/templates/list"),
      ngx_http_mcp_resources_templates_list },
    { ngx_string("resources/read"), ngx_http_mcp_resources_read },
    { ngx_string("resources/subscribe"), ngx_http_mcp_resources_subscribe },
    { ngx_string("resources/unsubscribe"),
      ngx_http_mcp_resources_unsubscribe },
    { ngx_string("completion/complete"), ngx_http_mcp_completion_complete },
    { ngx_string("prompts/list"), ngx_http_mcp_prompts_list },
    { ngx_string("prompts/get"), ngx_http_mcp_prompts_get },
    { ngx_string("logging/setLevel"), ngx_http_mcp_logging_set_level },
    { ngx_null_string, NULL }
};

/* The notifications that do something; any other is accepted and dropped. */
static const ngx_http_mcp_method_t  ngx_http_mcp_notifications[] = {
    { ngx_string("notifications/cancelled"), ngx_http_mcp_cancelled },
    { ngx_null_string, NULL }
};


void
ngx_http_mcp_dispatch(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    const ngx_http_mcp_method_t  *m;

    if (r->method == NGX_HTTP_GET) {
        ngx_http_mcp_stream_open(r, ctx);
        return;
    }

    if (json_is_array(ctx->message)) {
        ngx_http_mcp_batch(r, ctx);
        return;
    }

    /* client responses go to the request that asked, then 202 */
    if (ctx->method.len == 0) {
        ngx_http_mcp_ask_reply(r, ctx);
        return;
    }

    m = (ctx->id == NULL) ? ngx_http_mcp_notifications : ngx_http_mcp_methods;

    for ( /* void */ ; m->handler != NULL; m++) {
        if (m->name.len == ctx->method.len
            && ngx_strncmp(m->name.data, ctx->method.data, m->name.len) == 0)
        {
            m->handler(r, ctx);
            return;
        }
    }

    /* notifications are never answered, unknown ones included */
    if (ctx->id == NULL) {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
        return;
    }

    ngx_http_mcp_error(r, ctx->id, MCP_ERR_METHOD_NOT_FOUND, 0,
                       "Method not found",
                       json_pack("{s:s%}", "method",
                                 (char *) ctx->method.data,
                                 ctx->method.len));
}
