/*
 * plan_cmd.c: routeros-mcp-admin plan list|show|approve|reject: the human
 * side of plan approval; approve prints the single-use token once.
 */
#include "admin.h"
#include "../../shared/approval/token.h"
#include "../db/pg.h"
#include "../plans/state.h"
#include "../plans/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
admin_plan_list(PGconn *pg)
{
    PGresult *res;
    char      err[512];
    int       i;

    res = agent_pg_exec(pg, "SELECT id, status, risk_level, tool_name, "
                        "jsonb_array_length(device_ids), summary FROM plans "
                        "ORDER BY created_at, id", 0, NULL, err, sizeof(err));
    if (res == NULL) {
        fprintf(stderr, "routeros-mcp-admin: %s\n", err);
        return 1;
    }
    for (i = 0; i < PQntuples(res); i++) {
        printf("%s\t%s\t%s\t%s\t%s devices\t%s\n", PQgetvalue(res, i, 0),
               PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
               PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
               PQgetvalue(res, i, 5));
    }
    PQclear(res);
    return 0;
}

static int
admin_plan_show(PGconn *pg, const char *id)
{
    agent_plan_t plan;
    char         err[512];
    json_t      *doc;
    int          rc;

    rc = agent_plan_load(pg, id, &plan, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "routeros-mcp-admin: %s\n",
                rc == 1 ? "plan not found" : err);
        return 1;
    }
    doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:O, s:O, s:O}",
                    "id", plan.id, "status", plan.status, "tool_name",
                    plan.tool_name, "risk_level", plan.risk_level,
                    "created_by", plan.created_by, "approved_by",
                    plan.approved_by[0] ? plan.approved_by : NULL,
                    "content_hash", plan.content_hash, "device_ids",
                    plan.device_ids, "changes", plan.changes,
                    "device_statuses", plan.device_statuses);
    if (doc != NULL) {
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        printf("\n");
    }
    json_decref(doc);
    agent_plan_release(&plan);
    return doc ? 0 : 1;
}

/* Approves a pending plan whose stored content still has its hash and
 * prints the token. */
static int
admin_plan_approve(PGconn *pg, const char *id, const char *approver)
{
    mcp_token_key_t    key;
    mcp_token_claims_t c;
    agent_plan_t       plan;
    char               err[512], hash[65], token[MCP_TOKEN_MAX_LEN];
    char               token_id[MCP_TOKEN_ID_LEN + 1];
    int                rc;

    if (mcp_token_key_from_env(&key, err, sizeof(err)) != 0) {
        fprintf(stderr, "routeros-mcp-admin: %s\n", err);
        return 1;
    }
    rc = agent_plan_load(pg, id, &plan, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "routeros-mcp-admin: %s\n",
                rc == 1 ? "plan not found" : err);
        return 1;
    }
    rc = 1;
    if (agent_plan_hash(plan.changes, hash) != 0
        || strcmp(hash, plan.content_hash) != 0)
    {
        fprintf(stderr, "routeros-mcp-admin: plan %s content does not match "
                "its hash: refusing to approve\n", id);
        goto done;
    }
    c.plan_id = plan.id;
    c.content_hash = hash;
    c.approver = approver;
    c.expires_at = (int64_t) time(NULL) + MCP_TOKEN_TTL_S;
    if (mcp_token_issue(&key, &c, token, sizeof(token), token_id, err,
                        sizeof(err)) != 0
        || agent_plan_approve(pg, id, approver, hash, token_id, c.expires_at,
                              NULL, err, sizeof(err)) != 0)
    {
        fprintf(stderr, "routeros-mcp-admin: %s\n", err);
        goto done;
    }
    printf("%s\n", token);
    fprintf(stderr, "plan %s approved by %s; the token above is valid for "
            "one apply within %d minutes and is not shown again\n", id,
            approver, MCP_TOKEN_TTL_S / 60);
    rc = 0;
done:
    agent_plan_release(&plan);
    memset(&key, 0, sizeof(key));
    return rc;
}

int
admin_plan(PGconn *pg, int argc, char **argv)
{
    char err[512];

    if (argc == 1 && strcmp(argv[0], "list") == 0) {
        return admin_plan_list(pg);
    }
    if (argc == 2 && strcmp(argv[0], "show") == 0) {
        return admin_plan_show(pg, argv[1]);
    }
    if (argc == 4 && strcmp(argv[0], "approve") == 0
        && strcmp(argv[2], "--approver") == 0 && argv[3][0] != '\0')
    {
        return admin_plan_approve(pg, argv[1], argv[3]);
    }
    if ((argc == 2 || (argc == 4 && strcmp(argv[2], "--approver") == 0))
        && strcmp(argv[0], "reject") == 0)
    {
        if (agent_plan_transition(pg, argv[1], "pending", "cancelled",
                                  "PLAN_REJECTED",
                                  argc == 4 ? argv[3] : "admin-cli",
                                  "rejected", err, sizeof(err)) != 0)
        {
            fprintf(stderr, "routeros-mcp-admin: %s\n", err);
            return 1;
        }
        printf("plan %s rejected\n", argv[1]);
        return 0;
    }
    return 2;
}
