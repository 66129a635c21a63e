/*
 * plan_firewall.c: plan_add/modify/remove_firewall_rule (upstream §1.10):
 * argument rules, the chain as each device holds it now, writes, risk.
 */
#include "../plans/build.h"
#include "../routeros/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Argument name -> RouterOS field of a filter rule. */
static const char *const fw_map[][2] = {{"chain", "chain"},
                                        {"action", "action"},
                                        {"src_address", "src-address"},
                                        {"dst_address", "dst-address"},
                                        {"protocol", "protocol"},
                                        {"dst_port", "dst-port"},
                                        {"comment", "comment"}};
#define FW_FIELDS (sizeof(fw_map) / sizeof(fw_map[0]))

/* Fields a removed rule is re-created with (in its old place). */
static const char *const fw_restore[] = {"chain",
                                         "action",
                                         "src-address",
                                         "dst-address",
                                         "protocol",
                                         "src-port",
                                         "dst-port",
                                         "in-interface",
                                         "out-interface",
                                         "in-interface-list",
                                         "out-interface-list",
                                         "src-address-list",
                                         "dst-address-list",
                                         "connection-state",
                                         "connection-nat-state",
                                         "jump-target",
                                         "log",
                                         "log-prefix",
                                         "reject-with",
                                         "icmp-options",
                                         "comment",
                                         "disabled",
                                         NULL};

static int
fw_port_proto(const char *proto)
{
    return proto != NULL &&
           (strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0);
}

/* "a" or "a-b" with 1 <= a <= b <= 65535. */
static int
fw_port_ok(const char *p)
{
    char *end;
    long  a, b;

    a = strtol(p, &end, 10);
    b = a;
    if (*end == '-') {
        b = strtol(end + 1, &end, 10);
    }
    return *end == '\0' && a >= 1 && b <= 65535 && a <= b;
}

/* Checks shared by add and modify; -1 after answering -32602. */
static int
fw_check_args(const json_t *args, agent_outcome_t *out)
{
    const char *port = agent_plan_arg(args, "dst_port");
    const char *proto = agent_plan_arg(args, "protocol");

    if (port != NULL && !fw_port_ok(port)) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "dst_port: \"%s\" is not a "
                   "port 1-65535 or a range a-b with a <= b",
                   port);
        return -1;
    }
    if (port != NULL && proto != NULL && !fw_port_proto(proto)) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "dst_port: needs protocol "
                   "tcp or udp, not %s",
                   proto);
        return -1;
    }
    return 0;
}

static json_t *
fw_body(const json_t *args)
{
    json_t *body = json_object();
    size_t  i;

    for (i = 0; i < FW_FIELDS; i++) {
        const char *v = agent_plan_arg(args, fw_map[i][0]);

        if (v != NULL &&
            (v[0] != '\0' || strcmp(fw_map[i][0], "comment") != 0)) {
            json_object_set_new(body, fw_map[i][1], json_string(v));
        }
    }
    return body;
}

static int
fw_add_prepare(agent_ctx_t *ctx, const agent_device_t *dev, const json_t *args,
               json_t *entry, int *risk, char *err, size_t errlen)
{
    const char   *chain = agent_plan_arg(args, "chain");
    const json_t *r;
    json_t       *rules, *same = json_array();
    size_t        i;

    (void)risk;
    if (agent_plan_read(ctx, dev, "/ip/firewall/filter", &rules, err, errlen) !=
        0) {
        json_decref(same);
        return -1;
    }
    json_array_foreach(rules, i, r)
    {
        const char *c = agent_ros_field_str(r, "chain");

        if (c != NULL && strcmp(c, chain) == 0) {
            json_array_append(same, (json_t *)r);
        }
    }
    json_decref(rules);
    json_object_set_new(
        entry, "current",
        json_pack("{s:s, s:o}", "chain", chain, "chain_rules", same));
    agent_plan_write(entry, "/ip/firewall/filter", "add", NULL, fw_body(args));
    return 0;
}

