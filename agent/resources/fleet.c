/*
 * fleet.c: the fleet:// resources: a live health summary of the service's
 * environment and every registered device grouped by environment.
 */
#include "resources.h"

#include <string.h>

/* No catalog bound: a live check per device must fit one deadline. */
#define AGENT_RES_FLEET_MAX "100"

json_t *
agent_res_fleet_health(agent_ctx_t *ctx, const json_t *args,
                       agent_outcome_t *out)
{
    const char *p[1] = {ctx->cfg->environment};
    json_t     *ids, *one, *check, *attention, *id, *doc;
    double      cpu = 0, mem = 0;
    long        healthy = 0, degraded = 0, unreachable = 0, ncpu = 0, nmem = 0;
    int         is_error;
    size_t      i;
    const char *status;

    (void)args;
    if (agent_resource_query(ctx,
                             "SELECT coalesce(json_agg(id ORDER BY id), "
                             "'[]') FROM (SELECT id FROM devices "
                             "WHERE environment = $1 ORDER BY id LIMIT "
                             AGENT_RES_FLEET_MAX ") d",
                             1, p, &ids, out) != 0) {
        return NULL;
    }
    attention = json_array();
    json_array_foreach(ids, i, id) {
        one = json_pack("{s:O}", "device_id", id);
        is_error = 0;
        check = agent_resource_tool(ctx, "device_health", one, &is_error, out);
        json_decref(one);
        if (check == NULL) {
            json_decref(ids);
            json_decref(attention);
            return NULL;
        }
        status = json_string_value(json_object_get(check, "status"));
        if (status != NULL && strcmp(status, "healthy") == 0) {
            healthy++;
        } else if (status != NULL && strcmp(status, "degraded") == 0) {
            degraded++;
        } else {
            unreachable++;
        }
        if (json_is_number(json_object_get(check, "cpu_usage_percent"))) {
            cpu += json_number_value(json_object_get(check,
                                                     "cpu_usage_percent"));
            ncpu++;
        }
        if (json_is_number(json_object_get(check, "memory_usage_percent"))) {
            mem += json_number_value(
                json_object_get(check, "memory_usage_percent"));
            nmem++;
        }
        if (is_error) {
            json_array_append_new(
                attention,
                json_pack("{s:O, s:s, s:O*}", "device_id", id, "status",
                          status ? status : "unreachable", "issues",
                          json_object_get(check, "issues")));
        }
        json_decref(check);
    }
    doc = json_pack(
        "{s:s, s:s, s:i, s:{s:i, s:i, s:i}, s:o, s:o, s:o}", "environment",
        ctx->cfg->environment, "overall_status",
        degraded + unreachable ? "degraded" : "healthy", "total_devices",
        (int)json_array_size(ids), "counts", "healthy", (int)healthy,
        "degraded", (int)degraded, "unreachable", (int)unreachable,
        "average_cpu_usage_percent", ncpu ? json_real(cpu / ncpu) : json_null(),
        "average_memory_usage_percent",
        nmem ? json_real(mem / nmem) : json_null(), "devices_needing_attention",
        attention);
    json_decref(ids);
    if (doc == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "out of memory");
    }
    return doc;
}

json_t *
agent_res_fleet_by_environment(agent_ctx_t *ctx, const json_t *args,
                               agent_outcome_t *out)
{
    json_t *doc;

    (void)args;
    if (agent_resource_query(
            ctx,
            "SELECT json_build_object('environments', "
            "json_object_agg(e.env, coalesce((SELECT json_agg("
            "json_build_object('id', d.id, 'name', d.name, 'management_ip', "
            "d.management_ip, 'management_port', d.management_port, "
            "'status', d.status, 'health_status', d.health_status, "
            "'routeros_version', d.routeros_version, 'tags', d.tags, "
            "'allow_advanced_writes', d.allow_advanced_writes, "
            "'allow_professional_workflows', "
            "d.allow_professional_workflows) ORDER BY d.id) FROM devices d "
            "WHERE d.environment = e.env), '[]'::json) ORDER BY e.env), "
            "'total_devices', (SELECT count(*) FROM devices)) "
            "FROM (VALUES ('lab'), ('staging'), ('prod')) e(env)",
            0, NULL, &doc, out) != 0) {
        return NULL;
    }
    return doc;
}
