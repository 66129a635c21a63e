/*
 * envelope.c: parses one JSON-RPC 2.0 message and checks its envelope: id,
 * jsonrpc, method, params; client responses are recognised, not answered.
 */
#include <string.h>
#include "envelope.h"


mcp_err_t
mcp_envelope_load(const char *body, size_t len, json_t **msg,
                  const char **message)
{
    json_error_t  jerr;

    *msg = NULL;

    if (len == 0) {
        *message = "Parse error: empty body";
        return MCP_ERR_PARSE;
    }

    *msg = json_loadb(body, len, JSON_DECODE_ANY, &jerr);

    if (*msg != NULL) {
        return MCP_OK;
    }

    /* valid JSON beyond what a JSON-RPC message may hold */
    if (strstr(jerr.text, "too big") != NULL
        || strstr(jerr.text, "overflow") != NULL)
    {
        *message = "Invalid Request: number out of range";
        return MCP_ERR_INVALID_REQUEST;
    }

    if (strstr(jerr.text, "depth") != NULL) {
        *message = "Invalid Request: nested too deeply";
        return MCP_ERR_INVALID_REQUEST;
    }

    *message = "Parse error: the body is not valid JSON";
    return MCP_ERR_PARSE;
}


mcp_err_t
mcp_envelope_check(json_t *msg, mcp_envelope_t *env, const char **message)
{
    json_t  *v;

    memset(env, 0, sizeof(*env));

    if (!json_is_object(msg)) {
        *message = "Invalid Request: the body must be a JSON-RPC object";
        return MCP_ERR_INVALID_REQUEST;
    }

    v = json_object_get(msg, "id");
    if (v != NULL) {
        if (!json_is_string(v) && !json_is_integer(v)) {
            *message = "Invalid Request: id must be a string or an integer";
            return MCP_ERR_INVALID_REQUEST;
        }

        env->id = v;
    }

    v = json_object_get(msg, "jsonrpc");
    if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0) {
        *message = "Invalid Request: jsonrpc must be \"2.0\"";
        return MCP_ERR_INVALID_REQUEST;
    }

    v = json_object_get(msg, "method");
    if (v == NULL) {
        if (env->id != NULL
            && (json_object_get(msg, "result") != NULL
                || json_object_get(msg, "error") != NULL))
        {
            /* a response from the client: nothing to answer */
            return MCP_OK;
        }

        *message = "Invalid Request: method is required";
        return MCP_ERR_INVALID_REQUEST;
    }

    if (!json_is_string(v)) {
        *message = "Invalid Request: method must be a string";
        return MCP_ERR_INVALID_REQUEST;
    }

    env->method = json_string_value(v);
    env->method_len = json_string_length(v);

    v = json_object_get(msg, "params");
    if (v != NULL && !json_is_object(v)) {
        if (!json_is_array(v)) {
            *message = "Invalid Request: params must be an object";
            return MCP_ERR_INVALID_REQUEST;
        }

        *message = "params: must be an object";
        return MCP_ERR_INVALID_PARAMS;
    }

    env->params = v;

    return MCP_OK;
}
