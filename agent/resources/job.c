/*
 * job.c: the job://{job_id} resource (and get_job_status): a job's row,
 * its devices' step records and its final report; not found when the job
 * does not exist.
 */
#include "resources.h"

json_t *
agent_res_job(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "job_id"));
    const char *p[1] = { id };
    json_t     *doc;

    if (agent_resource_query(ctx,
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
            1, p, &doc, out) != 0)
    {
        return NULL;
    }
    if (doc == NULL) {
        agent_resource_missing(out, "no job", id);
    }
    return doc;
}
