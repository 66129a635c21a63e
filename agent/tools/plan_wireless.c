/*
 * plan_wireless.c: plan_create/modify/remove_wireless_ssid and
 * plan_wireless_rf_settings (upstream §1.13): channel rules, the wireless
 * interfaces each device holds now, the writes to /interface/wireless.
 */
#include "../plans/build.h"
#include "../routeros/values.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const wlan_restore[] = {
    "name", "ssid",      "master-interface", "security-profile", "mode",
    "band", "frequency", "hide-ssid",        "comment",          "disabled",
    NULL};

static const int ch5[] = {36, 40, 44, 48, 149, 153, 157, 161, 165};

/* 2 (2.4 GHz), 5 (5 GHz, non-DFS), -1 DFS, 0 not a channel we allow. */
static int
channel_kind(int ch)
{
    size_t i;

    if (ch >= 1 && ch <= 14) {
        return 2;
    }
    if (ch >= 52 && ch <= 144) {
        return -1;
    }
    for (i = 0; i < sizeof(ch5) / sizeof(ch5[0]); i++) {
        if (ch5[i] == ch) {
            return 5;
        }
    }
    return 0;
}

/* Channel against the rules and the band (given or the interface's); 0 or
 * -1 with the reason in err. */
static int
channel_check(int ch, const char *band, char *err, size_t errlen)
{
    int k = channel_kind(ch);

    if (k == -1) {
        snprintf(err, errlen,
                 "channel: %d is a DFS channel (52-144): "
                 "refused",
                 ch);
    } else if (k == 0) {
        snprintf(err, errlen,
                 "channel: %d is neither 2.4 GHz (1-14) nor an "
                 "allowed 5 GHz channel (36, 40, 44, 48, 149, 153, 157, 161, "
                 "165)",
                 ch);
    } else if (band != NULL &&
               strncmp(band, k == 2 ? "5ghz" : "2ghz", 4) == 0) {
        snprintf(err, errlen,
                 "channel: %d is a %s GHz channel but the band "
                 "is %s",
                 ch, k == 2 ? "2.4" : "5", band);
    } else {
        return 0;
    }
    return -1;
}

static json_t *
channel_frequency(int ch)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%d",
             ch == 14   ? 2484
             : ch <= 13 ? 2407 + 5 * ch
                        : 5000 + 5 * ch);
    return json_string(buf);
}

/* The handler-level checks of channel and band; -1 after answering. */
static int
wlan_check_args(const json_t *args, agent_outcome_t *out)
{
    const json_t *ch = json_object_get(args, "channel");
    char          err[256];

    if (ch != NULL &&
        channel_check((int)json_integer_value(ch), agent_plan_arg(args, "band"),
                      err, sizeof(err)) != 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "%s", err);
        return -1;
    }
    return 0;
}

/* ssid, security-profile, band, frequency of args into a body; the channel
 * is checked against the band the interface has when none is given. */
static json_t *
wlan_body(const json_t *args, const json_t *current, char *err, size_t errlen)
{
    const json_t *ch = json_object_get(args, "channel");
    const char   *band = agent_plan_arg(args, "band");
    json_t       *body = json_object();

    if (band == NULL && current != NULL) {
        band = agent_ros_field_str(current, "band");
    }
    if (ch != NULL &&
        channel_check((int)json_integer_value(ch), band, err, errlen) != 0) {
        json_decref(body);
        return NULL;
    }
    if (agent_plan_arg(args, "ssid") != NULL) {
        json_object_set(body, "ssid", json_object_get(args, "ssid"));
    }
    if (agent_plan_arg(args, "security_profile") != NULL) {
        json_object_set(body, "security-profile",
                        json_object_get(args, "security_profile"));
    }
    if (agent_plan_arg(args, "band") != NULL) {
        json_object_set(body, "band", json_object_get(args, "band"));
    }
    if (ch != NULL) {
        json_object_set_new(body, "frequency",
                            channel_frequency((int)json_integer_value(ch)));
    }
    return body;
}

