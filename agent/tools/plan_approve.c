/*
 * plan_approve.c: approve_plan: the caller (the job's subject) approves a
 * pending plan and receives its single-use approval token once.
 */
#include "../../shared/approval/token.h"
#include "../plans/approve.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>

#define SEPARATE_ENV "ROUTEROS_MCP_REQUIRE_SEPARATE_APPROVER"

static void
approve_plan(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "plan_id"));
    const char *named = json_string_value(json_object_get(args, "approver"));
    const char *who = ctx->job->subject ? ctx->job->subject : "anonymous";
    const char *sep = getenv(SEPARATE_ENV);
    char        token[MCP_TOKEN_MAX_LEN], err[512];
    int64_t     expires = 0;

    if (named != NULL && strcmp(named, who) != 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "approver: the approver is "
                   "the caller (%s), not %s",
                   who, named);
        return;
    }
    if (agent_plan_issue(ctx->pg, id, who, sep != NULL && strcmp(sep, "1") == 0,
                         NULL, token, sizeof(token), &expires, err,
                         sizeof(err)) != 0) {
        agent_result(
            out, 1, json_pack("{s:s, s:s}", "plan_id", id, "status", "refused"),
            "Plan %s not approved: %s", id, err);
        return;
    }
    agent_result(out, 0,
                 json_pack("{s:s, s:s, s:s, s:s, s:I}", "plan_id", id, "status",
                           "approved", "approved_by", who, "approval_token",
                           token, "expires_at", (json_int_t)expires),
                 "Plan %s approved by %s. Approval token (single use, valid "
                 "%d minutes, not shown again): %s",
                 id, who, MCP_TOKEN_TTL_S / 60, token);
    memset(token, 0, sizeof(token));
}

const agent_tool_def_t agent_tools_plan_approve[] = {
    {"approve_plan", approve_plan}, {NULL, NULL}};
