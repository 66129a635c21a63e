/*
 * interfaces.c: the interface tools (upstream-catalog §1.5): list, one
 * interface, and traffic rates sampled with monitor-traffic once.
 */
#include "fields.h"
#include "menu.h"
#include "registry.h"

#include <stdio.h>
#include <string.h>

/* Interfaces sampled when none are named: one REST call each. */
#define AGENT_STATS_MAX 64

static const agent_field_t agent_interface_fields[] = {
    { ".id", "id", AGENT_F_STR },
    { "name", "name", AGENT_F_STR },
    { "default-name", "default_name", AGENT_F_STR },
    { "type", "type", AGENT_F_STR },
    { "mac-address", "mac_address", AGENT_F_STR },
    { "mtu", "mtu", AGENT_F_STR },          /* "1500" or "auto" */
    { "actual-mtu", "actual_mtu", AGENT_F_INT },
    { "l2mtu", "l2mtu", AGENT_F_INT },
    { "running", "running", AGENT_F_FLAG },
    { "disabled", "disabled", AGENT_F_FLAG },
    { "dynamic", "dynamic", AGENT_F_FLAG },
    { "slave", "slave", AGENT_F_FLAG },
    { "comment", "comment", AGENT_F_STR },
    { "last-link-up-time", "last_link_up_time", AGENT_F_STR },
    { "link-downs", "link_downs", AGENT_F_INT },
    { "rx-byte", "rx_bytes", AGENT_F_INT },
    { "tx-byte", "tx_bytes", AGENT_F_INT },
    { "rx-packet", "rx_packets", AGENT_F_INT },
    { "tx-packet", "tx_packets", AGENT_F_INT },
    { "rx-error", "rx_errors", AGENT_F_INT },
    { "tx-error", "tx_errors", AGENT_F_INT },
    { "rx-drop", "rx_drops", AGENT_F_INT },
    { "tx-drop", "tx_drops", AGENT_F_INT },
    { NULL, NULL, AGENT_F_STR }
};

static const agent_field_t agent_traffic_fields[] = {
    { "name", "name", AGENT_F_STR },
    { "rx-bits-per-second", "rx_bits_per_second", AGENT_F_INT },
    { "tx-bits-per-second", "tx_bits_per_second", AGENT_F_INT },
    { "rx-packets-per-second", "rx_packets_per_second", AGENT_F_INT },
    { "tx-packets-per-second", "tx_packets_per_second", AGENT_F_INT },
    { "rx-drops-per-second", "rx_drops_per_second", AGENT_F_INT },
    { "tx-drops-per-second", "tx_drops_per_second", AGENT_F_INT },
    { "rx-errors-per-second", "rx_errors_per_second", AGENT_F_INT },
    { "tx-errors-per-second", "tx_errors_per_second", AGENT_F_INT },
    { NULL, NULL, AGENT_F_STR }
};