static int
profile_exists(agent_ctx_t *ctx, const agent_device_t *dev, const char *profile,
               char *err, size_t errlen)
{
    json_t *list;
    int     found;

    if (profile == NULL) {
        return 0;
    }
    if (agent_plan_read(ctx, dev, "/interface/wireless/security-profiles",
                        &list, err, errlen) != 0) {
        return -1;
    }
    found = agent_plan_find(list, "name", profile) != NULL;
    json_decref(list);
    if (!found) {
        snprintf(err, errlen, "device %s has no security profile %s", dev->id,
                 profile);
    }
    return found ? 0 : -1;
}

/* "wlan-" and the first 20 characters of the SSID, others than letters,
 * digits, '.', '_' and '-' replaced by '-'. */
static void
wlan_name(const char *ssid, char *name, size_t len)
{
    size_t i, n = (size_t)snprintf(name, len, "wlan-");

    for (i = 0; ssid[i] != '\0' && i < 20 && n + 1 < len; i++, n++) {
        unsigned char c = (unsigned char)ssid[i];

        name[n] =
            isalnum(c) || c == '.' || c == '_' || c == '-' ? (char)c : '-';
    }
    name[n] = '\0';
}

static int
ssid_create_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                    const json_t *args, json_t *entry, int *risk, char *err,
                    size_t errlen)
{
    const json_t *w, *master = NULL;
    json_t       *list, *body;
    char          name[32];
    size_t        i;

    (void)risk;
    if (agent_plan_read(ctx, dev, "/interface/wireless", &list, err, errlen) !=
        0) {
        return -1;
    }
    json_object_set_new(entry, "current", json_pack("{s:o}", "wireless", list));
    json_array_foreach(list, i, w)
    {
        if (master == NULL && agent_ros_field_str(w, "default-name")) {
            master = w;
        }
    }
    wlan_name(agent_plan_arg(args, "ssid"), name, sizeof(name));
    if (master == NULL) {
        snprintf(err, errlen,
                 "device %s has no wireless interface to carry "
                 "the SSID",
                 dev->id);
        return -1;
    }
    if (agent_plan_find(list, "name", name) != NULL) {
        snprintf(err, errlen, "device %s already has an interface %s", dev->id,
                 name);
        return -1;
    }
    if (profile_exists(ctx, dev, agent_plan_arg(args, "security_profile"), err,
                       errlen) != 0) {
        return -1;
    }
    body = wlan_body(args, NULL, err, errlen);
    if (body == NULL) {
        return -1;
    }
    json_object_set_new(body, "name", json_string(name));
    json_object_set_new(body, "master-interface",
                        json_string(agent_ros_field_str(master, "name")));
    agent_plan_write(entry, "/interface/wireless", "add", NULL, body);
    return 0;
}

/* The wireless interface key (an .id or a name) as dev holds it now. */
static int
wlan_current(agent_ctx_t *ctx, const agent_device_t *dev, const char *key,
             json_t *entry, char *err, size_t errlen)
{
    char    path[160];
    json_t *w;

    snprintf(path, sizeof(path), "/interface/wireless/%s", key);
    if (agent_plan_read(ctx, dev, path, &w, err, errlen) != 0) {
        return -1;
    }
    json_object_set_new(entry, "current", w);
    return 0;
}

static int
ssid_modify_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                    const json_t *args, json_t *entry, int *risk, char *err,
                    size_t errlen)
{
    const char *id = agent_plan_arg(args, "ssid_id");
    json_t     *body;

    (void)risk;
    if (wlan_current(ctx, dev, id, entry, err, errlen) != 0 ||
        profile_exists(ctx, dev, agent_plan_arg(args, "security_profile"), err,
                       errlen) != 0) {
        return -1;
    }
    body = wlan_body(args, json_object_get(entry, "current"), err, errlen);
    if (body == NULL) {
        return -1;
    }
    agent_plan_write(entry, "/interface/wireless", "set", id, body);
    return 0;
}

