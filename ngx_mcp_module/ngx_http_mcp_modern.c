/*
 * ngx_http_mcp_modern.c: the 2026-07-28 era on the MCP endpoint: picks the
 * era of each request, runs the header/_meta ladder, routes the modern
 * methods, and gives modern results resultType, serverInfo and cache hints.
 */
#include "ngx_http_mcp_mrtr.h"

#define NGX_HTTP_MCP_MESSAGE_MAX  512

static void ngx_http_mcp_modern_tools_call(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
static void ngx_http_mcp_modern_prompts_get(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);


/* The methods of the modern era; initialize, ping, logging/setLevel and
 * resources/(un)subscribe were removed from it and answer 404. */
static const ngx_http_mcp_method_t  ngx_http_mcp_modern_methods[] = {
    { ngx_string("server/discover"), ngx_http_mcp_server_discover },
    { ngx_string("tools/list"), ngx_http_mcp_tools_list },
    { ngx_string("tools/call"), ngx_http_mcp_modern_tools_call },
    { ngx_string("resources/list"), ngx_http_mcp_resources_list },
    { ngx_string("resources/templates/list"),
      ngx_http_mcp_resources_templates_list },
    { ngx_string("resources/read"), ngx_http_mcp_resources_read },
    { ngx_string("prompts/list"), ngx_http_mcp_prompts_list },
    { ngx_string("prompts/get"), ngx_http_mcp_modern_prompts_get },
    { ngx_string("completion/complete"), ngx_http_mcp_completion_complete },
    { ngx_string("subscriptions/listen"), ngx_http_mcp_subscriptions_listen },
    { ngx_null_string, NULL }
};

/* results a client may cache (ttlMs and cacheScope are required on them):
 * lists change with the configuration only; resources are live data */
static const struct {
    ngx_str_t    method;
    ngx_int_t    ttl_ms;
} ngx_http_mcp_cached[] = {
    { ngx_string("server/discover"), 300000 },
    { ngx_string("tools/list"), 300000 },
    { ngx_string("prompts/list"), 300000 },
    { ngx_string("resources/list"), 300000 },
    { ngx_string("resources/templates/list"), 300000 },
    { ngx_string("resources/read"), 0 },
    { ngx_null_string, 0 }
};


static mcp_header_t
ngx_http_mcp_header_value(ngx_http_request_t *r, const char *name)
{
    ngx_str_t     *h;
    mcp_header_t   v;

    h = ngx_http_mcp_header(r, name, ngx_strlen(name));

    v.data = h ? (const char *) h->data : NULL;
    v.len = h ? h->len : 0;

    return v;
}


/* Whether MCP-Protocol-Version names the modern era (GET, DELETE: 405). */
ngx_int_t
ngx_http_mcp_modern_header(ngx_http_request_t *r)
{
    mcp_header_t    v;
    mcp_envelope_t  none;

    ngx_memzero(&none, sizeof(mcp_envelope_t));
    v = ngx_http_mcp_header_value(r, "MCP-Protocol-Version");

    return mcp_modern_claims(&none, &v);
}


static void
ngx_http_mcp_modern(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    int                            status;
    char                           message[NGX_HTTP_MCP_MESSAGE_MAX];
    json_t                        *data;
    mcp_err_t                      err;
    mcp_envelope_t                 env;
    mcp_modern_request_t           req;
    mcp_modern_headers_t           h;
    const ngx_http_mcp_method_t   *m;

    ctx->modern = 1;

    if (ctx->method.len == 0) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_REQUEST, 0,
                           "Invalid Request: a 2026-07-28 client posts no "
                           "responses", NULL);
        return;
    }

    env.id = ctx->id;
    env.method = (const char *) ctx->method.data;
    env.method_len = ctx->method.len;
    env.params = ctx->params;

    h.version = ngx_http_mcp_header_value(r, "MCP-Protocol-Version");
    h.method = ngx_http_mcp_header_value(r, "Mcp-Method");
    h.name = ngx_http_mcp_header_value(r, "Mcp-Name");

    err = mcp_modern_check(&env, &h, &req, message, sizeof(message), &data,
                           &status);
    if (err != MCP_OK) {
        ngx_http_mcp_error(r, ctx->id, err, status, message, data);
        return;
    }

    ctx->client_caps = req.client_caps;
    ctx->log_level = req.log_level;

    /* the era defines no client notification over HTTP: accepted, dropped */
    if (ctx->id == NULL) {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
        return;
    }

    for (m = ngx_http_mcp_modern_methods; m->handler != NULL; m++) {
        if (m->name.len == ctx->method.len
            && ngx_strncmp(m->name.data, ctx->method.data, m->name.len) == 0)
        {
            m->handler(r, ctx);
            return;
        }
    }

    ngx_http_mcp_error(r, ctx->id, MCP_ERR_METHOD_NOT_FOUND,
                       NGX_HTTP_NOT_FOUND, "Method not found",
                       json_pack("{s:s%}", "method",
                                 (char *) ctx->method.data,
                                 ctx->method.len));
}


/*
 * After the body is parsed: a modern request is answered here, and so is a
 * legacy one whose MCP-Protocol-Version is no version at all. NGX_DECLINED:
 * the legacy path goes on (with the parse error, if any).
 */
