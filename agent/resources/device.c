/*
 * device.c: the device:// resources: overview (registry row, live system
 * overview, latest health check), live health, latest config snapshot.
 */
#include "resources.h"

#include <string.h>

#define AGENT_RES_CPU_OK 80.0
#define AGENT_RES_MEM_OK 90.0

/* The registry row of the device (NULL with out set when unknown). */
static json_t *
agent_res_device_row(agent_ctx_t *ctx, const char *id, agent_outcome_t *out)
{
    const char *p[1] = {id};
    json_t     *row;

    if (agent_resource_query(
            ctx,
            "SELECT row_to_json(d) FROM (SELECT id, name, environment, "
            "management_ip, management_port, rest_scheme, status, "
            "health_status, tags, routeros_version, hardware_model, "
            "system_identity, allow_advanced_writes, "
            "allow_professional_workflows, last_seen_at "
            "FROM devices WHERE id = $1) d",
            1, p, &row, out) != 0) {
        return NULL;
    }
    if (row == NULL) {
        agent_resource_missing(out, "no device", id);
    }
    return row;
}

json_t *
agent_res_device_overview(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "device_id"));
    const char *p[1] = {id};
    json_t     *row, *system, *health;
    int         is_error = 0;

    if ((row = agent_res_device_row(ctx, id, out)) == NULL) {
        return NULL;
    }
    system = agent_resource_tool(ctx, "get_system_overview", args, &is_error,
                                 out);
    if (system == NULL) {
        json_decref(row);
        return NULL;
    }
    if (agent_resource_query(
            ctx,
            "SELECT row_to_json(h) FROM (SELECT timestamp, status, "
            "cpu_usage_percent, memory_used_bytes, memory_total_bytes, "
            "uptime_seconds, error_message FROM health_checks "
            "WHERE device_id = $1 ORDER BY timestamp DESC, id DESC LIMIT 1) h",
            1, p, &health, out) != 0) {
        json_decref(row);
        json_decref(system);
        return NULL;
    }
    if (health == NULL) {
        health = json_pack("{s:s, s:s}", "status", "unknown", "error",
                           "no health check has been stored for this device");
    }
    return json_pack("{s:o, s:o, s:o, s:b}", "device", row, "system", system,
                     "health", health, "system_reachable", !is_error);
}

json_t *
agent_res_device_health(agent_ctx_t *ctx, const json_t *args,
                        agent_outcome_t *out)
{
    json_t *doc, *cpu, *mem;
    int     is_error = 0;

    doc = agent_resource_tool(ctx, "device_health", args, &is_error, out);
    if (doc == NULL) {
        return NULL;
    }
    cpu = json_object_get(doc, "cpu_usage_percent");
    mem = json_object_get(doc, "memory_usage_percent");
    json_object_set_new(
        doc, "checks",
        json_pack("{s:o, s:o}", "cpu_ok",
                  json_is_number(cpu)
                      ? json_boolean(json_number_value(cpu) < AGENT_RES_CPU_OK)
                      : json_null(),
                  "memory_ok",
                  json_is_number(mem)
                      ? json_boolean(json_number_value(mem) < AGENT_RES_MEM_OK)
                      : json_null()));
    return doc;
}

json_t *
agent_res_device_config(agent_ctx_t *ctx, const json_t *args,
                        agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "device_id"));
    const char *p[1] = {id};
    json_t     *row, *doc;

    if ((row = agent_res_device_row(ctx, id, out)) == NULL) {
        return NULL;
    }
    json_decref(row);
    if (agent_resource_query(
            ctx,
            "SELECT json_build_object('config', convert_from(data, 'UTF8'), "
            "'_meta', json_build_object('snapshot_id', id, 'kind', kind, "
            "'timestamp', timestamp, 'checksum', checksum, 'algorithm', "
            "'sha256', 'size_bytes', length(data), 'meta', meta)) "
            "FROM snapshots WHERE device_id = $1 AND kind = 'config' "
            "ORDER BY timestamp DESC, id DESC LIMIT 1",
            1, p, &doc, out) != 0) {
        return NULL;
    }
    if (doc == NULL) {
        agent_resource_missing(out, "no configuration snapshot of device", id);
    }
    return doc;
}
