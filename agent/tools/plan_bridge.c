/*
 * plan_bridge.c: plan_add/remove_bridge_port, plan_modify_bridge_settings
 * (upstream §1.12): the bridge as each device holds it now, management path
 * protection, the writes to /interface/bridge and /interface/bridge/port.
 */
#include "../plans/build.h"
#include "../routeros/values.h"
#include "write_guard.h"

#include <stdio.h>
#include <string.h>

static const char *const port_restore[] = {
    "bridge",  "interface", "pvid",        "priority",          "path-cost",
    "horizon", "edge",      "frame-types", "ingress-filtering", "trusted",
    "comment", "disabled",  NULL};

/* bridge_settings key -> RouterOS field; stp marks the STP-ish ones. */
static const struct {
    const char *arg, *field;
    int         stp;
} bridge_map[] = {{"protocol_mode", "protocol-mode", 1},
                  {"vlan_filtering", "vlan-filtering", 1},
                  {"priority", "priority", 1},
                  {"ageing_time", "ageing-time", 0},
                  {"forward_delay", "forward-delay", 1},
                  {"max_message_age", "max-message-age", 1}};
#define BRIDGE_KEYS (sizeof(bridge_map) / sizeof(bridge_map[0]))

/* 1 when an address on iface is the one the service reaches dev by. */
static int
carries_management(const json_t *addrs, const char *iface,
                   const agent_device_t *dev)
{
    const json_t *a;
    size_t        i;

    json_array_foreach(addrs, i, a)
    {
        const char *on = agent_ros_field_str(a, "interface");
        const char *ad = agent_ros_field_str(a, "address");

        if (on != NULL && ad != NULL && strcmp(on, iface) == 0 &&
            agent_write_is_management(dev, ad)) {
            return 1;
        }
    }
    return 0;
}

typedef struct {
    json_t *bridges, *ports, *ifaces, *addrs;
} bridge_view_t;

static void
bridge_view_free(bridge_view_t *v)
{
    json_decref(v->bridges);
    json_decref(v->ports);
    json_decref(v->ifaces);
    json_decref(v->addrs);
}

/* Reads what the bridge tools look at; the bridge args.bridge_name must
 * exist. */
static int
bridge_view(agent_ctx_t *ctx, const agent_device_t *dev, const json_t *args,
            bridge_view_t *v, const json_t **bridge, char *err, size_t errlen)
{
    const char *name = agent_plan_arg(args, "bridge_name");

    memset(v, 0, sizeof(*v));
    if (agent_plan_read(ctx, dev, "/interface/bridge", &v->bridges, err,
                        errlen) != 0 ||
        agent_plan_read(ctx, dev, "/interface/bridge/port", &v->ports, err,
                        errlen) != 0 ||
        agent_plan_read(ctx, dev, "/interface", &v->ifaces, err, errlen) != 0 ||
        agent_plan_read(ctx, dev, "/ip/address", &v->addrs, err, errlen) != 0) {
        bridge_view_free(v);
        return -1;
    }
    *bridge = agent_plan_find(v->bridges, "name", name);
    if (*bridge == NULL) {
        snprintf(err, errlen, "device %s has no bridge %s", dev->id, name);
        bridge_view_free(v);
        return -1;
    }
    return 0;
}

/* The ports of bridge name. */
static json_t *
bridge_ports(const json_t *ports, const char *name)
{
    const json_t *p;
    json_t       *out = json_array();
    size_t        i;

    json_array_foreach(ports, i, p)
    {
        const char *b = agent_ros_field_str(p, "bridge");

        if (b != NULL && strcmp(b, name) == 0) {
            json_array_append(out, (json_t *)p);
        }
    }
    return out;
}

static int
port_add_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                 const json_t *args, json_t *entry, int *risk, char *err,
                 size_t errlen)
{
    const char   *name = agent_plan_arg(args, "bridge_name");
    const char   *iface = agent_plan_arg(args, "interface");
    const json_t *bridge, *port;
    bridge_view_t v;
    int           rc = -1;

    (void)risk;
    if (bridge_view(ctx, dev, args, &v, &bridge, err, errlen) != 0) {
        return -1;
    }
    json_object_set_new(entry, "current",
                        json_pack("{s:O, s:o}", "bridge", bridge, "ports",
                                  bridge_ports(v.ports, name)));
    port = agent_plan_find(v.ports, "interface", iface);
    if (agent_plan_find(v.ifaces, "name", iface) == NULL) {
        snprintf(err, errlen, "device %s has no interface %s", dev->id, iface);
    } else if (agent_plan_find(v.bridges, "name", iface) != NULL) {
        snprintf(err, errlen, "%s on %s is a bridge itself", iface, dev->id);
    } else if (port != NULL) {
        snprintf(err, errlen, "%s on %s is already a port of bridge %s", iface,
                 dev->id, agent_ros_field_str(port, "bridge"));
    } else if (carries_management(v.addrs, iface, dev)) {
        snprintf(err, errlen,
                 "%s carries the management address of %s (%s): "
                 "moving it into a bridge would cut the service off",
                 iface, dev->id, dev->ip);
    } else {
        agent_plan_write(
            entry, "/interface/bridge/port", "add", NULL,
            json_pack("{s:s, s:s}", "bridge", name, "interface", iface));
        rc = 0;
    }
    bridge_view_free(&v);
    return rc;
}

