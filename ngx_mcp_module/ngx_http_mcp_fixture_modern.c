/*
 * ngx_http_mcp_fixture_modern.c: the 2026-07-28 diagnostic tools of the
 * conformance suite (test_missing_capability, test_logging_tool,
 * test_streaming_elicitation), served only under mcp_conformance_fixtures.
 */
#include "ngx_http_mcp.h"

typedef void (*ngx_http_mcp_fixture_pt)(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);

typedef struct {
    const char               *name;
    const char               *description;
    const char               *capability;  /* the client must declare it */
    ngx_http_mcp_fixture_pt   handler;
} ngx_http_mcp_modern_fixture_t;

static void ngx_http_mcp_fixture_capability(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
static void ngx_http_mcp_fixture_logging(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
static void ngx_http_mcp_fixture_elicitation(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);

static const ngx_http_mcp_modern_fixture_t  ngx_http_mcp_modern_fixtures[] = {
    { "test_missing_capability",
      "Needs the client's sampling capability; without it the call fails "
      "with -32021", "sampling", ngx_http_mcp_fixture_capability },
    { "test_logging_tool",
      "Logs three info messages when the request's _meta asks for a log "
      "level", NULL, ngx_http_mcp_fixture_logging },
    { "test_streaming_elicitation",
      "Asks the client to confirm (an input_required result) and answers "
      "once the retried request carries the confirmation", "elicitation",
      ngx_http_mcp_fixture_elicitation },
    { NULL, NULL, NULL, NULL }
};


json_t *
ngx_http_mcp_fixtures_modern_tools(void)
{
    json_t                               *tools, *tool;
    const ngx_http_mcp_modern_fixture_t  *f;

    tools = json_array();

    for (f = ngx_http_mcp_modern_fixtures; tools != NULL && f->name; f++) {
        tool = json_pack("{s:s, s:s, s:{s:s, s:{}}}", "name", f->name,
                         "description", f->description, "inputSchema",
                         "type", "object", "properties");
        if (tool == NULL || json_array_append_new(tools, tool) != 0) {
            json_decref(tools);
            return NULL;
        }
    }

    return tools;
}


static void
ngx_http_mcp_fixture_text(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const char *text)
{
    ngx_http_mcp_result(r, ctx->id,
                        json_pack("{s:[{s:s, s:s}]}", "content", "type",
                                  "text", "text", text));
}


static void
ngx_http_mcp_fixture_capability(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    ngx_http_mcp_fixture_text(r, ctx, "The client declared the sampling "
                              "capability.");
}


static void
ngx_http_mcp_fixture_logging(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    static const char  *logs[] = { "Tool execution started",
                                   "Tool processing data",
                                   "Tool execution completed" };
    ngx_uint_t          i;

    /* notifications/message only for a request that set a level ≤ info */
    if (ctx->log_level == NULL
        || mcp_log_level_rank(ctx->log_level) > mcp_log_level_rank("info"))
    {
        ngx_http_mcp_fixture_text(r, ctx, "Logging tool completed");
        return;
    }

    if (ngx_http_mcp_sse_start(r) != NGX_OK) {
        ctx->answered = 1;
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    for (i = 0; i < 3; i++) {
        if (ngx_http_mcp_sse_notification(r, NULL, 0, "notifications/message",
                                          json_pack("{s:s, s:s}", "level",
                                                    "info", "data", logs[i]))
            == NGX_ERROR)
        {
            ctx->answered = 1;
            ngx_http_finalize_request(r, NGX_ERROR);
            return;
        }
    }

    ngx_http_mcp_fixture_text(r, ctx, "Logging tool completed");
}


/* MRTR: the answer to inputRequests.confirm arrives in a retried request. */
static void
ngx_http_mcp_fixture_elicitation(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    json_t  *answer, *action;

    answer = json_object_get(json_object_get(ctx->params, "inputResponses"),
                             "confirm");
    action = json_object_get(answer, "action");

    if (json_is_string(action)) {
        ngx_http_mcp_fixture_text(r, ctx, json_string_value(action));
        return;
    }

    ngx_http_mcp_result(r, ctx->id,
        json_pack("{s:s, s:{s:{s:s, s:{s:s, s:s, s:{s:s, s:{s:{s:s}}}}}}}",
                  "resultType", "input_required", "inputRequests", "confirm",
                  "method", "elicitation/create", "params", "mode", "form",
                  "message", "Confirm to continue", "requestedSchema",
                  "type", "object", "properties", "confirm", "type",
                  "boolean"));
}


/* NGX_DECLINED: not a modern fixture (or fixtures are off). */
ngx_int_t
ngx_http_mcp_fixtures_modern_call(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx)
{
    json_t                               *name;
    ngx_http_mcp_main_conf_t             *mcf;
    const ngx_http_mcp_modern_fixture_t  *f;

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);
    name = json_object_get(ctx->params, "name");

    if (!mcf->conformance_fixtures || !json_is_string(name)) {
        return NGX_DECLINED;
    }

    for (f = ngx_http_mcp_modern_fixtures; f->name; f++) {
        if (ngx_strcmp(json_string_value(name), f->name) == 0) {
            break;
        }
    }

    if (f->name == NULL) {
        return NGX_DECLINED;
    }

    if (f->capability != NULL
        && !mcp_modern_has_capability(ctx->client_caps, f->capability))
    {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_MISSING_CAPABILITY, 0,
                           "Missing required client capability",
                           json_pack("{s:{s:{}}}", "requiredCapabilities",
                                     f->capability));
        return NGX_OK;
    }

    f->handler(r, ctx);

    return NGX_OK;
}
