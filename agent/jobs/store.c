/*
 * store.c: job rows in PostgreSQL: creation with the device rows, lookup by
 * id or by the tools/call carrying the job, audited state changes,
 * progress, the pause end and cancellation requests.
 */
#include "store.h"
#include "../db/audit.h"
#include "../db/pg.h"
#include "../../shared/util/hex.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *from, *to, *action;
} agent_job_edges[] = {
    { "pending", "running", "JOB_RUNNING" },
    { "pending", "failed", "JOB_FAILED" },
    { "pending", "cancelled", "JOB_CANCELLED" },
    { "running", "running", "JOB_RESUMED" },
    { "running", "completed", "JOB_COMPLETED" },
    { "running", "failed", "JOB_FAILED" },
    { "running", "cancelled", "JOB_CANCELLED" },
};

int
agent_job_final(const char *status)
{
    return strcmp(status, "completed") == 0 || strcmp(status, "failed") == 0
           || strcmp(status, "cancelled") == 0;
}

int
agent_job_new_id(char id[65])
{
    unsigned char rnd[4];
    char          rhex[9], stamp[16];
    struct tm     tm;
    time_t        now = time(NULL);

    if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
        return -1;
    }
    mcp_hex_encode(rnd, sizeof(rnd), rhex);
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
    snprintf(id, 65, "job-%s-%s", stamp, rhex);
    return 0;
}

static int
agent_job_audit(PGconn *pg, const char *id, const char *plan_id,
    const char *action, const char *actor, const char *outcome,
    const char *error, json_t *meta, char *err, size_t errlen)
{
    agent_audit_event_t ev = { 0 };
    int                 rc;

    /* plan_id stays in meta: the plan's own trail (plan_id column) lists
     * the plan's transitions, the job's are found by job_id */
    json_object_set_new(meta, "plan_id", json_string(plan_id ? plan_id : ""));
    ev.subject = actor;
    ev.action = action;
    ev.tier = "professional";
    ev.job_id = id;
    ev.outcome = outcome;
    ev.error = error;
    ev.meta = meta;
    rc = agent_audit_append(pg, &ev, err, errlen);
    json_decref(meta);
    return rc;
}

int
agent_job_insert(PGconn *pg, const char *id, const char *plan_id,
    const char *request_id, const char *tool, const char *actor,
    const json_t *device_ids, int batch_size, char *err, size_t errlen)
{
    const char   *p[7];
    const json_t *d;
    char         *ids, pos[24], batch[24], count[24];
    size_t        i, n = json_array_size(device_ids);
    int           rc;

    batch_size = batch_size > 0 ? batch_size : (int) (n ? n : 1);
    snprintf(count, sizeof(count), "%zu",
             n ? (n + (size_t) batch_size - 1) / (size_t) batch_size : 1);
    ids = json_dumps(device_ids, JSON_COMPACT);
    p[0] = id;
    p[1] = plan_id;
    p[2] = request_id;
    p[3] = tool;
    p[4] = actor;
    p[5] = ids;
    p[6] = count;
    rc = agent_pg_run(pg,
        "INSERT INTO jobs (id, plan_id, job_type, request_id, tool_name, "
        "created_by, device_ids, batch_count, status) VALUES ($1, $2, "
        "'APPLY_PLAN', $3, $4, $5, $6::jsonb, $7::int, 'pending')",
        7, p, NULL, err, errlen);
    free(ids);
    json_array_foreach(device_ids, i, d) {
        if (rc != 0) {
            break;
        }
        snprintf(pos, sizeof(pos), "%zu", i);
        snprintf(batch, sizeof(batch), "%zu", i / (size_t) batch_size);
        p[1] = json_string_value(d);
        p[2] = pos;
        p[3] = batch;
        rc = agent_pg_run(pg,
            "INSERT INTO job_devices (job_id, device_id, position, batch) "
            "VALUES ($1, $2, $3::int, $4::int)", 4, p, NULL, err, errlen);
    }
    if (rc != 0) {
        return -1;
    }
    return agent_job_audit(pg, id, plan_id, "JOB_CREATED", actor, "SUCCESS",
                           NULL, json_pack("{s:s, s:s, s:O, s:i}", "tool",
                           tool, "request_id", request_id, "device_ids",
                           device_ids, "batch_size", batch_size),
                           err, errlen);
}

