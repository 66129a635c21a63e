/*
 * audit.c: appends an audit event as the next link of the hash chain. An
 * advisory lock held to the end of the transaction gives the chain one
 * order across every agent, worker thread and admin CLI.
 */
#include "audit.h"
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_advisory_xact_lock key of the chain's tail ("audit" on a keypad). */
#define AGENT_AUDIT_LOCK "28348"

static char *
agent_audit_object_text(const json_t *v)
{
    json_t *copy = json_is_object(v) ? agent_audit_redact(v) : json_object();
    char   *text = copy ? json_dumps(copy, JSON_COMPACT) : NULL;

    json_decref(copy);
    return text;
}

/* Lock, read the tail, insert, hash what was stored, record the hash. */
static int
agent_audit_link(PGconn *pg, const agent_audit_event_t *ev,
                 const char *params_text, const char *meta_text, char *err,
                 size_t errlen)
{
    const char *p[14], *u[2];
    char        seq[24], prev[65], hash[65], id[32];
    PGresult   *res;
    long long   last = 0;

    res =
        agent_pg_exec(pg, "SELECT pg_advisory_xact_lock(" AGENT_AUDIT_LOCK ")",
                      0, NULL, err, errlen);
    PQclear(res);
    if (res == NULL) {
        return -1;
    }
    res = agent_pg_exec(pg,
                        "SELECT seq, row_hash FROM audit_events "
                        "WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
                        0, NULL, err, errlen);
    if (res == NULL) {
        return -1;
    }
    snprintf(prev, sizeof(prev), "%s", AGENT_AUDIT_GENESIS);
    if (PQntuples(res) == 1) {
        last = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(prev, sizeof(prev), "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    snprintf(seq, sizeof(seq), "%lld", last + 1);
    p[0] = seq;
    p[1] = ev->subject;
    p[2] = ev->action;
    p[3] = ev->tool;
    p[4] = ev->tier;
    p[5] = ev->device_id;
    p[6] = ev->environment;
    p[7] = ev->plan_id;
    p[8] = ev->job_id;
    p[9] = params_text;
    p[10] = ev->outcome;
    p[11] = ev->error;
    p[12] = meta_text;
    p[13] = prev;
    res = agent_pg_exec(
        pg,
        "INSERT INTO audit_events (seq, timestamp, user_sub, action, "
        "tool_name, tool_tier, device_id, environment, plan_id, job_id, "
        "parameters, result, error_message, meta, prev_hash) VALUES ($1, "
        "clock_timestamp(), $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, "
        "$12, $13::jsonb, $14) RETURNING " AGENT_AUDIT_CHAIN_COLUMNS,
        14, p, err, errlen);
    if (res == NULL) {
        return -1;
    }
    if (agent_audit_row_hash(res, 0, hash) != 0) {
        snprintf(err, errlen, "cannot hash audit event %s",
                 PQgetvalue(res, 0, 0));
        PQclear(res);
        return -1;
    }
    /* the id outlives res: PQclear frees the value PQgetvalue points into */
    snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    u[0] = hash;
    u[1] = id;
    res = agent_pg_exec(pg,
                        "UPDATE audit_events SET row_hash = $1 "
                        "WHERE id = $2",
                        2, u, err, errlen);
    PQclear(res);
    return res == NULL ? -1 : 0;
}

int
agent_audit_append(PGconn *pg, const agent_audit_event_t *ev, char *err,
                   size_t errlen)
{
    return agent_audit_append_with(pg, NULL, 0, NULL, ev, err, errlen);
}

int
agent_audit_append_with(PGconn *pg, const char *sql, int nparams,
                        const char *const         *params,
                        const agent_audit_event_t *ev, char *err, size_t errlen)
{
    char                   *params_text, *meta_text, ignored[256];
    int                     own, rc = -1;
    PGTransactionStatusType st;
    PGresult               *res;

    params_text = agent_audit_object_text(ev->parameters);
    meta_text = agent_audit_object_text(ev->meta);
    if (params_text == NULL || meta_text == NULL) {
        snprintf(err, errlen, "cannot encode the audit event");
        goto done;
    }
    st = PQtransactionStatus(pg);
    own = st != PQTRANS_INTRANS && st != PQTRANS_INERROR;
    if (own) {
        res = agent_pg_exec(pg, "BEGIN", 0, NULL, err, errlen);
        PQclear(res);
        if (res == NULL) {
            goto done;
        }
    }
    res = sql ? agent_pg_exec(pg, sql, nparams, params, err, errlen) : NULL;
    PQclear(res);
    if (sql == NULL || res != NULL) {
        rc = agent_audit_link(pg, ev, params_text, meta_text, err, errlen);
    }
    if (own) {
        if (rc == 0) {
            res = agent_pg_exec(pg, "COMMIT", 0, NULL, err, errlen);
            rc = res == NULL ? -1 : 0;
        } else {
            res = agent_pg_exec(pg, "ROLLBACK", 0, NULL, ignored,
                                sizeof(ignored));
        }
        PQclear(res);
    }
done:
    free(params_text);
    free(meta_text);
    return rc;
}
