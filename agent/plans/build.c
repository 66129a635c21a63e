/*
 * build.c: plan creation shared by the plan_* tools: device validation,
 * per-device preparation against the live device, the stored plan.
 */
#include "build.h"
#include "workflow.h"
#include "store.h"
#include "../routeros/values.h"
#include "../tools/device_read.h"
#include "../tools/write_guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *agent_plan_domains[] = {"routing", "firewall", "dhcp",
                                           "bridge",  "wireless", "dns_ntp"};

const char *
agent_plan_domain_name(agent_plan_domain_t d)
{
    return agent_plan_domains[d];
}

int
agent_plan_domain_allowed(const agent_device_t *dev, agent_plan_domain_t d)
{
    switch (d) {
    case AGENT_PLAN_ROUTING:
        return dev->allow_routing_writes;
    case AGENT_PLAN_FIREWALL:
        return dev->allow_firewall_writes;
    case AGENT_PLAN_DHCP:
        return dev->allow_dhcp_writes;
    case AGENT_PLAN_BRIDGE:
        return dev->allow_bridge_writes;
    case AGENT_PLAN_WIRELESS:
        return dev->allow_wireless_writes;
    default:
        return 1;
    }
}

json_t *
agent_plan_write(json_t *entry, const char *menu, const char *op,
                 const char *id, json_t *body)
{
    json_t *writes = json_object_get(entry, "writes");
    json_t *w = json_pack("{s:s, s:s}", "menu", menu, "op", op);

    if (writes == NULL) {
        writes = json_array();
        json_object_set_new(entry, "writes", writes);
    }
    if (id != NULL) {
        json_object_set_new(w, "id", json_string(id));
    }
    if (body != NULL) {
        json_object_set_new(w, "body", body);
    }
    json_array_append_new(writes, w);
    return w;
}

int
agent_plan_read(agent_ctx_t *ctx, const agent_device_t *dev, const char *path,
                json_t **reply, char *err, size_t errlen)
{
    agent_read_t rd;

    *reply = NULL;
    if (agent_device_read(ctx, dev, path, reply, &rd) != 0) {
        snprintf(err, errlen, "device %s: reading %s failed (%s): %s",
                 dev->id, path, agent_read_reason(&rd),
                 agent_read_message(&rd));
        return -1;
    }
    return 0;
}

json_t *
agent_plan_keys(const char *const *keys)
{
    json_t *a = json_array();

    for (; *keys != NULL; keys++) {
        json_array_append_new(a, json_string(*keys));
    }
    return a;
}

const char *
agent_plan_arg(const json_t *args, const char *name)
{
    return json_string_value(json_object_get(args, name));
}

const json_t *
agent_plan_find(const json_t *list, const char *key, const char *value)
{
    const json_t *item;
    const char   *v;
    size_t        i;

    json_array_foreach(list, i, item)
    {
        v = agent_ros_field_str(item, key);
        if (v != NULL && strcmp(v, value) == 0) {
            return item;
        }
    }
    return NULL;
}

/* The validator of upstream §1.8, applied to one loaded device. */
static int
agent_plan_device_ok(agent_ctx_t *ctx, const agent_device_t *dev,
                     agent_plan_domain_t domain, char *err, size_t errlen)
{
    if (strcmp(dev->environment, "lab") != 0 &&
        strcmp(dev->environment, "staging") != 0) {
        snprintf(err, errlen,
                 "device %s is in %s: plans are only made for "
                 "lab and staging devices",
                 dev->id, dev->environment);
        return -1;
    }
    if (agent_write_gate(ctx, dev, MCP_TIER_PROFESSIONAL, err, errlen) != 0) {
        return -1;
    }
    if (strcmp(dev->status, "unreachable") == 0 ||
        strcmp(dev->status, "decommissioned") == 0) {
        snprintf(err, errlen, "device %s is %s", dev->id, dev->status);
        return -1;
    }
    if (!agent_plan_domain_allowed(dev, domain)) {
        snprintf(err, errlen,
                 "device %s does not allow %s writes "
                 "(allow_%s_writes is off)",
                 dev->id, agent_plan_domain_name(domain),
                 agent_plan_domain_name(domain));
        return -1;
    }
    return 0;
}

