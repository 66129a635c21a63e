/*
 * audit.c: records every tool call in audit_events. The device column is
 * filled only when the device exists (the FK holds); the requested id is
 * kept in meta either way.
 */
#include "audit.h"
#include "../core/log.h"
#include "../db/pg.h"

#include <stdlib.h>
#include <string.h>

void
agent_audit_tool(agent_ctx_t *ctx, const char *tool_name,
                 const agent_outcome_t *out)
{
    const char *result, *params[9];
    char        err[512], *meta;
    json_t     *m;
    PGresult   *res;
    int         is_error;

    is_error =
        out->result && json_is_true(json_object_get(out->result, "isError"));
    result = out->result == NULL ? "ERROR" : is_error ? "FAILURE" : "SUCCESS";
    m = json_pack("{s:s, s:s, s:s?}", "session", ctx->job->session, "kind",
                  ctx->job->kind, "requested_device",
                  ctx->device_id[0] ? ctx->device_id : NULL);
    meta = m ? json_dumps(m, JSON_COMPACT) : NULL;
    json_decref(m);
    params[0] = ctx->job->subject;
    params[1] = tool_name;
    params[2] = ctx->tool ? mcp_tier_name(ctx->tool->tier) : NULL;
    params[3] = ctx->device_id[0] ? ctx->device_id : NULL;
    params[4] = ctx->cfg->environment;
    params[5] = ctx->job->id;
    params[6] = result;
    params[7] = meta ? meta : "{}";
    params[8] =
        out->result == NULL ? out->message
        : is_error
            ? json_string_value(json_object_get(
                  json_array_get(json_object_get(out->result, "content"), 0),
                  "text"))
            : NULL;
    res = agent_pg_exec(
        ctx->pg,
        "INSERT INTO audit_events (user_sub, action, tool_name, tool_tier, "
        "device_id, environment, job_id, result, meta, error_message) "
        "VALUES ($1, 'TOOL_CALL', $2, $3, "
        "(SELECT id FROM devices WHERE id = $4), $5, $6, $7, $8::jsonb, $9)",
        9, params, err, sizeof(err));
    if (res == NULL) {
        agent_warn("job %s: audit row not written: %s", ctx->job->id, err);
    }
    PQclear(res);
    free(meta);
}
