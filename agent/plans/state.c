/*
 * state.c: plan state machine (upstream-catalog §3.10, with the apply path
 * fixed: approved -> executing) enforced in SQL with audited transitions.
 */
#include "state.h"
#include "../db/audit.h"
#include "../db/pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *from, *to;
} agent_plan_edges[] = {
    { "pending", "approved" },       { "pending", "cancelled" },
    { "approved", "executing" },     { "approved", "cancelled" },
    { "executing", "completed" },    { "executing", "failed" },
    { "executing", "rolling_back" }, { "executing", "cancelled" },
    { "completed", "rolling_back" }, { "cancelled", "rolling_back" },
    { "failed", "rolling_back" },    { "rolling_back", "rolled_back" },
    { "rolling_back", "failed" },
};

int
agent_plan_transition_allowed(const char *from, const char *to)
{
    size_t i;

    for (i = 0; i < sizeof(agent_plan_edges) / sizeof(agent_plan_edges[0]);
         i++)
    {
        if (strcmp(agent_plan_edges[i].from, from) == 0
            && strcmp(agent_plan_edges[i].to, to) == 0)
        {
            return 1;
        }
    }
    return 0;
}

/* The current status of plan_id in err's words when a guarded UPDATE
 * matched nothing. */
static void
agent_plan_why(PGconn *pg, const char *plan_id, const char *from,
    const char *to, char *err, size_t errlen)
{
    const char *p[1] = { plan_id };
    PGresult   *res;
    char        e2[128];

    res = agent_pg_exec(pg, "SELECT status FROM plans WHERE id = $1", 1, p,
                        e2, sizeof(e2));
    if (res != NULL && PQntuples(res) == 1) {
        snprintf(err, errlen, "plan %s is %s, not %s: cannot move it to %s",
                 plan_id, PQgetvalue(res, 0, 0), from, to);
    } else {
        snprintf(err, errlen, "plan %s not found", plan_id);
    }
    PQclear(res);
}

/* The transition's audit event, in the same transaction. */
static int
agent_plan_audit_move(PGconn *pg, const char *plan_id, const char *from,
    const char *to, const char *action, const char *actor, const char *note,
    const json_t *extra, char *err, size_t errlen)
{
    agent_audit_event_t ev = { 0 };
    const char         *p[1] = { plan_id };
    json_t             *meta;
    PGresult           *res;
    int                 rc;

    res = agent_pg_exec(pg, "SELECT tool_name FROM plans WHERE id = $1", 1, p,
                        err, errlen);
    if (res == NULL) {
        return -1;
    }
    meta = json_pack("{s:s, s:s, s:s}", "from", from, "to", to, "note",
                     note ? note : "");
    if (extra != NULL) {
        json_object_update(meta, (json_t *) extra);
    }
    ev.subject = actor;
    ev.action = action;
    ev.tool = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : NULL;
    ev.tier = "professional";
    ev.plan_id = plan_id;
    ev.outcome = "SUCCESS";
    ev.meta = meta;
    rc = agent_audit_append(pg, &ev, err, errlen);
    json_decref(meta);
    PQclear(res);
    return rc;
}

/* UPDATE guarded by the current status, then the audit row; inside an
 * open transaction. */
static int
agent_plan_move(PGconn *pg, const char *plan_id, const char *from,
    const char *to, const char *action, const char *actor, const char *note,
    const json_t *extra, char *err, size_t errlen)
{
    const char *p[3];
    int         rows = 0;

    if (!agent_plan_transition_allowed(from, to)) {
        snprintf(err, errlen, "plan %s: %s -> %s is not a valid transition",
                 plan_id, from, to);
        return -1;
    }
    p[0] = plan_id;
    p[1] = from;
    p[2] = to;
    if (agent_pg_run(pg, "UPDATE plans SET status = $3, updated_at = now() "
                       "WHERE id = $1 AND status = $2", 3, p, &rows, err,
                       errlen) != 0)
    {
        return -1;
    }
    if (rows != 1) {
        agent_plan_why(pg, plan_id, from, to, err, errlen);
        return -1;
    }
    return agent_plan_audit_move(pg, plan_id, from, to, action, actor, note,
                                 extra, err, errlen);
}

