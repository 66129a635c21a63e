/*
 * result.c: builds MCP CallToolResult objects and protocol errors for tool
 * handlers, so every tool answers in the same shape.
 */
#include "tool.h"

#include <stdarg.h>
#include <stdio.h>

void
agent_result(agent_outcome_t *out, int is_error, json_t *structured,
             const char *fmt, ...)
{
    char    text[4096 + 256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    out->result = json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text",
                            "text", text, "isError", is_error);
    if (out->result != NULL && structured != NULL) {
        json_object_set_new(out->result, "structuredContent", structured);
    } else {
        json_decref(structured);
    }
    if (out->result == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "out of memory building the result");
    }
}

void
agent_result_meta(agent_outcome_t *out, json_t *meta)
{
    if (out->result != NULL && meta != NULL) {
        json_object_set_new(out->result, "_meta", meta);
    } else {
        json_decref(meta);
    }
}

void
agent_fail(agent_outcome_t *out, mcp_err_t err, const char *fmt, ...)
{
    va_list ap;

    json_decref(out->result);
    out->result = NULL;
    out->err = err;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof(out->message), fmt, ap);
    va_end(ap);
}