static int
port_remove_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                    const json_t *args, json_t *entry, int *risk, char *err,
                    size_t errlen)
{
    const char   *name = agent_plan_arg(args, "bridge_name");
    const char   *iface = agent_plan_arg(args, "interface");
    const json_t *bridge, *port;
    bridge_view_t v;
    json_t       *w;
    int           rc = -1;

    (void)risk;
    if (bridge_view(ctx, dev, args, &v, &bridge, err, errlen) != 0) {
        return -1;
    }
    port = agent_plan_find(v.ports, "interface", iface);
    if (port == NULL ||
        strcmp(agent_ros_field_str(port, "bridge"), name) != 0) {
        snprintf(err, errlen, "%s is not a port of bridge %s on %s", iface,
                 name, dev->id);
    } else if (carries_management(v.addrs, iface, dev) ||
               carries_management(v.addrs, name, dev)) {
        snprintf(err, errlen,
                 "the management address of %s (%s) is on %s: "
                 "removing port %s could cut the service off",
                 dev->id, dev->ip,
                 carries_management(v.addrs, iface, dev) ? iface : name, iface);
    } else {
        json_object_set_new(entry, "current", json_deep_copy(port));
        w = agent_plan_write(entry, "/interface/bridge/port", "remove",
                             agent_ros_field_str(port, ".id"), NULL);
        json_object_set_new(w, "restore", agent_plan_keys(port_restore));
        rc = 0;
    }
    bridge_view_free(&v);
    return rc;
}

static int
bridge_settings_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                        const json_t *args, json_t *entry, int *risk, char *err,
                        size_t errlen)
{
    const json_t *set = json_object_get(args, "bridge_settings"), *bridge, *v;
    const char   *name = agent_plan_arg(args, "bridge_name");
    bridge_view_t view;
    json_t       *body = json_object(), *expect = json_object(), *w;
    char          hex[16];
    size_t        i;

    (void)risk;
    if (bridge_view(ctx, dev, args, &view, &bridge, err, errlen) != 0) {
        json_decref(body);
        json_decref(expect);
        return -1;
    }
    json_object_set_new(entry, "current", json_deep_copy(bridge));
    if (json_is_true(json_object_get(set, "vlan_filtering")) &&
        carries_management(view.addrs, name, dev)) {
        snprintf(err, errlen,
                 "bridge %s carries the management address of %s "
                 "(%s): turning on VLAN filtering could cut the service off",
                 name, dev->id, dev->ip);
        bridge_view_free(&view);
        json_decref(body);
        json_decref(expect);
        return -1;
    }
    for (i = 0; i < BRIDGE_KEYS; i++) {
        v = json_object_get(set, bridge_map[i].arg);
        if (v == NULL) {
            continue;
        }
        if (json_is_boolean(v)) {
            json_object_set_new(body, bridge_map[i].field,
                                json_string(json_is_true(v) ? "yes" : "no"));
        } else if (json_is_integer(v)) {
            snprintf(hex, sizeof(hex), "%lld",
                     (long long)json_integer_value(v));
            json_object_set_new(body, bridge_map[i].field, json_string(hex));
            /* RouterOS shows the bridge priority in hex. */
            snprintf(hex, sizeof(hex), "0x%llX",
                     (long long)json_integer_value(v));
            json_object_set_new(expect, bridge_map[i].field, json_string(hex));
            continue;
        } else {
            json_object_set(body, bridge_map[i].field, (json_t *)v);
        }
        json_object_set(expect, bridge_map[i].field,
                        json_object_get(body, bridge_map[i].field));
    }
    bridge_view_free(&view);
    w = agent_plan_write(
        entry, "/interface/bridge", "set",
        agent_ros_field_str(json_object_get(entry, "current"), ".id"), body);
    json_object_set_new(w, "expect", expect);
    return 0;
}

static void
plan_add_bridge_port(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_BRIDGE, "add_bridge_port", "add a bridge port", 1, 0, 0,
        port_add_prepare};

    if (strcmp(agent_plan_arg(args, "interface"),
               agent_plan_arg(args, "bridge_name")) == 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "interface: a bridge cannot "
                   "be a port of itself (%s)",
                   agent_plan_arg(args, "interface"));
        return;
    }
    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_remove_bridge_port(agent_ctx_t *ctx, const json_t *args,
                        agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {AGENT_PLAN_BRIDGE,
                                           "remove_bridge_port",
                                           "remove a bridge port",
                                           2,
                                           0,
                                           0,
                                           port_remove_prepare};

    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_modify_bridge_settings(agent_ctx_t *ctx, const json_t *args,
                            agent_outcome_t *out)
{
    agent_plan_spec_t spec = {AGENT_PLAN_BRIDGE,
                              "modify_bridge_settings",
                              "modify bridge settings",
                              1,
                              0,
                              0,
                              bridge_settings_prepare};
    const json_t     *set = json_object_get(args, "bridge_settings");
    size_t            i;

    for (i = 0; i < BRIDGE_KEYS; i++) {
        if (bridge_map[i].stp && json_object_get(set, bridge_map[i].arg)) {
            spec.risk = 2;
        }
    }
    agent_plan_build(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_plan_bridge[] = {
    {"plan_add_bridge_port", plan_add_bridge_port},
    {"plan_remove_bridge_port", plan_remove_bridge_port},
    {"plan_modify_bridge_settings", plan_modify_bridge_settings},
    {NULL, NULL}};
