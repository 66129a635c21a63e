/*
 * system.c: the system tools (upstream-catalog §1.4); for now
 * get_system_overview (/system/resource + /system/identity).
 */
#include "log_notify.h"
#include "menu.h"
#include "registry.h"
#include "resource.h"
#include "../core/clock.h"
#include "../routeros/values.h"

#include <stdio.h>
#include <string.h>

static void
agent_tool_get_system_overview(agent_ctx_t *ctx, const json_t *args,
                               agent_outcome_t *out)
{
    agent_device_t   dev;
    agent_resource_t r;
    json_t          *res = NULL, *ident = NULL, *o;
    const char      *identity;
    char             ts[40], up[64];
    double           mem;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/system/resource", &res, out) != 0) {
        goto done;
    }
    agent_progress(ctx, 1, 2, "read /system/resource");
    agent_log_notify(ctx, "info", "get_system_overview",
                     "%s: read /system/resource", dev.id);
    if (agent_menu_read(ctx, &dev, "/system/identity", &ident, out) != 0) {
        goto done;
    }
    agent_progress(ctx, 2, 2, "read /system/identity");
    agent_log_notify(ctx, "info", "get_system_overview",
                     "%s: read /system/identity", dev.id);
    agent_resource_parse(res, &r);
    identity = agent_ros_field_str(ident, "name");
    mem = agent_resource_mem_percent(&r);
    agent_ros_format_duration(r.uptime_s, up, sizeof(up));
    agent_iso_now(ts, sizeof(ts));
    o = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
        " s:o, s:o, s:o, s:s, s:s}",
        "device_id", dev.id, "device_name", dev.name, "system_identity",
        identity ? identity : "", "routeros_version",
        r.version ? r.version : "", "hardware_model",
        r.board ? json_string(r.board) : json_null(), "architecture",
        r.architecture ? json_string(r.architecture) : json_null(), "cpu_count",
        agent_json_int_or_null(r.has_cpu_count, r.cpu_count),
        "cpu_usage_percent", agent_json_num_or_null(r.has_cpu_load, r.cpu_load),
        "memory_total_bytes",
        agent_json_int_or_null(r.has_memory, r.total_memory),
        "memory_used_bytes",
        agent_json_int_or_null(r.has_memory, r.total_memory - r.free_memory),
        "memory_free_bytes",
        agent_json_int_or_null(r.has_memory, r.free_memory),
        "memory_usage_percent", agent_json_num_or_null(r.has_memory, mem),
        "uptime_seconds", agent_json_int_or_null(r.has_uptime, r.uptime_s),
        "uptime_formatted", r.has_uptime ? json_string(up) : json_null(),
        "timestamp", ts, "transport", "rest");
    agent_result(out, 0, o,
                 "%s (%s): RouterOS %s on %s, CPU %.0f%%, "
                 "memory %.0f%% used, up %s",
                 identity ? identity : dev.id, dev.id,
                 r.version ? r.version : "?", r.board ? r.board : "?",
                 r.cpu_load, mem < 0 ? 0 : mem, r.has_uptime ? up : "?");
done:
    agent_device_release(&dev);
    json_decref(res);
    json_decref(ident);
}

const agent_tool_def_t agent_tools_system[] = {
    {"get_system_overview", agent_tool_get_system_overview}, {NULL, NULL}};
