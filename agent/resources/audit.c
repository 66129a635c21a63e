/*
 * audit.c: the audit:// resources: the newest 100 audit events, of the
 * whole service or of one registered device, newest first.
 */
#include "resources.h"

#define AGENT_RES_AUDIT_COLUMNS                                               \
    "id, timestamp, user_sub, action, tool_name, tool_tier, device_id, "      \
    "environment, plan_id, job_id, result, meta, error_message"

json_t *
agent_res_audit_recent(agent_ctx_t *ctx, const json_t *args,
                       agent_outcome_t *out)
{
    json_t *doc;

    (void)args;
    if (agent_resource_query(
            ctx,
            "SELECT json_build_object('events', coalesce(json_agg(a ORDER BY "
            "a.timestamp DESC, a.id DESC), '[]'::json), 'count', count(*)) "
            "FROM (SELECT " AGENT_RES_AUDIT_COLUMNS " FROM audit_events "
            "ORDER BY timestamp DESC, id DESC LIMIT 100) a",
            0, NULL, &doc, out) != 0) {
        return NULL;
    }
    return doc;
}

json_t *
agent_res_audit_by_device(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "device_id"));
    const char *p[1] = {id};
    json_t     *doc;

    if (agent_resource_query(
            ctx,
            "SELECT json_build_object('device_id', d.id, 'events', "
            "coalesce((SELECT json_agg(a ORDER BY a.timestamp DESC, a.id DESC) "
            "FROM (SELECT " AGENT_RES_AUDIT_COLUMNS " FROM audit_events "
            "WHERE device_id = d.id ORDER BY timestamp DESC, id DESC "
            "LIMIT 100) a), '[]'::json)) FROM devices d WHERE d.id = $1",
            1, p, &doc, out) != 0) {
        return NULL;
    }
    if (doc == NULL) {
        agent_resource_missing(out, "no device", id);
    }
    return doc;
}