#define AGENT_JOB_COLUMNS                                                    \
    "id, coalesce(plan_id, ''), status, coalesce(request_id, ''), "          \
    "batch_count, attempts, cancellation_requested, "                        \
    "coalesce((extract(epoch FROM next_run_at) * 1000)::bigint, 0), "        \
    "coalesce(result_summary::text, '')"

static int
agent_job_select(PGconn *pg, const char *where, const char *value,
    agent_job_row_t *job, char *err, size_t errlen)
{
    char        sql[512];
    const char *p[1] = { value };
    const char *text;
    PGresult   *res;

    memset(job, 0, sizeof(*job));
    snprintf(sql, sizeof(sql), "SELECT " AGENT_JOB_COLUMNS " FROM jobs "
             "WHERE %s = $1", where);
    res = agent_pg_exec(pg, sql, 1, p, err, errlen);
    if (res == NULL) {
        return -1;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 1;
    }
    snprintf(job->id, sizeof(job->id), "%s", PQgetvalue(res, 0, 0));
    snprintf(job->plan_id, sizeof(job->plan_id), "%s", PQgetvalue(res, 0, 1));
    snprintf(job->status, sizeof(job->status), "%s", PQgetvalue(res, 0, 2));
    snprintf(job->request_id, sizeof(job->request_id), "%s",
             PQgetvalue(res, 0, 3));
    job->batch_count = atoi(PQgetvalue(res, 0, 4));
    job->attempts = atoi(PQgetvalue(res, 0, 5));
    job->cancel = PQgetvalue(res, 0, 6)[0] == 't';
    job->next_run_ms = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
    text = PQgetvalue(res, 0, 8);
    job->result = text[0] ? json_loads(text, 0, NULL) : NULL;
    PQclear(res);
    return 0;
}

int
agent_job_by_request(PGconn *pg, const char *request_id,
    agent_job_row_t *job, char *err, size_t errlen)
{
    return agent_job_select(pg, "request_id", request_id, job, err, errlen);
}

int
agent_job_load(PGconn *pg, const char *id, agent_job_row_t *job, char *err,
    size_t errlen)
{
    return agent_job_select(pg, "id", id, job, err, errlen);
}

int
agent_job_started(PGconn *pg, const char *request_id)
{
    agent_job_row_t job;
    char            err[256];
    int             yes;

    if (agent_job_by_request(pg, request_id, &job, err, sizeof(err)) != 0) {
        return 0;
    }
    yes = !agent_job_final(job.status);
    agent_job_row_release(&job);
    return yes;
}

void
agent_job_row_release(agent_job_row_t *job)
{
    json_decref(job->result);
    job->result = NULL;
}

static const char *
agent_job_action(const char *from, const char *to)
{
    size_t i;

    for (i = 0; i < sizeof(agent_job_edges) / sizeof(agent_job_edges[0]);
         i++)
    {
        if (strcmp(agent_job_edges[i].from, from) == 0
            && strcmp(agent_job_edges[i].to, to) == 0)
        {
            return agent_job_edges[i].action;
        }
    }
    return NULL;
}