ngx_int_t
ngx_http_mcp_era(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    mcp_err_t parsed)
{
    ngx_str_t       *h;
    mcp_header_t     v;
    mcp_envelope_t   env;

    h = ngx_http_mcp_header(r, "MCP-Protocol-Version", 20);
    v = ngx_http_mcp_header_value(r, "MCP-Protocol-Version");

    ngx_memzero(&env, sizeof(mcp_envelope_t));

    if (parsed == MCP_OK && json_is_object(ctx->message)) {
        env.params = ctx->params;
    }

    if (mcp_modern_claims(&env, &v)) {
        if (parsed != MCP_OK || !json_is_object(ctx->message)) {
            ctx->modern = 1;
            return NGX_DECLINED;
        }

        ngx_http_mcp_modern(r, ctx);
        return NGX_DONE;
    }

    /* the 2024-11-05 transport has no such header: a client may still send
     * the version it agreed on, 2024-11-05 included */
    if (h != NULL && !ctx->legacy && !ngx_http_mcp_version_supported(h)) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_SESSION_REQUIRED, 0,
                           "Bad Request: unsupported MCP-Protocol-Version",
                           NULL);
        return NGX_DONE;
    }

    return NGX_DECLINED;
}


/* The modern era has no -32002: a missing resource is invalid params. */
mcp_err_t
ngx_http_mcp_modern_error(ngx_http_request_t *r, mcp_err_t err)
{
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);

    if (ctx != NULL && ctx->modern && err == MCP_ERR_RESOURCE_NOT_FOUND) {
        return MCP_ERR_INVALID_PARAMS;
    }

    return err;
}


/* The same for a JSON-RPC code an agent answered with. */
json_int_t
ngx_http_mcp_modern_code(ngx_http_request_t *r, json_int_t code)
{
    if (code == mcp_err_jsonrpc_code(MCP_ERR_RESOURCE_NOT_FOUND)) {
        return mcp_err_jsonrpc_code(
                   ngx_http_mcp_modern_error(r, MCP_ERR_RESOURCE_NOT_FOUND));
    }

    return code;
}


/* The cache lifetime of the method's result, or NGX_DECLINED. */
static ngx_int_t
ngx_http_mcp_modern_ttl(ngx_http_mcp_ctx_t *ctx)
{
    ngx_uint_t  i;

    for (i = 0; ngx_http_mcp_cached[i].method.len; i++) {
        if (ctx->method.len == ngx_http_mcp_cached[i].method.len
            && ngx_strncmp(ctx->method.data,
                           ngx_http_mcp_cached[i].method.data,
                           ctx->method.len)
               == 0)
        {
            return ngx_http_mcp_cached[i].ttl_ms;
        }
    }

    return NGX_DECLINED;
}


/* A conformance server's modern tools/list adds the diagnostic tools. */
static ngx_int_t
ngx_http_mcp_modern_fixtures_listed(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, json_t *result)
{
    json_t                    *tools;
    ngx_int_t                  rc;
    ngx_http_mcp_main_conf_t  *mcf;

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    if (!mcf->conformance_fixtures || ctx->method.len != 10
        || ngx_strncmp(ctx->method.data, "tools/list", 10) != 0)
    {
        return NGX_OK;
    }

    tools = ngx_http_mcp_fixtures_modern_tools();
    rc = (tools != NULL
          && ngx_http_mcp_fixtures_mrtr_tools(tools) == NGX_OK
          && json_array_extend(json_object_get(result, "tools"), tools) == 0)
         ? NGX_OK : NGX_ERROR;
    json_decref(tools);

    return rc;
}


/*
 * A legacy result as the modern era sends it: resultType, serverInfo in
 * _meta, ttlMs/cacheScope on cacheable results. Legacy results pass as is.
 */
json_t *
ngx_http_mcp_modern_result(ngx_http_request_t *r, json_t *result)
{
    json_t              *meta;
    ngx_int_t            ttl;
    ngx_http_mcp_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_mcp_module);

    if (result == NULL || ctx == NULL || !ctx->modern
        || !json_is_object(result))
    {
        return result;
    }

    meta = json_object_get(result, "_meta");
    if (!json_is_object(meta)) {
        meta = json_object();
        if (json_object_set_new(result, "_meta", meta) != 0) {
            json_decref(result);
            return NULL;
        }
    }

    if ((json_object_get(result, "resultType") == NULL
         && json_object_set_new(result, "resultType",
                                json_string("complete")) != 0)
        || json_object_set_new(meta, MCP_META_SERVER_INFO,
                               json_pack("{s:s, s:s}", "name",
                                         NGX_HTTP_MCP_SERVER_NAME,
                                         "version",
                                         NGX_HTTP_MCP_SERVER_VERSION))
           != 0)
    {
        json_decref(result);
        return NULL;
    }

    /* lists and reads depend on the caller's token: private to it */
    if (ngx_http_mcp_modern_fixtures_listed(r, ctx, result) != NGX_OK) {
        json_decref(result);
        return NULL;
    }

    ttl = ngx_http_mcp_modern_ttl(ctx);

    if (ttl != NGX_DECLINED
        && (json_object_set_new(result, "ttlMs", json_integer(ttl)) != 0
            || json_object_set_new(result, "cacheScope",
                                   json_string("private")) != 0))
    {
        json_decref(result);
        return NULL;
    }

    return result;
}


/* Closing the response stream cancels the request (modern era only). */
void
ngx_http_mcp_modern_cancel(ngx_http_mcp_ctx_t *ctx)
{
    if (ctx->modern && ctx->is_pending && !ctx->answered) {
        ngx_http_mcp_cancel_job(ctx->job_id, MCP_CANCEL_BY_CLIENT);
    }
}


static void
ngx_http_mcp_modern_tools_call(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    if (ngx_http_mcp_fixtures_modern_call(r, ctx) == NGX_OK
        || ngx_http_mcp_fixtures_mrtr(r, ctx, 0) == NGX_OK)
    {
        return;
    }

    ngx_http_mcp_tools_call(r, ctx);
}


static void
ngx_http_mcp_modern_prompts_get(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    if (ngx_http_mcp_fixtures_mrtr(r, ctx, 1) == NGX_OK) {
        return;
    }

    ngx_http_mcp_prompts_get(r, ctx);
}
