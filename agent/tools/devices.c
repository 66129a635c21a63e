/*
 * devices.c: the device registry tools (upstream-catalog §1.3):
 * list_devices from PostgreSQL, check_connectivity against the device.
 */
#include "device_read.h"
#include "registry.h"
#include "resource.h"
#include "../core/clock.h"
#include "../core/log.h"

#include <stdio.h>
#include <string.h>

static void
agent_tool_list_devices(agent_ctx_t *ctx, const json_t *args,
                        agent_outcome_t *out)
{
    const char *env = json_string_value(json_object_get(args, "environment"));
    json_t     *tags = json_object_get(args, "tags"), *devices, *limit_j;
    char        err[512];
    long        total;
    int         limit = 200;
    size_t      n;

    limit_j = json_object_get(args, "limit");
    if (json_is_integer(limit_j)) {
        limit = (int)json_integer_value(limit_j);
    }
    if (json_is_object(tags) && json_object_size(tags) == 0) {
        tags = NULL;
    }
    if (agent_devices_list(ctx->pg, env, json_is_object(tags) ? tags : NULL,
                           limit, &devices, &total, err, sizeof(err)) != 0) {
        agent_fail(out, MCP_ERR_INTERNAL, "cannot list devices: %s", err);
        return;
    }
    n = json_array_size(devices);
    agent_result(out, 0,
                 json_pack("{s:o, s:I, s:I, s:b}", "devices", devices,
                           "total_count", (json_int_t)total, "returned_count",
                           (json_int_t)n, "truncated", (long)n < total),
                 "%ld device%s registered%s%s%s", total, total == 1 ? "" : "s",
                 env ? " in environment " : "", env ? env : "",
                 (long)n < total ? " (list truncated)" : "");
}

/* Fixed advice per failure reason, as upstream gives it. */
static json_t *
agent_suggestions(agent_rest_code_t code)
{
    switch (code) {
    case AGENT_REST_TIMEOUT:
        return json_pack("[s, s]",
                         "Check that the device is powered on and "
                         "routed from the agent",
                         "Check that the www/www-ssl "
                         "service is enabled and not firewalled");
    case AGENT_REST_NETWORK:
        return json_pack("[s, s]", "Check the management IP address and port",
                         "Check that the REST service (www or www-ssl) is "
                         "enabled on the device");
    case AGENT_REST_AUTH:
        return json_pack("[s, s]",
                         "Check the stored username and password "
                         "(routeros-mcp-admin device add)",
                         "Check that the "
                         "user's group has the rest-api and api policies");
    case AGENT_REST_FORBIDDEN:
        return json_pack("[s]", "Give the user's group the read, api and "
                                "rest-api policies");
    case AGENT_REST_NOT_FOUND:
        return json_pack("[s]", "REST needs RouterOS 7.1 or later; check the "
                                "version and the service port");
    case AGENT_REST_NO_CREDENTIAL:
        return json_pack("[s]", "Register a REST credential with "
                                "routeros-mcp-admin device add");
    case AGENT_REST_TLS:
        return json_pack("[s, s]",
                         "Compare the registered fingerprint or CA file with "
                         "the certificate of the device's www-ssl service "
                         "(/certificate print detail)",
                         "A certificate that changed unexpectedly may mean "
                         "someone is in the path: verify before trusting "
                         "the new one");
    default:
        return json_pack("[s]", "Check the device log and the agent log");
    }
}

/* attempted_transports, rest_time_ms, ssh_time_ms of a read. */
static void
agent_connectivity_transports(json_t *res, const agent_read_t *rd)
{
    json_t *tried = json_array();

    if (rd->rest_tried) {
        json_array_append_new(tried, json_string("rest"));
    }
    if (rd->ssh_tried) {
        json_array_append_new(tried, json_string("ssh"));
    }
    json_object_set_new(res, "attempted_transports", tried);
    json_object_set_new(res, "rest_time_ms",
                        rd->rest_tried ? json_real(rd->rest_ms) : json_null());
    json_object_set_new(res, "ssh_time_ms",
                        rd->ssh_tried ? json_real(rd->ssh_ms) : json_null());
    json_object_set_new(res, "fallback_used",
                        json_boolean(rd->fallback_used));
    if (rd->rest_tried && rd->rest.code != AGENT_REST_OK) {
        json_object_set_new(res, "rest_error", json_string(rd->rest.message));
    }
    if (rd->ssh_tried && rd->ssh.code != AGENT_SSH_OK) {
        json_object_set_new(res, "ssh_error", json_string(rd->ssh.message));
    }
}

static void
agent_tool_check_connectivity(agent_ctx_t *ctx, const json_t *args,
                              agent_outcome_t *out)
{
    agent_device_t   dev;
    agent_read_t     rd;
    agent_resource_t r;
    json_t          *reply = NULL, *res;
    char             err[512];
    double           t0, ms;
    int              ok;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    t0 = agent_mono_ms();
    ok = agent_device_read(ctx, &dev, "/system/resource", &reply, &rd) == 0;
    ms = agent_mono_ms() - t0;
    agent_device_release(&dev);
    agent_resource_parse(reply, &r);
    if (agent_device_seen(ctx->pg, ctx->device_id,
                          ok ? "healthy" : "unreachable", ok ? r.version : NULL,
                          NULL, ok ? r.board : NULL, err, sizeof(err)) != 0) {
        agent_error("job %s: status of %s not stored: %s", ctx->job->id,
                    ctx->device_id, err);
    }
    if (ok) {
        res =
            json_pack("{s:s, s:b, s:s, s:f, s:n, s:s?, s:[], s:i, s:i}",
                      "device_id", ctx->device_id, "reachable", 1, "transport",
                      rd.transport, "response_time_ms", ms, "failure_reason",
                      "routeros_version", r.version, "suggestions", "attempts",
                      rd.rest.attempts, "status_code",
                      rd.rest_tried && !rd.fallback_used ? 200 : 0);
        agent_connectivity_transports(res, &rd);
        agent_result(out, 0, res,
                     "Device %s is reachable over %s%s "
                     "(%.0f ms, RouterOS %s)",
                     ctx->device_id, rd.transport,
                     rd.fallback_used ? " (REST failed, SSH fallback)" : "",
                     ms, r.version ? r.version : "unknown");
    } else {
        res = json_pack("{s:s, s:b, s:s, s:n, s:s, s:s, s:n, s:o, s:i, s:i}",
                        "device_id", ctx->device_id, "reachable", 0,
                        "transport", rd.transport, "response_time_ms",
                        "failure_reason", agent_read_reason(&rd), "error",
                        agent_read_message(&rd), "routeros_version",
                        "suggestions", agent_suggestions(rd.rest.code),
                        "attempts", rd.rest.attempts, "status_code",
                        rd.rest.http_status);
        agent_connectivity_transports(res, &rd);
        agent_result(out, 1, res, "Device %s is not reachable (%s): %s",
                     ctx->device_id, agent_read_reason(&rd),
                     agent_read_message(&rd));
    }
    json_decref(reply);
}

const agent_tool_def_t agent_tools_devices[] = {
    {"list_devices", agent_tool_list_devices},
    {"check_connectivity", agent_tool_check_connectivity},
    {NULL, NULL}};