/* The rule args.rule_id as dev holds it now into entry.current. */
static int
fw_current(agent_ctx_t *ctx, const agent_device_t *dev, const json_t *args,
           json_t *entry, json_t **rule, char *err, size_t errlen)
{
    const char *id = agent_plan_arg(args, "rule_id");
    const char *dyn;
    char        path[128];

    snprintf(path, sizeof(path), "/ip/firewall/filter/%s", id);
    if (agent_plan_read(ctx, dev, path, rule, err, errlen) != 0) {
        return -1;
    }
    dyn = agent_ros_field_str(*rule, "dynamic");
    if (dyn != NULL && strcmp(dyn, "true") == 0) {
        snprintf(err, errlen,
                 "rule %s on %s is dynamic and cannot be "
                 "changed",
                 id, dev->id);
        json_decref(*rule);
        return -1;
    }
    json_object_set(entry, "current", *rule);
    return 0;
}

static int
fw_modify_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                  const json_t *args, json_t *entry, int *risk, char *err,
                  size_t errlen)
{
    const char *proto = agent_plan_arg(args, "protocol");
    json_t     *rule;

    (void)risk;
    if (fw_current(ctx, dev, args, entry, &rule, err, errlen) != 0) {
        return -1;
    }
    if (proto == NULL) {
        proto = agent_ros_field_str(rule, "protocol");
    }
    if (agent_plan_arg(args, "dst_port") != NULL && !fw_port_proto(proto)) {
        snprintf(err, errlen,
                 "rule %s on %s has protocol %s: dst_port needs "
                 "tcp or udp",
                 agent_plan_arg(args, "rule_id"), dev->id,
                 proto ? proto : "(none)");
        json_decref(rule);
        return -1;
    }
    json_decref(rule);
    agent_plan_write(entry, "/ip/firewall/filter", "set",
                     agent_plan_arg(args, "rule_id"), fw_body(args));
    return 0;
}

static int
fw_remove_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                  const json_t *args, json_t *entry, int *risk, char *err,
                  size_t errlen)
{
    json_t *rule, *w;

    (void)risk;
    if (fw_current(ctx, dev, args, entry, &rule, err, errlen) != 0) {
        return -1;
    }
    json_decref(rule);
    w = agent_plan_write(entry, "/ip/firewall/filter", "remove",
                         agent_plan_arg(args, "rule_id"), NULL);
    json_object_set_new(w, "restore", agent_plan_keys(fw_restore));
    json_object_set_new(w, "restore_order", json_true());
    return 0;
}

static void
plan_add_firewall_rule(agent_ctx_t *ctx, const json_t *args,
                       agent_outcome_t *out)
{
    agent_plan_spec_t spec = {AGENT_PLAN_FIREWALL,
                              "add_firewall_rule",
                              "add a firewall filter rule",
                              1,
                              0,
                              0,
                              fw_add_prepare};

    if (agent_plan_arg(args, "dst_port") != NULL &&
        !fw_port_proto(agent_plan_arg(args, "protocol"))) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "dst_port: needs protocol "
                   "tcp or udp");
        return;
    }
    if (fw_check_args(args, out) != 0) {
        return;
    }
    if (strcmp(agent_plan_arg(args, "chain"), "input") == 0 ||
        strcmp(agent_plan_arg(args, "action"), "reject") == 0) {
        spec.risk = 2;
    }
    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_modify_firewall_rule(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {AGENT_PLAN_FIREWALL,
                                           "modify_firewall_rule",
                                           "modify a firewall filter rule",
                                           2,
                                           0,
                                           0,
                                           fw_modify_prepare};
    int                            any = 0, match = 0;
    size_t                         i;

    for (i = 0; i < FW_FIELDS; i++) {
        if (json_object_get(args, fw_map[i][0]) != NULL) {
            any = 1;
            match |= i >= 2 && i <= 5;
        }
    }
    if (!any) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "chain, action, src_address, "
                   "dst_address, protocol, dst_port or comment: at least one "
                   "change is required");
        return;
    }
    if (match && (json_object_get(args, "chain") == NULL ||
                  json_object_get(args, "action") == NULL)) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "chain and action: both are "
                   "required when src_address, dst_address, protocol or "
                   "dst_port change");
        return;
    }
    if (fw_check_args(args, out) != 0) {
        return;
    }
    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_remove_firewall_rule(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {AGENT_PLAN_FIREWALL,
                                           "remove_firewall_rule",
                                           "remove a firewall filter rule",
                                           2,
                                           0,
                                           0,
                                           fw_remove_prepare};

    agent_plan_build(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_plan_firewall[] = {
    {"plan_add_firewall_rule", plan_add_firewall_rule},
    {"plan_modify_firewall_rule", plan_modify_firewall_rule},
    {"plan_remove_firewall_rule", plan_remove_firewall_rule},
    {NULL, NULL}};
