/*
 * wireless_read.c: the wireless read tools (upstream-catalog §1.13): legacy
 * wireless interfaces and clients (the wifi package's /interface/wifi when
 * the legacy menu is absent), CAPsMAN CAPs and registrations; REST first,
 * SSH as fallback; a device without either package answers an empty list.
 */
#include "menu.h"
#include "menu_list.h"
#include "registry.h"

#include <stdio.h>

typedef struct {
    agent_menu_list_t list;
    int               capsman_hint; /* add the capsman_detected hint */
    /* RouterOS 7.13+ wifi package menu read when list.path is absent */
    const char          *wifi_path;
    const agent_field_t *wifi_fields;
} agent_wireless_spec_t;

static const agent_field_t agent_wlan_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"name", "name", AGENT_F_STR},
    {"ssid", "ssid", AGENT_F_STR},
    {"band", "band", AGENT_F_STR},
    {"frequency", "frequency", AGENT_F_STR}, /* MHz or "auto" */
    {"channel-width", "channel_width", AGENT_F_STR},
    {"mode", "mode", AGENT_F_STR},
    {"mac-address", "mac_address", AGENT_F_STR},
    {"security-profile", "security_profile", AGENT_F_STR},
    {"country", "country", AGENT_F_STR},
    {"wireless-protocol", "wireless_protocol", AGENT_F_STR},
    {"tx-power-mode", "tx_power_mode", AGENT_F_STR},
    {"tx-power", "tx_power", AGENT_F_INT},
    {"hide-ssid", "hide_ssid", AGENT_F_BOOL},
    {"interface-type", "interface_type", AGENT_F_STR},
    {"comment", "comment", AGENT_F_STR},
    {"running", "running", AGENT_F_FLAG},
    {"disabled", "disabled", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_client_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"mac-address", "mac_address", AGENT_F_STR},
    {"interface", "interface", AGENT_F_STR},
    {"last-ip", "last_ip", AGENT_F_STR},
    {"signal-strength", "signal_strength", AGENT_F_STR},
    {"signal-strength-ch0", "signal_strength_dbm", AGENT_F_INT},
    {"signal-to-noise", "signal_to_noise", AGENT_F_INT},
    {"tx-ccq", "tx_ccq", AGENT_F_INT},
    {"tx-rate", "tx_rate", AGENT_F_STR},
    {"rx-rate", "rx_rate", AGENT_F_STR},
    {"p-throughput", "p_throughput", AGENT_F_INT},
    {"uptime", "uptime", AGENT_F_STR},
    {"uptime", "uptime_seconds", AGENT_F_SECONDS},
    {"last-activity", "last_activity", AGENT_F_STR},
    {"authentication-type", "authentication_type", AGENT_F_STR},
    {"encryption", "encryption", AGENT_F_STR},
    {"bytes", "bytes", AGENT_F_STR}, /* "tx,rx" */
    {"packets", "packets", AGENT_F_STR},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_cap_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"name", "name", AGENT_F_STR},
    {"identity", "identity", AGENT_F_STR},
    {"address", "address", AGENT_F_STR},
    {"base-mac", "base_mac", AGENT_F_STR},
    {"common-name", "common_name", AGENT_F_STR},
    {"board", "board", AGENT_F_STR},
    {"version", "version", AGENT_F_STR},
    {"state", "state", AGENT_F_STR},
    {"radios", "radios", AGENT_F_INT},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_capreg_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"interface", "interface", AGENT_F_STR},
    {"mac-address", "mac_address", AGENT_F_STR},
    {"ssid", "ssid", AGENT_F_STR},
    {"rx-signal", "rx_signal", AGENT_F_INT},
    {"rx-rate", "rx_rate", AGENT_F_STR},
    {"tx-rate", "tx_rate", AGENT_F_STR},
    {"uptime", "uptime", AGENT_F_STR},
    {"uptime", "uptime_seconds", AGENT_F_SECONDS},
    {"bytes", "bytes", AGENT_F_STR},
    {"packets", "packets", AGENT_F_STR},
    {"comment", "comment", AGENT_F_STR},
    {NULL, NULL, AGENT_F_STR}};

