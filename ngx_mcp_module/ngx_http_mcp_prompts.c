/*
 * ngx_http_mcp_prompts.c: the MCP prompts feature: the mcp_prompts directive
 * (templates loaded once per configuration), prompts/list and prompts/get.
 */
#include "ngx_http_mcp_fixtures.h"


static void
ngx_http_mcp_prompts_cleanup(void *data)
{
    mcp_prompts_t  *prompts = data;

    mcp_prompts_free(prompts);
}


/* mcp_prompts <dir>: loads the templates and renders prompts/list once. */
char *
ngx_http_mcp_prompts_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_mcp_main_conf_t  *mcf = conf;

    char                 err[512], *text;
    ngx_str_t           *value;
    ngx_pool_cleanup_t  *cln;

    if (mcf->prompts.prompts != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    if (mcp_prompts_load((char *) value[1].data, &mcf->prompts, err,
                         sizeof(err))
        != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "mcp_prompts \"%V\": %s", &value[1], err);
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_mcp_prompts_cleanup;
    cln->data = &mcf->prompts;

    text = json_dumps(mcf->prompts.listed, JSON_COMPACT);
    if (text == NULL) {
        return NGX_CONF_ERROR;
    }

    mcf->prompts_list.len = ngx_strlen(text);
    mcf->prompts_list.data = ngx_pnalloc(cf->pool, mcf->prompts_list.len);

    if (mcf->prompts_list.data != NULL) {
        ngx_memcpy(mcf->prompts_list.data, text, mcf->prompts_list.len);
    }

    free(text);

    return mcf->prompts_list.data != NULL ? NGX_CONF_OK : NGX_CONF_ERROR;
}


/* Without mcp_prompts the feature is absent, as initialize advertises. */
static ngx_int_t
ngx_http_mcp_prompts_enabled(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_main_conf_t  *mcf;

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    if (mcf->prompts.prompts != NULL) {
        return 1;
    }

    ngx_http_mcp_error(r, ctx->id, MCP_ERR_METHOD_NOT_FOUND, 0,
                       "Method not found",
                       json_pack("{s:s%}", "method",
                                 (char *) ctx->method.data,
                                 ctx->method.len));
    return 0;
}


void
ngx_http_mcp_prompts_list(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_main_conf_t  *mcf;

    if (!ngx_http_mcp_prompts_enabled(r, ctx)) {
        return;
    }

    /* every prompt fits one page, so no cursor can be valid */
    if (json_object_get(ctx->params, "cursor") != NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.cursor: invalid cursor", NULL);
        return;
    }

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    if (mcf->conformance_fixtures) {
        ngx_http_mcp_result(r, ctx->id,
                            ngx_http_mcp_fixtures_prompts_list(
                                mcf->prompts.listed));
        return;
    }

    ngx_http_mcp_result_raw(r, ctx->id, &mcf->prompts_list);
}


void
ngx_http_mcp_prompts_get(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    char                       err[256];
    json_t                    *name, *result;
    const char                *fixture_err;
    ngx_http_mcp_main_conf_t  *mcf;

    if (!ngx_http_mcp_prompts_enabled(r, ctx)) {
        return;
    }

    name = json_object_get(ctx->params, "name");
    if (!json_is_string(name)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.name: required string", NULL);
        return;
    }

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    if (mcf->conformance_fixtures) {
        result = ngx_http_mcp_fixtures_prompt(name,
                     json_object_get(ctx->params, "arguments"), &fixture_err);

        if (result != NULL || fixture_err != NULL) {
            if (result == NULL) {
                ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                                   fixture_err,
                                   json_pack("{s:O}", "name", name));
                return;
            }

            ngx_http_mcp_result(r, ctx->id, result);
            return;
        }
    }

    result = mcp_prompts_render(&mcf->prompts, json_string_value(name),
                                json_string_length(name),
                                json_object_get(ctx->params, "arguments"),
                                err, sizeof(err));
    if (result != NULL) {
        ngx_http_mcp_result(r, ctx->id, result);
        return;
    }

    /* the renderer names the offending parameter, else it ran out of memory */
    if (ngx_strncmp(err, "params.", 7) != 0) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, 0, err, NULL);
        return;
    }

    ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0, err,
                       json_pack("{s:O}", "name", name));
}
