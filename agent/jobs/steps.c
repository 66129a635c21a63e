/*
 * steps.c: job_devices rows: load a job's devices, store one device's step
 * record, waiting out a PostgreSQL restart rather than losing the record.
 */
#include "steps.h"
#include "wait.h"
#include "../core/log.h"
#include "../db/pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *
agent_job_json(const char *text, json_t *def)
{
    json_t *v = text[0] ? json_loads(text, 0, NULL) : NULL;

    if (v == NULL) {
        return def;
    }
    json_decref(def);
    return v;
}

int
agent_job_devs_load(PGconn *pg, const char *job_id, agent_job_dev_t **devs,
    size_t *n, char *err, size_t errlen)
{
    const char      *p[1] = { job_id };
    agent_job_dev_t *d;
    PGresult        *res;
    int              i, rows;

    res = agent_pg_exec(pg,
        "SELECT device_id, position, batch, step, writes_done, "
        "coalesce(pending_write::text, ''), undo::text, undo_done, "
        "snapshot_ids::text, message FROM job_devices WHERE job_id = $1 "
        "ORDER BY position", 1, p, err, errlen);
    if (res == NULL) {
        return -1;
    }
    rows = PQntuples(res);
    d = calloc(rows ? (size_t) rows : 1, sizeof(*d));
    if (d == NULL) {
        PQclear(res);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (i = 0; i < rows; i++) {
        snprintf(d[i].device_id, sizeof(d[i].device_id), "%s",
                 PQgetvalue(res, i, 0));
        d[i].position = atoi(PQgetvalue(res, i, 1));
        d[i].batch = atoi(PQgetvalue(res, i, 2));
        snprintf(d[i].step, sizeof(d[i].step), "%s", PQgetvalue(res, i, 3));
        d[i].writes_done = atoi(PQgetvalue(res, i, 4));
        d[i].pending_write = agent_job_json(PQgetvalue(res, i, 5), NULL);
        d[i].undo = agent_job_json(PQgetvalue(res, i, 6), json_array());
        d[i].undo_done = atoi(PQgetvalue(res, i, 7));
        d[i].snapshot_ids = agent_job_json(PQgetvalue(res, i, 8),
                                           json_array());
        snprintf(d[i].message, sizeof(d[i].message), "%s",
                 PQgetvalue(res, i, 9));
    }
    PQclear(res);
    *devs = d;
    *n = (size_t) rows;
    return 0;
}

void
agent_job_devs_free(agent_job_dev_t *devs, size_t n)
{
    size_t i;

    for (i = 0; devs != NULL && i < n; i++) {
        json_decref(devs[i].pending_write);
        json_decref(devs[i].undo);
        json_decref(devs[i].snapshot_ids);
    }
    free(devs);
}

int
agent_job_dev_save(PGconn *pg, const char *job_id, const agent_job_dev_t *d,
    char *err, size_t errlen)
{
    struct timespec pause = { 0, 500 * 1000000L };
    const char     *p[9];
    char            wd[16], ud[16], *pw, *undo, *snaps;
    int             tries, rc = -1, rows = 0;

    snprintf(wd, sizeof(wd), "%d", d->writes_done);
    snprintf(ud, sizeof(ud), "%d", d->undo_done);
    pw = d->pending_write ? json_dumps(d->pending_write, JSON_COMPACT) : NULL;
    undo = json_dumps(d->undo, JSON_COMPACT);
    snaps = json_dumps(d->snapshot_ids, JSON_COMPACT);
    p[0] = job_id;
    p[1] = d->device_id;
    p[2] = d->step;
    p[3] = wd;
    p[4] = pw;
    p[5] = undo;
    p[6] = ud;
    p[7] = snaps;
    p[8] = d->message;
    for (tries = 0; tries < AGENT_JOB_STEP_WAIT_S * 2; tries++) {
        rc = agent_pg_run(pg,
            "UPDATE job_devices SET step = $3, writes_done = $4::int, "
            "pending_write = $5::jsonb, undo = $6::jsonb, "
            "undo_done = $7::int, snapshot_ids = $8::jsonb, message = $9, "
            "updated_at = now() WHERE job_id = $1 AND device_id = $2",
            9, p, &rows, err, errlen);
        if (rc == 0 || PQstatus(pg) == CONNECTION_OK
            || agent_jobs_stopping())
        {
            break;
        }
        if (tries == 0) {
            agent_warn("job %s: PostgreSQL away (%s); waiting to record %s "
                       "of %s", job_id, err, d->step, d->device_id);
        }
        nanosleep(&pause, NULL);
    }
    free(pw);
    free(undo);
    free(snaps);
    if (rc == 0 && rows != 1) {
        snprintf(err, errlen, "job %s has no device %s", job_id,
                 d->device_id);
        return -1;
    }
    return rc;
}

int
agent_job_dev_step(PGconn *pg, const char *job_id, agent_job_dev_t *d,
    const char *step, const char *msg, char *err, size_t errlen)
{
    snprintf(d->step, sizeof(d->step), "%s", step);
    if (msg != NULL) {
        snprintf(d->message, sizeof(d->message), "%s", msg);
    }
    return agent_job_dev_save(pg, job_id, d, err, errlen);
}