int
agent_job_move(PGconn *pg, const char *id, const char *from, const char *to,
    const char *actor, const char *agent_id, const json_t *result,
    const char *error, char *err, size_t errlen)
{
    const char *action = agent_job_action(from, to);
    const char *p[6];
    char       *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
    PGresult   *res;
    json_t     *meta;
    int         rows, rc = -1;

    if (action == NULL) {
        snprintf(err, errlen, "job %s: %s -> %s is not a valid transition",
                 id, from, to);
        free(text);
        return -1;
    }
    p[0] = id;
    p[1] = from;
    p[2] = to;
    p[3] = agent_id ? agent_id : "";
    p[4] = text;
    p[5] = error;
    if (agent_pg_run(pg, "BEGIN", 0, NULL, NULL, err, errlen) != 0) {
        free(text);
        return -1;
    }
    res = agent_pg_exec(pg,
        "UPDATE jobs SET status = $3::text, updated_at = now(), "
        "attempts = attempts + (CASE WHEN $3::text = 'running' THEN 1 "
        "ELSE 0 END), "
        "locked_by = CASE WHEN $3::text = 'running' THEN $4::text "
        "ELSE locked_by END, "
        "started_at = CASE WHEN $3::text = 'running' "
        "THEN coalesce(started_at, now()) ELSE started_at END, "
        "finished_at = CASE WHEN $3::text IN ('completed', 'failed', "
        "'cancelled') THEN now() END, "
        "progress_percent = CASE WHEN $3::text = 'completed' THEN 100 "
        "ELSE progress_percent END, "
        "current_device_id = CASE WHEN $3::text = 'running' "
        "THEN current_device_id END, "
        "result_summary = coalesce($5::jsonb, result_summary), "
        "error_message = coalesce($6::text, error_message) "
        "WHERE id = $1 AND status = $2 RETURNING coalesce(plan_id, ''), "
        "attempts", 6, p, err, errlen);
    if (res != NULL) {
        rows = PQntuples(res);
        if (rows != 1) {
            snprintf(err, errlen, "job %s is not %s any more", id, from);
        } else {
            meta = json_pack("{s:s, s:s, s:s, s:i}", "from", from, "to", to,
                             "agent", p[3], "attempt",
                             atoi(PQgetvalue(res, 0, 1)));
            rc = agent_job_audit(pg, id, PQgetvalue(res, 0, 0), action, actor,
                                 strcmp(to, "failed") == 0 ? "FAILURE"
                                 : "SUCCESS", error, meta, err, errlen);
        }
        PQclear(res);
    }
    free(text);
    if (rc != 0
        || agent_pg_run(pg, "COMMIT", 0, NULL, NULL, err, errlen) != 0)
    {
        agent_pg_abort(pg);
        return -1;
    }
    return 0;
}

int
agent_job_progress(PGconn *pg, const char *id, int percent,
    const char *device_id, char *err, size_t errlen)
{
    char        pct[16];
    const char *p[3] = { id, pct, device_id };

    snprintf(pct, sizeof(pct), "%d", percent < 0 ? 0
             : percent > 100 ? 100 : percent);
    return agent_pg_run(pg, "UPDATE jobs SET progress_percent = $2::int, "
                        "current_device_id = (SELECT id FROM devices "
                        "WHERE id = $3), updated_at = now() WHERE id = $1",
                        3, p, NULL, err, errlen);
}

int
agent_job_next_run(PGconn *pg, const char *id, int64_t at_ms, char *err,
    size_t errlen)
{
    char        at[24];
    const char *p[2] = { id, at };

    snprintf(at, sizeof(at), "%lld", (long long) at_ms);
    return agent_pg_run(pg, "UPDATE jobs SET next_run_at = CASE WHEN "
                        "$2::bigint = 0 THEN NULL ELSE to_timestamp("
                        "$2::bigint / 1000.0) END, updated_at = now() "
                        "WHERE id = $1", 2, p, NULL, err, errlen);
}

int
agent_job_request_cancel(PGconn *pg, const char *id, const char *actor,
    char *err, size_t errlen)
{
    agent_job_row_t job;
    const char     *p[1] = { id };
    int             rc, rows = 0;

    rc = agent_job_load(pg, id, &job, err, errlen);
    if (rc != 0) {
        return rc;
    }
    agent_job_row_release(&job);
    if (agent_job_final(job.status)) {
        snprintf(err, errlen, "job %s already finished: %s", id, job.status);
        return 2;
    }
    if (agent_pg_run(pg, "BEGIN", 0, NULL, NULL, err, errlen) != 0) {
        return -1;
    }
    if (agent_pg_run(pg, "UPDATE jobs SET cancellation_requested = true, "
                     "updated_at = now() WHERE id = $1 AND status IN "
                     "('pending', 'running')", 1, p, &rows, err, errlen) != 0
        || (rows == 1
            && agent_job_audit(pg, id, job.plan_id, "JOB_CANCEL_REQUESTED",
                               actor, "SUCCESS", NULL, json_object(), err,
                               errlen) != 0)
        || agent_pg_run(pg, "COMMIT", 0, NULL, NULL, err, errlen) != 0)
    {
        agent_pg_abort(pg);
        return -1;
    }
    if (rows != 1) {
        snprintf(err, errlen, "job %s finished meanwhile", id);
        return 2;
    }
    return 0;
}
