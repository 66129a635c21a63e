/*
 * plan_dns_ntp.c: config_plan_dns_ntp_rollout (upstream §1.14): DNS and NTP
 * servers for 2-50 devices of one environment, applied in batches.
 */
#include "../plans/build.h"

#include <stdio.h>
#include <string.h>

/* "a,b,c" from a JSON array of strings. */
static json_t *
dns_ntp_list(const json_t *a)
{
    char         buf[1100] = "";
    const json_t *v;
    size_t       i, n = 0;

    json_array_foreach(a, i, v) {
        n += (size_t) snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "",
                               json_string_value(v));
        if (n >= sizeof(buf)) {
            break;
        }
    }
    return json_string(buf);
}

static int
dns_ntp_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
    const json_t *args, json_t *entry, int *risk, char *err, size_t errlen)
{
    const json_t *dns = json_object_get(args, "dns_servers");
    const json_t *ntp = json_object_get(args, "ntp_servers");
    json_t       *cur_dns = NULL, *cur_ntp = NULL;

    (void) risk;
    if (agent_plan_read(ctx, dev, "/ip/dns", &cur_dns, err, errlen) != 0
        || agent_plan_read(ctx, dev, "/system/ntp/client", &cur_ntp, err,
                           errlen) != 0)
    {
        json_decref(cur_dns);
        return -1;
    }
    json_object_set_new(entry, "current", json_pack("{s:O?, s:O?, s:O?}",
                        "dns_servers", json_object_get(cur_dns, "servers"),
                        "ntp_servers", json_object_get(cur_ntp, "servers"),
                        "ntp_enabled", json_object_get(cur_ntp, "enabled")));
    json_decref(cur_dns);
    json_decref(cur_ntp);
    if (dns != NULL) {
        agent_plan_write(entry, "/ip/dns", "set", NULL,
                         json_pack("{s:o}", "servers", dns_ntp_list(dns)));
    }
    if (ntp != NULL) {
        agent_plan_write(entry, "/system/ntp/client", "set", NULL,
                         json_pack("{s:s, s:o}", "enabled", "true", "servers",
                                   dns_ntp_list(ntp)));
    }
    return 0;
}

static void
config_plan_dns_ntp_rollout(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_plan_spec_t spec = { AGENT_PLAN_DNS_NTP, "dns_ntp_rollout",
                               "DNS/NTP rollout", 1, 5, 60, dns_ntp_prepare };
    const json_t     *ids = json_object_get(args, "device_ids"), *v;
    agent_device_t    dev;
    char              env[33] = "", err[512];
    size_t            i, n = json_array_size(ids);
    json_int_t        batch;

    if (!json_object_get(args, "dns_servers")
        && !json_object_get(args, "ntp_servers"))
    {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "dns_servers or ntp_servers: "
                   "at least one list is required");
        return;
    }
    batch = json_integer_value(json_object_get(args, "batch_size"));
    if (batch > (json_int_t) n) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "batch_size: %lld is more "
                   "than the %zu devices", (long long) batch, n);
        return;
    }
    /* All devices share one environment (upstream rule). */
    json_array_foreach(ids, i, v) {
        if (agent_device_load(ctx->pg, ctx->cfg, json_string_value(v), 0,
                              &dev, err, sizeof(err)) == 0)
        {
            if (env[0] != '\0' && strcmp(env, dev.environment) != 0) {
                agent_device_release(&dev);
                agent_fail(out, MCP_ERR_INVALID_PARAMS, "device_ids: devices "
                           "span environments %s and %s", env,
                           dev.environment);
                return;
            }
            snprintf(env, sizeof(env), "%s", dev.environment);
            agent_device_release(&dev);
        }
    }
    spec.batch_size = batch > 0 ? (int) batch : 5;
    spec.pause_seconds = (int) json_integer_value(json_object_get(args,
                                                  "pause_seconds"));
    spec.risk = n > 10 ? 2 : 1;
    agent_plan_build(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_plan_dns_ntp[] = {
    { "config_plan_dns_ntp_rollout", config_plan_dns_ntp_rollout },
    { NULL, NULL }
};
