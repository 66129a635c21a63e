/*
 * audit.c: records an audit event (redacted), alone or in one transaction
 * with the change it describes; audit_link.c chains it afterwards.
 */
#include "audit.h"
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*agent_audit_notify)(void);

void
agent_audit_set_notify(void (*fn)(void))
{
    agent_audit_notify = fn;
}

static char *
agent_audit_object_text(const json_t *v)
{
    json_t *copy = json_is_object(v) ? agent_audit_redact(v) : json_object();
    char   *text = copy ? json_dumps(copy, JSON_COMPACT) : NULL;

    json_decref(copy);
    return text;
}

/* Inserts the event outside the chain (seq, prev_hash, row_hash NULL); the
 * linker chains it. */
static int
agent_audit_insert(PGconn *pg, const agent_audit_event_t *ev,
                   const char *params_text, const char *meta_text, char *err,
                   size_t errlen)
{
    const char *p[12];
    PGresult   *res;

    p[0] = ev->subject;
    p[1] = ev->action;
    p[2] = ev->tool;
    p[3] = ev->tier;
    p[4] = ev->device_id;
    p[5] = ev->environment;
    p[6] = ev->plan_id;
    p[7] = ev->job_id;
    p[8] = params_text;
    p[9] = ev->outcome;
    p[10] = ev->error;
    p[11] = meta_text;
    res = agent_pg_exec(
        pg,
        "INSERT INTO audit_events (timestamp, user_sub, action, tool_name, "
        "tool_tier, device_id, environment, plan_id, job_id, parameters, "
        "result, error_message, meta) VALUES (clock_timestamp(), $1, $2, $3, "
        "$4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12::jsonb)",
        12, p, err, errlen);
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
    int                     own, outside, rc = -1;
    PGTransactionStatusType st;
    PGresult               *res;

    params_text = agent_audit_object_text(ev->parameters);
    meta_text = agent_audit_object_text(ev->meta);
    if (params_text == NULL || meta_text == NULL) {
        snprintf(err, errlen, "cannot encode the audit event");
        goto done;
    }
    st = PQtransactionStatus(pg);
    outside = st != PQTRANS_INTRANS && st != PQTRANS_INERROR;
    /* a lone insert needs no transaction of its own */
    own = outside && sql != NULL;
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
        rc = agent_audit_insert(pg, ev, params_text, meta_text, err, errlen);
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
    if (rc == 0 && outside && agent_audit_notify != NULL) {
        agent_audit_notify();
    }
done:
    free(params_text);
    free(meta_text);
    return rc;
}
