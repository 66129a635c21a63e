/*
 * job.c: the job://{job_id} resource (and get_job_status): a job's row,
 * its devices' step records and its final report; not found when the job
 * does not exist.
 */
#include "resources.h"
#include "../jobs/view.h"

json_t *
agent_res_job(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "job_id"));
    char        err[512];
    json_t     *doc;
    int         missing;

    doc = agent_job_document(ctx->pg, id, &missing, err, sizeof(err));
    if (doc == NULL && missing) {
        agent_resource_missing(out, "no job", id);
    } else if (doc == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "database error: %s", err);
    }
    return doc;
}
