/*
 * audit.c: the TOOL_CALL audit event of every tool call: who, which tool
 * and device, the arguments (secrets redacted) and the outcome.
 */
#include "audit.h"
#include "../core/log.h"
#include "../db/audit.h"

void
agent_audit_tool(agent_ctx_t *ctx, const char *tool_name,
                 const agent_outcome_t *out)
{
    agent_audit_event_t ev = {0};
    char                err[512];
    json_t             *meta;
    int                 is_error;

    is_error =
        out->result && json_is_true(json_object_get(out->result, "isError"));
    meta = json_pack("{s:s, s:s}", "session", ctx->job->session, "kind",
                     ctx->job->kind);
    ev.subject = ctx->job->subject;
    ev.action = "TOOL_CALL";
    ev.tool = tool_name;
    ev.tier = ctx->tool ? mcp_tier_name(ctx->tool->tier) : NULL;
    ev.device_id = ctx->device_id[0] ? ctx->device_id : NULL;
    ev.environment = ctx->cfg->environment;
    ev.job_id = ctx->job->id;
    ev.parameters = ctx->job->arguments;
    ev.outcome = out->result == NULL ? "ERROR"
                 : is_error          ? "FAILURE"
                                     : "SUCCESS";
    ev.error =
        out->result == NULL ? out->message
        : is_error
            ? json_string_value(json_object_get(
                  json_array_get(json_object_get(out->result, "content"), 0),
                  "text"))
            : NULL;
    ev.meta = meta;
    if (agent_audit_append(ctx->pg, &ev, err, sizeof(err)) != 0) {
        agent_warn("job %s: audit event not written: %s", ctx->job->id, err);
    }
    json_decref(meta);
}
