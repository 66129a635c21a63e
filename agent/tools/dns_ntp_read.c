/*
 * dns_ntp_read.c: the read-only DNS and NTP tools (upstream-catalog §1.7):
 * resolver settings, resolver cache, NTP client state.
 */
#include "fields.h"
#include "menu.h"
#include "registry.h"
#include "../routeros/values.h"

#include <stdio.h>
#include <string.h>

static const agent_field_t agent_dns_fields[] = {
    { "allow-remote-requests", "allow_remote_requests", AGENT_F_FLAG },
    { "cache-size", "cache_size_kb", AGENT_F_INT },
    { "cache-used", "cache_used_kb", AGENT_F_INT },
    { "cache-max-ttl", "cache_max_ttl_seconds", AGENT_F_SECONDS },
    { "max-concurrent-queries", "max_concurrent_queries", AGENT_F_INT },
    { "query-server-timeout", "query_server_timeout_seconds",
      AGENT_F_SECONDS },
    { "query-total-timeout", "query_total_timeout_seconds",
      AGENT_F_SECONDS },
    { "use-doh-server", "use_doh_server", AGENT_F_STR },
    { "vrf", "vrf", AGENT_F_STR },
    { NULL, NULL, AGENT_F_STR }
};

static const agent_field_t agent_dns_cache_fields[] = {
    { ".id", "id", AGENT_F_STR },
    { "name", "name", AGENT_F_STR },
    { "type", "type", AGENT_F_STR },
    { "data", "data", AGENT_F_STR },
    { "ttl", "ttl_seconds", AGENT_F_SECONDS },
    { "static", "static", AGENT_F_FLAG },
    { NULL, NULL, AGENT_F_STR }
};

static void
agent_tool_get_dns_status(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *o;
    const char    *servers, *dynamic;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/dns", &reply, out) != 0) {
        goto done;
    }
    servers = agent_fields_str(reply, "servers", "");
    dynamic = agent_fields_str(reply, "dynamic-servers", "");
    o = agent_fields_map(reply, agent_dns_fields);
    json_object_set_new(o, "device_id", json_string(dev.id));
    json_object_set_new(o, "dns_servers", agent_fields_split(servers));
    json_object_set_new(o, "dynamic_servers", agent_fields_split(dynamic));
    json_object_set_new(o, "transport", json_string("rest"));
    if (json_object_get(o, "cache_size_kb") == NULL) {
        json_object_set_new(o, "cache_size_kb", json_null());
    }
    if (json_object_get(o, "cache_used_kb") == NULL) {
        json_object_set_new(o, "cache_used_kb", json_null());
    }
    agent_result(out, 0, o, "%s: DNS servers %s%s%s%s, remote requests %s, "
                 "cache %s of %s KiB used", dev.id,
                 *servers ? servers : "(none)", *dynamic ? " (dynamic: " : "",
                 dynamic, *dynamic ? ")" : "",
                 json_is_true(json_object_get(o, "allow_remote_requests"))
                     ? "allowed" : "refused",
                 agent_fields_str(reply, "cache-used", "?"),
                 agent_fields_str(reply, "cache-size", "?"));
done:
    agent_device_release(&dev);
    json_decref(reply);
}

static void
agent_tool_get_dns_cache(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *o;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/dns/cache", &reply, out) != 0) {
        goto done;
    }
    o = agent_menu_bounded(dev.id, "cache_entries",
                           agent_fields_map_list(reply,
                                                 agent_dns_cache_fields),
                           agent_menu_limit(args, 100));
    agent_result(out, 0, o, "%s: %zu DNS cache entr%s, %zu returned", dev.id,
                 json_array_size(reply),
                 json_array_size(reply) == 1 ? "y" : "ies",
                 json_array_size(json_object_get(o, "cache_entries")));
done:
    agent_device_release(&dev);
    json_decref(reply);
}

/* NTP offset in milliseconds: RouterOS 7 writes "-0.412" (ms); a duration
 * form ("1ms500us") is accepted too. */
