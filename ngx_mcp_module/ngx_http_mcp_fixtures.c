/*
 * ngx_http_mcp_fixtures.c: the tools the official conformance suite calls
 * (test_simple_text, ...), served only under "mcp_conformance_fixtures on".
 */
#include "ngx_http_mcp_fixtures.h"

#define NGX_HTTP_MCP_WAV                                                     \
    "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA=="

/* notifications sent on the call's SSE stream before its result */
typedef enum {
    NGX_HTTP_MCP_FIXTURE_PLAIN,
    NGX_HTTP_MCP_FIXTURE_PROGRESS,
    NGX_HTTP_MCP_FIXTURE_LOGGING
} ngx_http_mcp_fixture_kind_e;

typedef struct {
    const char                    *name;
    const char                    *description;
    ngx_http_mcp_fixture_kind_e    kind;
    const char                    *result;      /* CallToolResult JSON */
} ngx_http_mcp_fixture_t;

static const ngx_http_mcp_fixture_t  ngx_http_mcp_fixtures[] = {

    { "test_simple_text", "Returns a simple text response",
      NGX_HTTP_MCP_FIXTURE_PLAIN,
      "{\"content\":[{\"type\":\"text\",\"text\":"
      "\"This is a simple text response for testing.\"}]}" },

    { "test_image_content", "Returns an image",
      NGX_HTTP_MCP_FIXTURE_PLAIN,
      "{\"content\":[{\"type\":\"image\",\"data\":\"" NGX_HTTP_MCP_FIXTURE_PNG
      "\",\"mimeType\":\"image/png\"}]}" },

    { "test_audio_content", "Returns audio",
      NGX_HTTP_MCP_FIXTURE_PLAIN,
      "{\"content\":[{\"type\":\"audio\",\"data\":\"" NGX_HTTP_MCP_WAV
      "\",\"mimeType\":\"audio/wav\"}]}" },

    { "test_embedded_resource", "Returns an embedded resource",
      NGX_HTTP_MCP_FIXTURE_PLAIN,
      "{\"content\":[{\"type\":\"resource\",\"resource\":{\"uri\":"
      "\"test://embedded-resource\",\"mimeType\":\"text/plain\",\"text\":"
      "\"This is an embedded resource content.\"}}]}" },

    { "test_multiple_content_types", "Returns text, an image and a resource",
      NGX_HTTP_MCP_FIXTURE_PLAIN,
      "{\"content\":[{\"type\":\"text\",\"text\":"
      "\"Multiple content types test:\"},{\"type\":\"image\",\"data\":\""
      NGX_HTTP_MCP_FIXTURE_PNG "\",\"mimeType\":\"image/png\"},{\"type\":"
      "\"resource\",\"resource\":{\"uri\":\"test://mixed-content-resource\","
      "\"mimeType\":\"application/json\",\"text\":"
      "\"{\\\"test\\\":\\\"data\\\",\\\"value\\\":123}\"}}]}" },

    { "test_error_handling", "Always returns a tool error",
      NGX_HTTP_MCP_FIXTURE_PLAIN,
      "{\"isError\":true,\"content\":[{\"type\":\"text\",\"text\":"
      "\"This tool intentionally returns an error for testing\"}]}" },

    { "test_tool_with_progress", "Reports progress 0, 50, 100 of 100",
      NGX_HTTP_MCP_FIXTURE_PROGRESS,
      "{\"content\":[{\"type\":\"text\",\"text\":"
      "\"Progress tool completed\"}]}" },

    { "test_tool_with_logging", "Sends three info log messages",
      NGX_HTTP_MCP_FIXTURE_LOGGING,
      "{\"content\":[{\"type\":\"text\",\"text\":"
      "\"Logging tool completed\"}]}" },

    { NULL, NULL, NGX_HTTP_MCP_FIXTURE_PLAIN, NULL }
};


