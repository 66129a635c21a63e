/*
 * plan_job.c: get_job_status (the job://{job_id} document as a tool) and
 * cancel_job (cancellation request; the running job stops after the
 * device it is changing).
 */
#include "../jobs/store.h"
#include "../jobs/wait.h"
#include "../resources/resources.h"

#include <string.h>

static void
get_job_status(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "job_id"));
    json_t     *doc = agent_res_job(ctx, args, out);

    if (doc == NULL && out->err == MCP_ERR_RESOURCE_NOT_FOUND) {
        memset(out, 0, sizeof(*out));
        agent_result(out, 1, json_pack("{s:s, s:s, s:i, s:[]}", "job_id", id,
                     "status", "not_found", "progress_percent", 0,
                     "devices"), "job %s not found", id);
        return;
    }
    if (doc != NULL) {
        agent_result(out, 0, doc, "Job %s is %s (%lld %%).", id,
                     json_string_value(json_object_get(doc, "status")),
                     (long long) json_integer_value(json_object_get(doc,
                     "progress_percent")));
    }
}

static void
cancel_job(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char     *id = json_string_value(json_object_get(args, "job_id"));
    const char     *actor = ctx->job->subject ? ctx->job->subject
                                              : "anonymous";
    agent_job_row_t job;
    char            err[512];
    int             rc;

    rc = agent_job_request_cancel(ctx->pg, id, actor, err, sizeof(err));
    if (rc < 0) {
        agent_fail(out, MCP_ERR_INTERNAL, "%s", err);
        return;
    }
    if (rc == 1) {
        agent_result(out, 1, json_pack("{s:s, s:s, s:b}", "job_id", id,
                     "status", "not_found", "cancellation_requested", 0),
                     "job %s not found", id);
        return;
    }
    agent_jobs_poke();
    if (agent_job_load(ctx->pg, id, &job, err, sizeof(err)) != 0) {
        agent_fail(out, MCP_ERR_INTERNAL, "%s", err);
        return;
    }
    agent_result(out, rc == 2, json_pack("{s:s, s:s, s:b}", "job_id", id,
                 "status", job.status, "cancellation_requested", job.cancel),
                 rc == 2 ? "Job %s already finished (%s): nothing to cancel."
                 : "Cancellation of job %s requested (%s): it stops after "
                 "the device it is changing.", id, job.status);
    agent_job_row_release(&job);
}

const agent_tool_def_t agent_tools_plan_job[] = {
    { "get_job_status", get_job_status },
    { "cancel_job", cancel_job },
    { NULL, NULL }
};