/* /interface/wifi (wifi package, RouterOS 7.13+): the same output keys
 * from its dotted property names. */
static const agent_field_t agent_wifi_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"name", "name", AGENT_F_STR},
    {"configuration.ssid", "ssid", AGENT_F_STR},
    {"channel.band", "band", AGENT_F_STR},
    {"channel.frequency", "frequency", AGENT_F_STR},
    {"channel.width", "channel_width", AGENT_F_STR},
    {"configuration.mode", "mode", AGENT_F_STR},
    {"mac-address", "mac_address", AGENT_F_STR},
    {"security", "security_profile", AGENT_F_STR},
    {"security.authentication-types", "authentication_types", AGENT_F_STR},
    {"configuration.country", "country", AGENT_F_STR},
    {"configuration.tx-power", "tx_power", AGENT_F_INT},
    {"configuration.hide-ssid", "hide_ssid", AGENT_F_BOOL},
    {"master-interface", "master_interface", AGENT_F_STR},
    {"comment", "comment", AGENT_F_STR},
    {"running", "running", AGENT_F_FLAG},
    {"disabled", "disabled", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_wifi_client_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"mac-address", "mac_address", AGENT_F_STR},
    {"interface", "interface", AGENT_F_STR},
    {"ssid", "ssid", AGENT_F_STR},
    {"band", "band", AGENT_F_STR},
    {"signal", "signal_strength_dbm", AGENT_F_INT},
    {"tx-rate", "tx_rate", AGENT_F_STR},
    {"rx-rate", "rx_rate", AGENT_F_STR},
    {"uptime", "uptime", AGENT_F_STR},
    {"uptime", "uptime_seconds", AGENT_F_SECONDS},
    {"last-activity", "last_activity", AGENT_F_STR},
    {"auth-type", "authentication_type", AGENT_F_STR},
    {"bytes", "bytes", AGENT_F_STR},
    {"packets", "packets", AGENT_F_STR},
    {NULL, NULL, AGENT_F_STR}};

/* [{code: "capsman_detected", message}] when the device runs a CAPsMAN
 * with remote CAPs, else []; a failed read gives no hint. */
static json_t *
agent_capsman_hints(agent_ctx_t *ctx, const agent_device_t *dev)
{
    agent_read_t rd;
    json_t      *caps = NULL, *hints = json_array();

    if (agent_device_read(ctx, dev, "/caps-man/remote-cap", &caps, &rd) == 0
        && json_array_size(caps) > 0) {
        json_array_append_new(
            hints,
            json_pack(
                "{s:s, s:s}", "code", "capsman_detected", "message",
                "This device runs CAPsMAN with remote CAPs; their radios and "
                "clients are listed by get_capsman_remote_caps and "
                "get_capsman_registrations."));
    }
    json_decref(caps);
    return hints;
}

/* The menu of spec the device has: 0 with *reply, *path and *fields set,
 * 1 when neither the legacy nor the wifi menu exists (why filled), -1 on
 * failure (out filled). */
static int
agent_wireless_read(agent_ctx_t *ctx, const agent_device_t *dev,
                    const agent_wireless_spec_t *spec, json_t **reply,
                    const char **path, const agent_field_t **fields,
                    agent_outcome_t *out, char *why, size_t len)
{
    int rc;

    *path = spec->list.path;
    *fields = spec->list.fields;
    rc = agent_menu_try(ctx, dev, *path, reply, out, why, len);
    if (rc == 1 && spec->wifi_path != NULL) {
        *path = spec->wifi_path;
        *fields = spec->wifi_fields;
        rc = agent_menu_try(ctx, dev, *path, reply, out, why, len);
    }
    return rc;
}

