/*
 * writes_ip.c: add_secondary_ip_address and remove_secondary_ip_address
 * (upstream-catalog §1.6) with overlap and management-path protection.
 */
#include "menu.h"
#include "registry.h"
#include "write_guard.h"
#include "../routeros/cidr.h"
#include "../routeros/values.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* Fields that re-create a removed address on rollback. */
static const char *const agent_ip_restore[] = {
    "address", "interface", "comment", "disabled", NULL
};

/* The static address of iface in list overlapping want, or NULL. */
static const json_t *
agent_ip_overlapping(const json_t *list, const char *iface,
    const agent_cidr_t *want)
{
    const json_t *item;
    agent_cidr_t  have;
    size_t        i;
    int           dynamic;

    json_array_foreach(list, i, item) {
        const char *addr = agent_ros_field_str(item, "address");
        const char *name = agent_ros_field_str(item, "interface");

        if (agent_ros_bool(agent_ros_field_str(item, "dynamic"), &dynamic)
            != 0)
        {
            dynamic = 0;
        }
        if (!dynamic && name != NULL && strcmp(name, iface) == 0
            && agent_cidr_parse(addr, &have) == 0
            && agent_cidr_overlap(&have, want))
        {
            return item;
        }
    }
    return NULL;
}

static void
agent_tool_add_secondary_ip_address(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t       dev;
    agent_write_t        w = { 0 };
    agent_write_report_t rep;
    agent_cidr_t         want;
    const json_t        *clash;
    json_t              *before = NULL, *body = NULL, *expect = NULL;
    const char          *addr, *iface, *comment;

    addr = json_string_value(json_object_get(args, "address"));
    iface = json_string_value(json_object_get(args, "interface"));
    comment = json_string_value(json_object_get(args, "comment"));
    if (agent_cidr_parse(addr, &want) != 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "arguments.address must be "
                   "an address with prefix length, e.g. 10.10.10.1/24");
        return;
    }
    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    w.menu = want.family == AF_INET6 ? "/ipv6/address" : "/ip/address";
    if (agent_menu_read(ctx, &dev, w.menu, &before, out) != 0) {
        agent_device_release(&dev);
        return;
    }
    expect = json_pack("{s:s, s:s}", "address", addr, "interface", iface);
    body = json_deep_copy(expect);
    if (comment != NULL && comment[0] != '\0') {
        json_object_set_new(body, "comment", json_string(comment));
    }
    w.op = AGENT_WRITE_ADD;
    w.tier = ctx->tool->tier;
    w.body = body;
    w.expect = expect;
    w.before = before;
    w.params = args;
    w.dry_run = json_is_true(json_object_get(args, "dry_run"));
    clash = agent_ip_overlapping(before, iface, &want);
    if (clash != NULL) {
        agent_write_refuse(ctx, &dev, &w, &rep, "%s overlaps the static "
                           "address %s (%s) on %s of %s", addr,
                           agent_ros_field_str(clash, "address"),
                           agent_ros_field_str(clash, ".id"), iface, dev.id);
    } else if (agent_write_is_management(&dev, addr)) {
        agent_write_refuse(ctx, &dev, &w, &rep, "%s would put the management "
                           "address %s of %s into a new network on %s: the "
                           "service could lose the device", addr, dev.ip,
                           dev.id, iface);
    } else {
        agent_write_execute(ctx, &dev, &w, &rep);
    }
    agent_write_answer(&w, &rep,
                       json_pack("{s:s, s:o, s:s, s:s}", "device_id", dev.id,
                                 "address_id", rep.created_id[0]
                                 ? json_string(rep.created_id) : json_null(),
                                 "address", addr, "interface", iface),
                       out, "%s: %s %s on %s%s%s", dev.id,
                       w.dry_run ? "would add (dry run)" : "added", addr,
                       iface, rep.created_id[0] ? " as " : "",
                       rep.created_id);
    json_decref(body);
    json_decref(expect);
    json_decref(before);
    agent_device_release(&dev);
}

static const json_t *
agent_ip_find(const json_t *list, const char *id)
{
    const json_t *item;
    size_t        i;

    json_array_foreach(list, i, item) {
        const char *have = agent_ros_field_str(item, ".id");

        if (have != NULL && strcmp(have, id) == 0) {
            return item;
        }
    }
    return NULL;
}

static void
agent_tool_remove_secondary_ip_address(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t       dev;
    agent_write_t        w = { 0 };
    agent_write_report_t rep;
    const json_t        *item;
    json_t              *before = NULL;
    const char          *id, *addr = NULL;
    int                  dynamic = 0;

    id = json_string_value(json_object_get(args, "address_id"));
    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/address", &before, out) != 0) {
        agent_device_release(&dev);
        return;
    }
    w.op = AGENT_WRITE_REMOVE;
    w.tier = ctx->tool->tier;
    w.menu = "/ip/address";
    w.item_id = id;
    w.restore_keys = agent_ip_restore;
    w.before = before;
    w.params = args;
    w.dry_run = json_is_true(json_object_get(args, "dry_run"));
    item = agent_ip_find(before, id);
    if (item != NULL) {
        addr = agent_ros_field_str(item, "address");
        agent_ros_bool(agent_ros_field_str(item, "dynamic"), &dynamic);
    }
    if (item == NULL) {
        agent_write_refuse(ctx, &dev, &w, &rep, "%s has no IP address with "
                           "id %s (list_ip_addresses shows the ids)", dev.id,
                           id);
    } else if (addr != NULL && agent_write_is_management(&dev, addr)) {
        agent_write_refuse(ctx, &dev, &w, &rep, "%s (%s) holds the "
                           "management address %s the service uses to reach "
                           "%s: removal refused", addr, id, dev.ip, dev.id);
    } else if (dynamic) {
        agent_write_refuse(ctx, &dev, &w, &rep, "%s (%s) is dynamic, owned "
                           "by the service that created it: removal refused",
                           addr ? addr : "?", id);
    } else {
        agent_write_execute(ctx, &dev, &w, &rep);
    }
    agent_write_answer(&w, &rep,
                       json_pack("{s:s, s:s, s:s?}", "device_id", dev.id,
                                 "address_id", id, "address", addr),
                       out, "%s: %s %s (%s)", dev.id,
                       w.dry_run ? "would remove (dry run)" : "removed",
                       addr ? addr : "?", id);
    json_decref(before);
    agent_device_release(&dev);
}

const agent_tool_def_t agent_tools_writes_ip[] = {
    { "add_secondary_ip_address", agent_tool_add_secondary_ip_address },
    { "remove_secondary_ip_address", agent_tool_remove_secondary_ip_address },
    { NULL, NULL }
};
