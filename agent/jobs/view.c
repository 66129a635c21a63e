/*
 * view.c: one SQL query builds a job's document: the jobs row, its
 * job_devices step records in position order, the stored final report.
 */
#include "view.h"
#include "../db/pg.h"

#include <stdio.h>

json_t *
agent_job_document(PGconn *pg, const char *id, int *missing, char *err,
                   size_t errlen)
{
    const char   *p[1] = { id };
    PGresult     *res;
    json_t       *doc = NULL;
    json_error_t  jerr;

    *missing = 0;
    res = agent_pg_exec(pg,
        "SELECT json_build_object('job_id', j.id, 'plan_id', j.plan_id, "
        "'job_type', j.job_type, 'tool_name', j.tool_name, "
        "'status', j.status, 'progress_percent', j.progress_percent, "
        "'current_device_id', j.current_device_id, "
        "'batch_count', j.batch_count, 'attempts', j.attempts, "
        "'cancellation_requested', j.cancellation_requested, "
        "'next_run_at', j.next_run_at, 'created_by', j.created_by, "
        "'created_at', j.created_at, 'started_at', j.started_at, "
        "'finished_at', j.finished_at, 'error_message', j.error_message, "
        "'result', j.result_summary, 'devices', coalesce((SELECT "
        "json_agg(json_build_object('device_id', d.device_id, "
        "'batch', d.batch, 'step', d.step, 'writes_done', d.writes_done, "
        "'message', d.message, 'updated_at', d.updated_at) "
        "ORDER BY d.position) FROM job_devices d WHERE d.job_id = j.id), "
        "'[]'::json)) FROM jobs j WHERE j.id = $1",
        1, p, err, errlen);
    if (res == NULL) {
        return NULL;
    }
    if (PQntuples(res) == 0) {
        *missing = 1;
    } else {
        doc = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
        if (doc == NULL) {
            snprintf(err, errlen, "job %s: unreadable document: %s", id,
                     jerr.text);
        }
    }
    PQclear(res);
    return doc;
}
