/*
 * device_health.c: the device_health tool: a live /system/resource read
 * judged by the thresholds of upstream-catalog §6.1, stored in
 * health_checks; any status but healthy is an error result.
 */
#include "device_read.h"
#include "tool.h"
#include "resource.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../db/pg.h"

#include <stdio.h>
#include <string.h>

#define AGENT_HEALTH_WARN 75.0
#define AGENT_HEALTH_CRIT 90.0

static void
agent_health_judge(const char *what, double v, json_t *issues)
{
    char msg[128];

    if (v > AGENT_HEALTH_CRIT) {
        snprintf(msg, sizeof(msg), "%s usage critical: %.1f%% (> %.0f%%)", what,
                 v, AGENT_HEALTH_CRIT);
    } else if (v > AGENT_HEALTH_WARN) {
        snprintf(msg, sizeof(msg), "%s usage high: %.1f%% (> %.0f%%)", what, v,
                 AGENT_HEALTH_WARN);
    } else {
        return;
    }
    json_array_append_new(issues, json_string(msg));
}

static void
agent_health_store(agent_ctx_t *ctx, const char *status,
                   const agent_resource_t *r, const char *issues)
{
    char        cpu[32], used[32], total[32], up[32], err[512];
    const char *p[7];
    PGresult   *res;

    snprintf(cpu, sizeof(cpu), "%g", r->cpu_load);
    snprintf(used, sizeof(used), "%lld",
             (long long)(r->total_memory - r->free_memory));
    snprintf(total, sizeof(total), "%lld", (long long)r->total_memory);
    snprintf(up, sizeof(up), "%lld", (long long)r->uptime_s);
    p[0] = ctx->device_id;
    p[1] = status;
    p[2] = r->has_cpu_load ? cpu : NULL;
    p[3] = r->has_memory ? used : NULL;
    p[4] = r->has_memory ? total : NULL;
    p[5] = r->has_uptime ? up : NULL;
    p[6] = issues[0] ? issues : NULL;
    res = agent_pg_exec(
        ctx->pg,
        "WITH h AS (INSERT INTO health_checks (device_id, status, "
        "cpu_usage_percent, memory_used_bytes, memory_total_bytes, "
        "uptime_seconds, error_message) VALUES ($1, $2::text, $3::real, "
        "$4::bigint, $5::bigint, $6::bigint, $7) RETURNING device_id) "
        "UPDATE devices SET health_status = $2::text, updated_at = now(), "
        "consecutive_healthy_checks = CASE WHEN $2::text = 'healthy' "
        "THEN consecutive_healthy_checks + 1 ELSE 0 END, "
        "last_seen_at = CASE WHEN $2::text <> 'unreachable' THEN now() "
        "ELSE last_seen_at END WHERE id = (SELECT device_id FROM h)",
        7, p, err, sizeof(err));
    if (res == NULL) {
        agent_error("job %s: health check of %s not stored: %s", ctx->job->id,
                    ctx->device_id, err);
    }
    PQclear(res);
}

void
agent_tool_device_health(agent_ctx_t *ctx, const json_t *args,
                         agent_outcome_t *out)
{
    agent_device_t   dev;
    agent_read_t     rd;
    agent_resource_t r;
    json_t          *reply = NULL, *issues = json_array();
    char             ts[40], joined[1024] = "";
    const char      *status;
    double           mem;
    size_t           i;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        json_decref(issues);
        return;
    }
    memset(&r, 0, sizeof(r));
    if (agent_device_read(ctx, &dev, "/system/resource", &reply, &rd) != 0) {
        status = "unreachable";
        json_array_append_new(issues, json_string(agent_read_message(&rd)));
    } else {
        agent_resource_parse(reply, &r);
        mem = agent_resource_mem_percent(&r);
        if (r.has_cpu_load) {
            agent_health_judge("CPU", r.cpu_load, issues);
        }
        if (mem >= 0) {
            agent_health_judge("Memory", mem, issues);
        }
        status = json_array_size(issues) ? "degraded" : "healthy";
    }
    agent_device_release(&dev);
    for (i = 0; i < json_array_size(issues); i++) {
        snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined),
                 "%s%s", i ? "; " : "",
                 json_string_value(json_array_get(issues, i)));
    }
    agent_health_store(ctx, status, &r, joined);
    agent_iso_now(ts, sizeof(ts));
    agent_result(out, strcmp(status, "healthy") != 0,
                 json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "device_id",
                           ctx->device_id, "status", status, "timestamp", ts,
                           "cpu_usage_percent",
                           agent_json_num_or_null(r.has_cpu_load, r.cpu_load),
                           "memory_usage_percent",
                           agent_json_num_or_null(
                               r.has_memory, agent_resource_mem_percent(&r)),
                           "uptime_seconds",
                           agent_json_int_or_null(r.has_uptime, r.uptime_s),
                           "issues", issues),
                 "Device %s is %s%s%s", ctx->device_id, status,
                 joined[0] ? ": " : "", joined);
    json_decref(reply);
}
