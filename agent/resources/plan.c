/*
 * plan.c: the plan:// resources: one change plan in full and its audit
 * trail; not found when the plan does not exist.
 */
#include "resources.h"

json_t *
agent_res_plan_details(agent_ctx_t *ctx, const json_t *args,
                       agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "plan_id"));
    const char *p[1] = {id};
    json_t     *doc;

    if (agent_resource_query(
            ctx,
            "SELECT row_to_json(p) FROM (SELECT id AS plan_id, tool_name, "
            "status, created_by, approved_by, approved_at, "
            "approval_expires_at, approval_token_used_at, risk_level, "
            "device_ids, jsonb_array_length(device_ids) AS device_count, "
            "summary, changes, content_hash, batch_size, "
            "pause_seconds_between_batches, rollback_on_failure, "
            "device_statuses, created_at, updated_at "
            "FROM plans WHERE id = $1) p",
            1, p, &doc, out) != 0) {
        return NULL;
    }
    if (doc == NULL) {
        agent_resource_missing(out, "no plan", id);
    }
    return doc;
}

json_t *
agent_res_plan_history(agent_ctx_t *ctx, const json_t *args,
                       agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "plan_id"));
    const char *p[1] = {id};
    json_t     *doc;

    if (agent_resource_query(
            ctx,
            "SELECT json_build_object('plan_id', p.id, 'status', p.status, "
            "'created_at', p.created_at, 'events', coalesce((SELECT "
            "json_agg(a ORDER BY a.timestamp, a.id) FROM (SELECT id, "
            "timestamp, user_sub, action, tool_name, device_id, job_id, "
            "result, meta, error_message FROM audit_events "
            "WHERE plan_id = p.id) a), '[]'::json)) "
            "FROM plans p WHERE p.id = $1",
            1, p, &doc, out) != 0) {
        return NULL;
    }
    if (doc == NULL) {
        agent_resource_missing(out, "no plan", id);
    }
    return doc;
}