/* The fixtures as the tools array of tools/list. */
json_t *
ngx_http_mcp_fixtures_tools(void)
{
    json_t                        *tools, *tool;
    const ngx_http_mcp_fixture_t  *f;

    tools = json_array();
    if (tools == NULL) {
        return NULL;
    }

    for (f = ngx_http_mcp_fixtures; f->name; f++) {
        tool = json_pack("{s:s, s:s, s:{s:s, s:{}}}", "name", f->name,
                         "description", f->description, "inputSchema",
                         "type", "object", "properties");
        if (tool == NULL || json_array_append_new(tools, tool) != 0) {
            json_decref(tools);
            return NULL;
        }
    }

    if (ngx_http_mcp_fixtures_ask_tools(tools) != NGX_OK) {
        json_decref(tools);
        return NULL;
    }

    return tools;
}


static ngx_int_t
ngx_http_mcp_fixture_notify(ngx_http_request_t *r, json_t *params,
    const char *method)
{
    char       *text;
    json_t     *msg;
    ngx_int_t   rc;

    msg = json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method,
                    "params", params);
    text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);

    if (text == NULL) {
        return NGX_ERROR;
    }

    rc = ngx_http_mcp_sse_event(r, NULL, 0, (u_char *) text,
                                ngx_strlen(text), 0);
    free(text);

    return rc == NGX_ERROR ? NGX_ERROR : NGX_OK;
}


/* The notifications of a streaming fixture, all sent before its result. */
static ngx_int_t
ngx_http_mcp_fixture_stream(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const ngx_http_mcp_fixture_t *f)
{
    static const char  *logs[] = { "Tool execution started",
                                   "Tool processing data",
                                   "Tool execution completed" };
    ngx_uint_t          i;
    json_t             *params;

    if (ngx_http_mcp_sse_start(r) != NGX_OK) {
        return NGX_ERROR;
    }

    for (i = 0; i < 3; i++) {
        if (f->kind == NGX_HTTP_MCP_FIXTURE_PROGRESS) {
            if (ctx->progress_token == NULL) {
                return NGX_OK;
            }

            params = json_pack("{s:O, s:i, s:i}", "progressToken",
                               ctx->progress_token, "progress", (int) i * 50,
                               "total", 100);
        } else {
            params = json_pack("{s:s, s:s}", "level", "info", "data",
                               logs[i]);
        }

        if (params == NULL
            || ngx_http_mcp_fixture_notify(r, params,
                   f->kind == NGX_HTTP_MCP_FIXTURE_PROGRESS
                   ? "notifications/progress" : "notifications/message")
               != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* tools/call under mcp_conformance_fixtures: no agent, no catalog. */
void
ngx_http_mcp_fixtures_call(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    json_t                        *name, *meta, *token, *result;
    const ngx_http_mcp_fixture_t  *f;

    name = json_object_get(ctx->params, "name");

    for (f = ngx_http_mcp_fixtures; f->name; f++) {
        if (json_is_string(name)
            && ngx_strcmp(json_string_value(name), f->name) == 0)
        {
            break;
        }
    }

    if (f->name == NULL && json_is_string(name)
        && ngx_http_mcp_fixtures_ask_call(r, ctx, name) == NGX_OK)
    {
        return;
    }

    if (f->name == NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "params.name: unknown tool", NULL);
        return;
    }

    meta = json_object_get(ctx->params, "_meta");
    token = json_object_get(meta, "progressToken");
    ctx->progress_token = (json_is_string(token) || json_is_integer(token))
                          ? token : NULL;

    if (f->kind != NGX_HTTP_MCP_FIXTURE_PLAIN && ctx->batch == NULL
        && ngx_http_mcp_fixture_stream(r, ctx, f) != NGX_OK)
    {
        ctx->answered = 1;
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    result = json_loads(f->result, 0, NULL);
    ngx_http_mcp_result(r, ctx->id, result);
}