static void
agent_wireless_list(agent_ctx_t *ctx, const json_t *args,
                    const agent_wireless_spec_t *spec, agent_outcome_t *out)
{
    agent_device_t       dev;
    const agent_field_t *fields;
    const char          *path;
    json_t              *reply = NULL, *list, *o;
    size_t               total;
    char                 why[512];
    int                  rc;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    rc = agent_wireless_read(ctx, &dev, spec, &reply, &path, &fields, out,
                             why, sizeof(why));
    if (rc < 0) {
        goto done;
    }
    if (rc == 1) {
        o = agent_menu_bounded(dev.id, spec->list.key, json_array(), -1);
        json_object_set_new(o, "wireless_package", json_false());
        json_object_set_new(o, "menu", json_null());
        if (spec->capsman_hint) {
            json_object_set_new(o, "hints", json_array());
        }
        agent_result(out, 0, o,
                     "%s: no %s: the wireless package is not "
                     "installed (%s%s%s: \"%s\")",
                     dev.id, spec->list.noun, spec->list.path,
                     spec->wifi_path ? " and " : "",
                     spec->wifi_path ? spec->wifi_path : "", why);
        goto done;
    }
    list = agent_fields_map_list(reply, fields);
    total = json_array_size(list);
    o = agent_menu_bounded(dev.id, spec->list.key, list,
                           agent_menu_limit(args, spec->list.limit));
    json_object_set_new(o, "wireless_package", json_true());
    json_object_set_new(o, "menu", json_string(path));
    if (spec->capsman_hint) {
        json_object_set_new(o, "hints", agent_capsman_hints(ctx, &dev));
    }
    agent_result(
        out, 0, o, "%s: %zu %s%s%s%s", dev.id, total, spec->list.noun,
        path == spec->list.path ? "" : " (wifi package, /interface/wifi)",
        json_is_true(json_object_get(o, "truncated")) ? " (list truncated)"
                                                      : "",
        json_array_size(json_object_get(o, "hints")) > 0 ? "; CAPsMAN detected"
                                                         : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

static void
agent_tool_get_wireless_interfaces(agent_ctx_t *ctx, const json_t *args,
                                   agent_outcome_t *out)
{
    static const agent_wireless_spec_t spec = {
        {"/interface/wireless", "interfaces", "wireless interfaces",
         agent_wlan_fields, -1},
        1, "/interface/wifi", agent_wifi_fields};

    agent_wireless_list(ctx, args, &spec, out);
}

static void
agent_tool_get_wireless_clients(agent_ctx_t *ctx, const json_t *args,
                                agent_outcome_t *out)
{
    static const agent_wireless_spec_t spec = {
        {"/interface/wireless/registration-table", "clients",
         "wireless clients", agent_client_fields, 200},
        1, "/interface/wifi/registration-table", agent_wifi_client_fields};

    agent_wireless_list(ctx, args, &spec, out);
}

static void
agent_tool_get_capsman_remote_caps(agent_ctx_t *ctx, const json_t *args,
                                   agent_outcome_t *out)
{
    static const agent_wireless_spec_t spec = {
        {"/caps-man/remote-cap", "remote_caps", "CAPsMAN remote CAPs",
         agent_cap_fields, -1},
        0, NULL, NULL};

    agent_wireless_list(ctx, args, &spec, out);
}

static void
agent_tool_get_capsman_registrations(agent_ctx_t *ctx, const json_t *args,
                                     agent_outcome_t *out)
{
    static const agent_wireless_spec_t spec = {
        {"/caps-man/registration-table", "registrations",
         "CAPsMAN registrations", agent_capreg_fields, 200},
        0, NULL, NULL};

    agent_wireless_list(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_wireless_read[] = {
    {"get_wireless_interfaces", agent_tool_get_wireless_interfaces},
    {"get_wireless_clients", agent_tool_get_wireless_clients},
    {"get_capsman_remote_caps", agent_tool_get_capsman_remote_caps},
    {"get_capsman_registrations", agent_tool_get_capsman_registrations},
    {NULL, NULL}};