static void
agent_tool_list_interfaces(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *list, *o, *i;
    long           running = 0, disabled = 0;
    size_t         k;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/interface", &reply, out) != 0) {
        goto done;
    }
    list = agent_fields_map_list(reply, agent_interface_fields);
    json_array_foreach(list, k, i) {
        running += json_is_true(json_object_get(i, "running"));
        disabled += json_is_true(json_object_get(i, "disabled"));
    }
    o = agent_menu_bounded(dev.id, "interfaces", list,
                           agent_menu_limit(args, 200));
    agent_result(out, 0, o, "%s: %zu interfaces, %ld running, %ld "
                 "disabled%s", dev.id, json_array_size(reply), running,
                 disabled, json_is_true(json_object_get(o, "truncated"))
                               ? " (list truncated)" : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

static void
agent_tool_get_interface(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *i;
    const char    *id = json_string_value(json_object_get(args,
                                                          "interface_id"));
    char           path[128];

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    snprintf(path, sizeof(path), "/interface/%s", id);
    if (agent_menu_read(ctx, &dev, path, &reply, out) != 0) {
        goto done;
    }
    i = agent_fields_map(reply, agent_interface_fields);
    agent_result(out, 0, json_pack("{s:s, s:o, s:s}", "device_id", dev.id,
                                   "interface", i, "transport", "rest"),
                 "%s: interface %s (%s, %s) is %s", dev.id,
                 agent_fields_str(i, "name", id),
                 agent_fields_str(i, "id", "?"),
                 agent_fields_str(i, "type", "?"),
                 json_is_true(json_object_get(i, "disabled")) ? "disabled"
                 : json_is_true(json_object_get(i, "running")) ? "running"
                                                               : "not running");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

/* Interface names to sample: the ones asked for, else every interface of
 * the device up to AGENT_STATS_MAX; NULL when out holds a failure. */
static json_t *
agent_stats_names(agent_ctx_t *ctx, const agent_device_t *dev,
    const json_t *args, size_t *total, agent_outcome_t *out)
{
    json_t *names = json_object_get(args, "interface_names"), *reply, *i;
    size_t  k;

    if (json_is_array(names)) {
        *total = json_array_size(names);
        return json_incref(names);
    }
    if (agent_menu_read(ctx, dev, "/interface", &reply, out) != 0) {
        return NULL;
    }
    names = json_array();
    json_array_foreach(reply, k, i) {
        if (json_is_string(json_object_get(i, "name"))
            && json_array_size(names) < AGENT_STATS_MAX)
        {
            json_array_append(names, json_object_get(i, "name"));
        }
    }
    *total = json_array_size(reply);
    json_decref(reply);
    return names;
}

/* One monitor-traffic once sample of name: the typed row, or a row with
 * the RouterOS error. Returns -1 when the device itself failed (no point
 * asking it about the next interface). */
static int
agent_stats_sample(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *name, json_t **row, agent_rest_err_t *rerr)
{
    json_t *body, *reply = NULL;
    int     rc;

    body = json_pack("{s:s, s:s}", "interface", name, "once", "");
    rc = agent_rest_call(ctx->rest, dev, "POST", "/interface/monitor-traffic",
                         body, ctx->deadline, &reply, rerr);
    json_decref(body);
    if (rc != 0) {
        *row = json_pack("{s:s, s:s, s:s}", "name", name, "error",
                         rerr->message, "failure_reason",
                         agent_rest_reason(rerr->code));
        json_decref(reply);
        return rerr->code == AGENT_REST_CLIENT
               || rerr->code == AGENT_REST_NOT_FOUND ? 0 : -1;
    }
    *row = agent_fields_map(json_array_get(reply, 0), agent_traffic_fields);
    json_object_set_new(*row, "name", json_string(name));
    json_decref(reply);
    return 0;
}

/* Bits per second as an operator reads them ("12.4 Mbps"). */
static void
agent_format_bps(int64_t bps, char *buf, size_t len)
{
    if (bps >= 1000000000) {
        snprintf(buf, len, "%.1f Gbps", bps / 1e9);
    } else if (bps >= 1000000) {
        snprintf(buf, len, "%.1f Mbps", bps / 1e6);
    } else if (bps >= 1000) {
        snprintf(buf, len, "%.1f kbps", bps / 1e3);
    } else {
        snprintf(buf, len, "%lld bps", (long long) bps);
    }
}

static void
agent_stats_failed(agent_outcome_t *out, const agent_device_t *dev,
    const char *name, const agent_rest_err_t *rerr)
{
    agent_result(out, 1, NULL, "Cannot sample the traffic of %s on %s (%s): "
                 "%s", name, dev->id, agent_rest_reason(rerr->code),
                 rerr->message);
    agent_result_meta(out, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}",
                                     "device_id", dev->id, "interface", name,
                                     "failure_reason",
                                     agent_rest_reason(rerr->code), "error",
                                     rerr->message, "status_code",
                                     rerr->http_status, "transport", "rest"));
}

static void
agent_tool_get_interface_stats(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t   dev;
    agent_rest_err_t rerr;
    json_t          *names, *stats, *row = NULL, *o;
    size_t           k, n, total = 0, failed = 0;
    int64_t          rx = 0, tx = 0;
    const char      *name;
    char             rxs[32], txs[32];

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    names = agent_stats_names(ctx, &dev, args, &total, out);
    if (names == NULL) {
        goto done;
    }
    stats = json_array();
    n = json_array_size(names);
    for (k = 0; k < n; k++) {
        name = json_string_value(json_array_get(names, k));
        agent_progress(ctx, (double) k, (double) n, name);
        if (agent_stats_sample(ctx, &dev, name, &row, &rerr) != 0) {
            agent_stats_failed(out, &dev, name, &rerr);
            json_decref(row);
            json_decref(stats);
            json_decref(names);
            goto done;
        }
        if (json_object_get(row, "error") != NULL) {
            failed++;
        } else {
            rx += json_integer_value(json_object_get(row,
                                                     "rx_bits_per_second"));
            tx += json_integer_value(json_object_get(row,
                                                     "tx_bits_per_second"));
        }
        json_array_append_new(stats, row);
    }
    json_decref(names);
    o = json_pack("{s:s, s:o, s:I, s:I, s:I, s:b, s:s}", "device_id", dev.id,
                  "stats", stats, "total_count", (json_int_t) total,
                  "returned_count", (json_int_t) n, "failed_count",
                  (json_int_t) failed, "truncated", n < total, "transport",
                  "rest");
    agent_format_bps(rx, rxs, sizeof(rxs));
    agent_format_bps(tx, txs, sizeof(txs));
    /* Nothing sampled at all is a failure the operator must see. */
    agent_result(out, n > 0 && failed == n, o, "%s: %zu interface%s sampled "
                 "(rx %s, tx %s in total)%s%s", dev.id, n - failed,
                 n - failed == 1 ? "" : "s", rxs, txs,
                 failed ? "; some interfaces could not be sampled, see "
                          "stats[].error" : "",
                 n < total ? "; list truncated" : "");
done:
    agent_device_release(&dev);
}

const agent_tool_def_t agent_tools_interfaces[] = {
    { "list_interfaces", agent_tool_list_interfaces },
    { "get_interface", agent_tool_get_interface },
    { "get_interface_stats", agent_tool_get_interface_stats },
    { NULL, NULL }
};