int
agent_plan_transition(PGconn *pg, const char *plan_id, const char *from,
    const char *to, const char *action, const char *actor, const char *note,
    char *err, size_t errlen)
{
    if (agent_pg_run(pg, "BEGIN", 0, NULL, NULL, err, errlen) != 0) {
        return -1;
    }
    if (agent_plan_move(pg, plan_id, from, to, action, actor, note, NULL,
                        err, errlen) != 0
        || agent_pg_run(pg, "COMMIT", 0, NULL, NULL, err, errlen) != 0)
    {
        agent_pg_abort(pg);
        return -1;
    }
    return 0;
}

int
agent_plan_approve(PGconn *pg, const char *plan_id, const char *approver,
    const char *content_hash, const char *token_id, int64_t expires_at,
    const char *workflow, char *err, size_t errlen)
{
    const char *p[5], *q[4];
    char        exp[24];
    json_t     *extra;
    int         rows = 0, rc;

    snprintf(exp, sizeof(exp), "%lld", (long long) expires_at);
    p[0] = plan_id;
    p[1] = approver;
    p[2] = content_hash;
    p[3] = token_id;
    p[4] = exp;
    q[0] = plan_id;
    q[1] = approver;
    q[2] = content_hash;
    q[3] = exp;
    if (agent_pg_run(pg, "BEGIN", 0, NULL, NULL, err, errlen) != 0) {
        return -1;
    }
    extra = workflow ? json_pack("{s:b, s:s}", "auto_approved", 1,
                                 "workflow", workflow)
                     : json_pack("{s:b}", "auto_approved", 0);
    rc = agent_plan_move(pg, plan_id, "pending", "approved", "PLAN_APPROVED",
                         approver, workflow ? "approved by a trusted workflow"
                         : "approved", extra, err, errlen);
    json_decref(extra);
    if (rc != 0
        || agent_pg_run(pg,
               "UPDATE plans SET approved_by = $2, approved_at = now(), "
               "approval_expires_at = to_timestamp($4::bigint) "
               "WHERE id = $1 AND content_hash = $3", 4, q, &rows, err,
               errlen) != 0)
    {
        agent_pg_abort(pg);
        return -1;
    }
    if (rows != 1) {
        snprintf(err, errlen, "plan %s changed while it was being approved",
                 plan_id);
        agent_pg_abort(pg);
        return -1;
    }
    if (agent_pg_run(pg,
            "INSERT INTO approval_tokens (token_id, plan_id, approved_by, "
            "content_hash, expires_at) VALUES ($4, $1, $2, $3, "
            "to_timestamp($5::bigint))", 5, p, NULL, err, errlen) != 0
        || agent_pg_run(pg, "COMMIT", 0, NULL, NULL, err, errlen) != 0)
    {
        agent_pg_abort(pg);
        return -1;
    }
    return 0;
}

int
agent_plan_start(PGconn *pg, const char *plan_id, const char *token_id,
    const char *actor, agent_plan_in_tx_fn in_tx, void *arg, char *err,
    size_t errlen)
{
    const char *p[3] = { plan_id, token_id, actor };
    int         rows = 0;

    if (agent_pg_run(pg, "BEGIN", 0, NULL, NULL, err, errlen) != 0) {
        return -1;
    }
    if (agent_pg_run(pg,
            "UPDATE approval_tokens SET used_at = now(), used_by = $3 "
            "WHERE token_id = $2 AND plan_id = $1 AND used_at IS NULL", 3, p,
            &rows, err, errlen) != 0)
    {
        agent_pg_abort(pg);
        return -1;
    }
    if (rows != 1) {
        snprintf(err, errlen, "approval token for plan %s was already used "
                 "(or never issued for it): a token is good for one apply",
                 plan_id);
        agent_pg_abort(pg);
        return -1;
    }
    if (agent_plan_move(pg, plan_id, "approved", "executing",
                        "PLAN_EXECUTION_STARTED", actor, token_id, NULL, err,
                        errlen) != 0
        || agent_pg_run(pg, "UPDATE plans SET approval_token_used_at = "
                          "now() WHERE id = $1", 1, p, NULL, err, errlen) != 0
        || (in_tx != NULL && in_tx(pg, arg, err, errlen) != 0)
        || agent_pg_run(pg, "COMMIT", 0, NULL, NULL, err, errlen) != 0)
    {
        agent_pg_abort(pg);
        return -1;
    }
    return 0;
}