static json_t *
agent_ntp_offset_ms(const char *s)
{
    double  d;
    int64_t us;

    if (agent_ros_number(s, &d) == 0) {
        return json_real(d);
    }
    if (s != NULL && s[0] == '-' && agent_ros_duration_us(s + 1, &us) == 0) {
        return json_real(-(double) us / 1000.0);
    }
    if (agent_ros_duration_us(s, &us) == 0) {
        return json_real((double) us / 1000.0);
    }
    return json_null();
}

/* Servers: v7 "servers" list, else v6 primary/secondary addresses. */
static json_t *
agent_ntp_servers(const json_t *client)
{
    const char *servers = json_string_value(json_object_get(client,
                                                            "servers"));
    const char *v6[] = { "primary-ntp", "secondary-ntp", NULL };
    json_t     *a;
    size_t      i;

    if (servers != NULL) {
        return agent_fields_split(servers);
    }
    a = json_array();
    for (i = 0; v6[i]; i++) {
        const char *s = json_string_value(json_object_get(client, v6[i]));
        if (s != NULL && *s != '\0' && strcmp(s, "0.0.0.0") != 0) {
            json_array_append_new(a, json_string(s));
        }
    }
    return a;
}

/*
 * The monitor answers with the live sync state; when it cannot be read the
 * fields the client menu itself carries (RouterOS 7) are used instead.
 */
static json_t *
agent_ntp_monitor(agent_ctx_t *ctx, const agent_device_t *dev,
    json_t **monitor_error)
{
    agent_rest_err_t rerr;
    json_t          *body, *reply = NULL, *row;

    body = json_pack("{s:s}", "once", "");
    if (agent_rest_call(ctx->rest, dev, "POST", "/system/ntp/client/monitor",
                        body, ctx->deadline, &reply, &rerr) != 0)
    {
        *monitor_error = json_string(rerr.message);
        json_decref(body);
        return NULL;
    }
    json_decref(body);
    row = json_is_array(reply) ? json_array_get(reply, 0) : reply;
    json_incref(row);
    json_decref(reply);
    if (!json_is_object(row)) {
        json_decref(row);
        return NULL;
    }
    return row;
}

static void
agent_tool_get_ntp_status(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *client = NULL, *monitor = NULL, *merr = NULL, *o, *src;
    int64_t        stratum;
    int            enabled = 0;
    const char    *status, *mode, *synced;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/system/ntp/client", &client, out) != 0) {
        goto done;
    }
    agent_ros_bool(agent_fields_str(client, "enabled", "false"), &enabled);
    if (enabled) {
        monitor = agent_ntp_monitor(ctx, &dev, &merr);
    }
    src = monitor ? monitor : client;
    status = agent_fields_str(src, "status", NULL);
    mode = agent_fields_str(client, "mode", NULL);
    synced = agent_fields_str(src, "synced-server", NULL);
    o = json_pack("{s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
                  "device_id", dev.id, "enabled", enabled, "ntp_servers",
                  agent_ntp_servers(client), "mode",
                  mode ? json_string(mode) : json_null(), "status",
                  status ? json_string(status) : json_null(), "synced_server",
                  synced ? json_string(synced) : json_null(), "stratum",
                  agent_ros_field_int(src, "synced-stratum", &stratum) == 0
                      ? json_integer(stratum) : json_null(),
                  "offset_ms",
                  agent_ntp_offset_ms(agent_fields_str(src, "system-offset",
                                                       NULL)),
                  "transport", "rest");
    if (merr != NULL) {
        json_object_set_new(o, "monitor_error", merr);
    }
    agent_result(out, 0, o, "%s: NTP client %s, %s%s%s", dev.id,
                 enabled ? "enabled" : "disabled",
                 status ? status : "status unknown",
                 synced ? " to " : "", synced ? synced : "");
done:
    agent_device_release(&dev);
    json_decref(client);
    json_decref(monitor);
}

const agent_tool_def_t agent_tools_dns_ntp_read[] = {
    { "get_dns_status", agent_tool_get_dns_status },
    { "get_dns_cache", agent_tool_get_dns_cache },
    { "get_ntp_status", agent_tool_get_ntp_status },
    { NULL, NULL }
};
