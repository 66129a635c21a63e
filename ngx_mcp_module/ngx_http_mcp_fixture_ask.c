/*
 * ngx_http_mcp_fixture_ask.c: the conformance suite's tools that ask the
 * client (sampling/createMessage, elicitation/create) before they answer.
 */
#include "ngx_http_mcp_fixtures.h"
#include "ngx_http_mcp_ask.h"

typedef struct {
    const char  *name;
    const char  *description;
    const char  *capability;    /* the client must have declared it */
    const char  *method;
    const char  *input_schema;  /* JSON */
    const char  *argument;      /* required string argument, or NULL */
    const char  *params;        /* JSON, the argument's text set into it */
} ngx_http_mcp_fixture_ask_t;


#define NGX_HTTP_MCP_FIXTURE_ARG_SCHEMA(arg, what)                           \
    "{\"type\":\"object\",\"properties\":{\"" arg "\":{\"type\":\"string\"," \
    "\"description\":\"" what "\"}},\"required\":[\"" arg "\"]}"

#define NGX_HTTP_MCP_FIXTURE_NO_ARGS                                         \
    "{\"type\":\"object\",\"properties\":{}}"

static const ngx_http_mcp_fixture_ask_t  ngx_http_mcp_fixture_asks[] = {

    { "test_sampling", "Asks the client's LLM to answer the prompt",
      "sampling", "sampling/createMessage",
      NGX_HTTP_MCP_FIXTURE_ARG_SCHEMA("prompt", "The prompt to send"),
      "prompt",
      "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\","
      "\"text\":\"\"}}],\"maxTokens\":100}" },

    { "test_elicitation", "Asks the user for a username and an email",
      "elicitation", "elicitation/create",
      NGX_HTTP_MCP_FIXTURE_ARG_SCHEMA("message", "What to ask the user"),
      "message",
      "{\"message\":\"\",\"requestedSchema\":{\"type\":\"object\","
      "\"properties\":{\"username\":{\"type\":\"string\",\"description\":"
      "\"The user's name\"},\"email\":{\"type\":\"string\",\"description\":"
      "\"The user's email address\"}},\"required\":[\"username\","
      "\"email\"]}}" },

    { "test_elicitation_sep1034_defaults",
      "Asks the user with a form whose fields have defaults (SEP-1034)",
      "elicitation", "elicitation/create", NGX_HTTP_MCP_FIXTURE_NO_ARGS, NULL,
      "{\"message\":\"Please review and update the form fields with "
      "defaults\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{"
      "\"name\":{\"type\":\"string\",\"description\":\"User name\","
      "\"default\":\"John Doe\"},"
      "\"age\":{\"type\":\"integer\",\"description\":\"User age\","
      "\"default\":30},"
      "\"score\":{\"type\":\"number\",\"description\":\"User score\","
      "\"default\":95.5},"
      "\"status\":{\"type\":\"string\",\"description\":\"User status\","
      "\"enum\":[\"active\",\"inactive\",\"pending\"],\"default\":"
      "\"active\"},"
      "\"verified\":{\"type\":\"boolean\",\"description\":"
      "\"Verification status\",\"default\":true}}}}" },

    { "test_elicitation_sep1330_enums",
      "Asks the user with every kind of enum field (SEP-1330)",
      "elicitation", "elicitation/create", NGX_HTTP_MCP_FIXTURE_NO_ARGS, NULL,
      "{\"message\":\"Please select options from the enum fields\","
      "\"requestedSchema\":{\"type\":\"object\",\"properties\":{"
      "\"untitledSingle\":{\"type\":\"string\",\"description\":"
      "\"Select one option\",\"enum\":[\"option1\",\"option2\","
      "\"option3\"]},"
      "\"titledSingle\":{\"type\":\"string\",\"description\":"
      "\"Select one titled option\",\"oneOf\":["
      "{\"const\":\"value1\",\"title\":\"First Option\"},"
      "{\"const\":\"value2\",\"title\":\"Second Option\"},"
      "{\"const\":\"value3\",\"title\":\"Third Option\"}]},"
      "\"legacyEnum\":{\"type\":\"string\",\"description\":"
      "\"Select one (legacy titles)\",\"enum\":[\"opt1\",\"opt2\","
      "\"opt3\"],\"enumNames\":[\"Option One\",\"Option Two\","
      "\"Option Three\"]},"
      "\"untitledMulti\":{\"type\":\"array\",\"description\":"
      "\"Select several options\",\"items\":{\"type\":\"string\","
      "\"enum\":[\"option1\",\"option2\",\"option3\"]}},"
      "\"titledMulti\":{\"type\":\"array\",\"description\":"
      "\"Select several titled options\",\"items\":{\"anyOf\":["
      "{\"const\":\"value1\",\"title\":\"First Choice\"},"
      "{\"const\":\"value2\",\"title\":\"Second Choice\"},"
      "{\"const\":\"value3\",\"title\":\"Third Choice\"}]}}}}}" },

    { NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};


/* Appends the asking fixtures to the tools array of tools/list. */
ngx_int_t
ngx_http_mcp_fixtures_ask_tools(json_t *tools)
{
    json_t                            *schema;
    const ngx_http_mcp_fixture_ask_t  *f;

    for (f = ngx_http_mcp_fixture_asks; f->name; f++) {
        schema = json_loads(f->input_schema, 0, NULL);

        if (schema == NULL
            || json_array_append_new(tools,
                   json_pack("{s:s, s:s, s:o}", "name", f->name,
                             "description", f->description,
                             "inputSchema", schema))
               != 0)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* The tool result made of the client's answer. */
static void
ngx_http_mcp_fixture_asked(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *response, void *data)
{
    char                              *content;
    json_t                            *result, *error, *text;
    const ngx_http_mcp_fixture_ask_t  *f = data;

    if (response == NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_TIMEOUT, NGX_HTTP_OK,
                           "Timeout: the client did not answer the server's "
                           "request", json_pack("{s:s}", "method",
                                                f->method));
        return;
    }

    result = json_object_get(response, "result");
    error = json_object_get(response, "error");

    if (!json_is_object(result)) {
        text = json_sprintf("The client refused %s: %s", f->method,
                            json_is_string(json_object_get(error, "message"))
                            ? json_string_value(json_object_get(error,
                                                                "message"))
                            : "no result");
        ngx_http_mcp_result(r, ctx->id,
                            json_pack("{s:b, s:[{s:s, s:o}]}", "isError", 1,
                                      "content", "type", "text", "text",
                                      text));
        return;
    }

    if (ngx_strcmp(f->capability, "sampling") == 0) {
        text = json_sprintf("LLM response: %s",
                            json_is_string(json_object_get(
                                json_object_get(result, "content"), "text"))
                            ? json_string_value(json_object_get(
                                  json_object_get(result, "content"), "text"))
                            : "");
    } else {
        content = json_dumps(json_object_get(result, "content"),
                             JSON_COMPACT | JSON_ENCODE_ANY);
        text = json_sprintf("Elicitation completed: action=%s, content=%s",
                            json_is_string(json_object_get(result, "action"))
                            ? json_string_value(json_object_get(result,
                                                                "action"))
                            : "", content ? content : "null");
        free(content);
    }

    ngx_http_mcp_result(r, ctx->id,
                        json_pack("{s:[{s:s, s:o}]}", "content", "type",
                                  "text", "text", text));
}


/* tools/call of an asking fixture; NGX_DECLINED when name is not one. */
ngx_int_t
ngx_http_mcp_fixtures_ask_call(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *name)
{
    json_t                            *params, *arg, *target;
    ngx_int_t                          sampling;
    const ngx_http_mcp_fixture_ask_t  *f;

    for (f = ngx_http_mcp_fixture_asks; f->name; f++) {
        if (ngx_strcmp(json_string_value(name), f->name) == 0) {
            break;
        }
    }

    if (f->name == NULL) {
        return NGX_DECLINED;
    }

    /* a batch is answered as one JSON array: nowhere to ask from */
    if (ctx->batch != NULL) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_REQUEST, 0,
                           "Invalid Request: a tool that asks the client "
                           "cannot run inside a batch", NULL);
        return NGX_OK;
    }

    if (!ngx_http_mcp_ask_capable(ctx, f->capability)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_REQUEST, 0,
                           "Invalid Request: the client did not declare the "
                           "capability this tool needs",
                           json_pack("{s:s}", "capability", f->capability));
        return NGX_OK;
    }

    arg = f->argument ? json_object_get(json_object_get(ctx->params,
                                                        "arguments"),
                                        f->argument)
                      : NULL;

    if (f->argument != NULL && !json_is_string(arg)) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0,
                           "arguments: a required string is missing",
                           json_pack("{s:s}", "argument", f->argument));
        return NGX_OK;
    }

    params = json_loads(f->params, 0, NULL);

    /* the argument is the prompt's text, or the elicitation's message */
    sampling = (ngx_strcmp(f->capability, "sampling") == 0);
    target = sampling ? json_object_get(json_array_get(
                            json_object_get(params, "messages"), 0),
                            "content")
                      : params;

    if (params == NULL
        || (arg != NULL
            && json_object_set(target, sampling ? "text" : "message", arg)
               != 0))
    {
        json_decref(params);
        ngx_http_finalize_request(r, NGX_ERROR);
        return NGX_OK;
    }

    ngx_http_mcp_ask(r, ctx, f->method, params, ngx_http_mcp_fixture_asked,
                     (void *) f);

    return NGX_OK;
}