static int
ssid_remove_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                    const json_t *args, json_t *entry, int *risk, char *err,
                    size_t errlen)
{
    const char *id = agent_plan_arg(args, "ssid_id");
    json_t     *w;

    (void)risk;
    if (wlan_current(ctx, dev, id, entry, err, errlen) != 0) {
        return -1;
    }
    if (agent_ros_field_str(json_object_get(entry, "current"),
                            "default-name") != NULL) {
        snprintf(err, errlen,
                 "%s on %s is a physical radio: it cannot be "
                 "removed (change it with plan_modify_wireless_ssid)",
                 id, dev->id);
        return -1;
    }
    w = agent_plan_write(entry, "/interface/wireless", "remove", id, NULL);
    json_object_set_new(w, "restore", agent_plan_keys(wlan_restore));
    return 0;
}

static int
rf_prepare(agent_ctx_t *ctx, const agent_device_t *dev, const json_t *args,
           json_t *entry, int *risk, char *err, size_t errlen)
{
    const json_t *tx = json_object_get(args, "tx_power"), *cur;
    json_t       *body, *band_free;
    char          buf[24];

    (void)risk;
    if (wlan_current(ctx, dev, agent_plan_arg(args, "interface"), entry, err,
                     errlen) != 0) {
        return -1;
    }
    cur = json_object_get(entry, "current");
    /* band only validates the channel here; it is not written. */
    band_free =
        json_pack("{s:O?}", "channel", json_object_get(args, "channel"));
    if (agent_plan_arg(args, "band") != NULL) {
        json_object_set(band_free, "band", json_object_get(args, "band"));
    }
    body = wlan_body(band_free, cur, err, errlen);
    json_decref(band_free);
    if (body == NULL) {
        return -1;
    }
    json_object_del(body, "band");
    if (tx != NULL) {
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(tx));
        json_object_set_new(body, "tx-power", json_string(buf));
        json_object_set_new(body, "tx-power-mode", json_string("manual"));
    }
    agent_plan_write(entry, "/interface/wireless", "set",
                     agent_ros_field_str(cur, ".id"), body);
    return 0;
}

static void
plan_create_wireless_ssid(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {AGENT_PLAN_WIRELESS,
                                           "create_wireless_ssid",
                                           "create a wireless SSID",
                                           1,
                                           0,
                                           0,
                                           ssid_create_prepare};

    if (wlan_check_args(args, out) == 0) {
        agent_plan_build(ctx, args, &spec, out);
    }
}

static void
plan_modify_wireless_ssid(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {AGENT_PLAN_WIRELESS,
                                           "modify_wireless_ssid",
                                           "modify a wireless SSID",
                                           2,
                                           0,
                                           0,
                                           ssid_modify_prepare};

    if (!json_object_get(args, "ssid") &&
        !json_object_get(args, "security_profile") &&
        !json_object_get(args, "band") && !json_object_get(args, "channel")) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "ssid, security_profile, band "
                   "or channel: at least one change is required");
        return;
    }
    if (wlan_check_args(args, out) == 0) {
        agent_plan_build(ctx, args, &spec, out);
    }
}

static void
plan_remove_wireless_ssid(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {AGENT_PLAN_WIRELESS,
                                           "remove_wireless_ssid",
                                           "remove a wireless SSID",
                                           2,
                                           0,
                                           0,
                                           ssid_remove_prepare};

    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_wireless_rf_settings(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_WIRELESS,
        "wireless_rf_settings",
        "change wireless channel / transmit power",
        1,
        0,
        0,
        rf_prepare};

    if (!json_object_get(args, "channel") &&
        !json_object_get(args, "tx_power")) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "channel or tx_power: at "
                   "least one change is required");
        return;
    }
    if (wlan_check_args(args, out) == 0) {
        agent_plan_build(ctx, args, &spec, out);
    }
}

const agent_tool_def_t agent_tools_plan_wireless[] = {
    {"plan_create_wireless_ssid", plan_create_wireless_ssid},
    {"plan_modify_wireless_ssid", plan_modify_wireless_ssid},
    {"plan_remove_wireless_ssid", plan_remove_wireless_ssid},
    {"plan_wireless_rf_settings", plan_wireless_rf_settings},
    {NULL, NULL}};