static void
agent_plan_answer(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out,
                  const char *id, const char *hash, const char *risk,
                  json_t *devices, const agent_plan_spec_t *spec)
{
    json_t *s;
    size_t  n = json_array_size(devices);

    s = json_pack("{s:s, s:s, s:s, s:i, s:o, s:s, s:s}", "plan_id", id,
                  "status", "pending", "risk_level", risk, "device_count",
                  (int)n, "devices", devices, "content_hash", hash, "next_step",
                  "an approver runs: routeros-mcp-admin plan "
                  "approve <plan_id> --approver NAME, then apply with the "
                  "token it prints");
    agent_plan_workflow(ctx, args, id, s);
    agent_result(out, 0, s, "Plan %s created (%s): %s on %zu device(s), "
                 "risk %s.", id, json_is_true(json_object_get(s,
                 "auto_approved")) ? "approved by its trusted workflow"
                 : "pending approval", spec->summary, n, risk);
}

void
agent_plan_build(agent_ctx_t *ctx, const json_t *args,
                 const agent_plan_spec_t *spec, agent_outcome_t *out)
{
    const json_t    *ids = json_object_get(args, "device_ids"), *idv;
    agent_device_t   dev;
    agent_plan_new_t p;
    json_t          *devmap = json_object(), *previews = json_array();
    json_t          *changes, *entry;
    char             err[768], id[65], hash[65];
    size_t           i;
    int              risk = spec->risk, rc;

    json_array_foreach(ids, i, idv)
    {
        rc = agent_device_load(ctx->pg, ctx->cfg, json_string_value(idv), 1,
                               &dev, err, sizeof(err));
        if (rc != 0) {
            json_decref(devmap);
            json_decref(previews);
            if (rc == 1) {
                agent_fail(out, MCP_ERR_DEVICE_NOT_FOUND,
                           "device %s not "
                           "found",
                           json_string_value(idv));
            } else {
                agent_fail(out, MCP_ERR_INTERNAL, "%s", err);
            }
            return;
        }
        entry = json_object();
        rc = agent_plan_device_ok(ctx, &dev, spec->domain, err, sizeof(err));
        if (rc == 0) {
            rc = spec->prepare(ctx, &dev, args, entry, &risk, err, sizeof(err));
        }
        agent_device_release(&dev);
        if (rc != 0) {
            json_decref(entry);
            json_decref(devmap);
            json_decref(previews);
            agent_result(out, 1,
                         json_pack("{s:s, s:s}", "status", "refused",
                                   "device_id", json_string_value(idv)),
                         "No plan created: %s", err);
            return;
        }
        json_array_append_new(previews,
                              json_pack("{s:s, s:O}", "device_id",
                                        json_string_value(idv), "current",
                                        json_object_get(entry, "current")));
        json_object_set_new(devmap, json_string_value(idv), entry);
    }
    changes = json_pack("{s:s, s:s, s:O, s:o}", "domain",
                        agent_plan_domain_name(spec->domain), "operation",
                        spec->operation, "params", args, "devices", devmap);
    memset(&p, 0, sizeof(p));
    p.created_by = ctx->job->subject ? ctx->job->subject : "anonymous";
    p.tool_name = ctx->job->name;
    p.summary = spec->summary;
    p.risk_level = risk >= 2 ? "high" : "medium";
    p.changes = changes;
    p.device_ids = ids;
    p.batch_size =
        spec->batch_size > 0 ? spec->batch_size : (int)json_array_size(ids);
    p.pause_seconds = spec->pause_seconds;
    rc = agent_plan_create(ctx->pg, &p, id, hash, err, sizeof(err));
    json_decref(changes);
    if (rc != 0) {
        json_decref(previews);
        agent_fail(out, MCP_ERR_INTERNAL, "plan not stored: %s", err);
        return;
    }
    agent_plan_answer(ctx, args, out, id, hash, p.risk_level, previews,
                      spec);
}
