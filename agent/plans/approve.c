/*
 * approve.c: the approval step shared by the approve_plan tool: checks,
 * token issue, pending -> approved with the token recorded.
 */
#include "approve.h"
#include "state.h"
#include "store.h"
#include "../../shared/approval/token.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int
agent_plan_issue(PGconn *pg, const char *plan_id, const char *approver,
                 int separate, const char *workflow, char *token,
                 size_t tokenlen, int64_t *expires_at, char *err,
                 size_t errlen)
{
    mcp_token_key_t    key;
    mcp_token_claims_t c;
    agent_plan_t       plan;
    char               hash[65], token_id[MCP_TOKEN_ID_LEN + 1];
    int                rc;

    if (mcp_token_key_from_env(&key, err, errlen) != 0) {
        return -1;
    }
    rc = agent_plan_load(pg, plan_id, &plan, err, errlen);
    if (rc != 0) {
        if (rc == 1) {
            snprintf(err, errlen, "plan %s not found", plan_id);
        }
        memset(&key, 0, sizeof(key));
        return -1;
    }
    rc = -1;
    if (strcmp(plan.status, "pending") != 0) {
        snprintf(err, errlen,
                 "plan %s is %s, only pending plans can be "
                 "approved",
                 plan_id, plan.status);
    } else if (separate && strcmp(plan.created_by, approver) == 0) {
        snprintf(err, errlen,
                 "plan %s was created by %s: a separate approver "
                 "is required (ROUTEROS_MCP_REQUIRE_SEPARATE_APPROVER)",
                 plan_id, approver);
    } else if (agent_plan_hash(plan.changes, hash) != 0 ||
               strcmp(hash, plan.content_hash) != 0) {
        snprintf(err, errlen,
                 "plan %s content does not match its hash: "
                 "refusing to approve",
                 plan_id);
    } else {
        c.plan_id = plan.id;
        c.content_hash = hash;
        c.approver = approver;
        c.expires_at = (int64_t)time(NULL) + MCP_TOKEN_TTL_S;
        if (mcp_token_issue(&key, &c, token, tokenlen, token_id, err, errlen) ==
                0 &&
            agent_plan_approve(pg, plan_id, approver, hash, token_id,
                               c.expires_at, workflow, err, errlen) == 0) {
            *expires_at = c.expires_at;
            rc = 0;
        }
    }
    agent_plan_release(&plan);
    memset(&key, 0, sizeof(key));
    return rc;
}
