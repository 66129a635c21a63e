/*
 * writes_firewall.c: update_firewall_address_list (upstream-catalog §1.10):
 * add or remove one entry of an mcp- address list through the write guard.
 */
#include "menu.h"
#include "registry.h"
#include "write_guard.h"
#include "../routeros/cidr.h"
#include "../routeros/values.h"

#include <string.h>

#define AGENT_MCP_LIST_PREFIX "mcp-"

/* Fields that re-create a removed entry on rollback. */
static const char *const agent_list_restore[] = {
    "list", "address", "comment", "timeout", "disabled", NULL
};

/* RouterOS stores 10.0.0.1/32 as 10.0.0.1 and 10.0.0.9/24 as 10.0.0.0/24:
 * equal when both name the same network. */
static int
agent_list_same_address(const char *have, const char *want)
{
    agent_cidr_t a, b;

    if (agent_cidr_parse(have, &a) != 0 || agent_cidr_parse(want, &b) != 0) {
        return have != NULL && strcmp(have, want) == 0;
    }
    return a.prefix == b.prefix && agent_cidr_contains(&a, &b);
}

static const json_t *
agent_list_find(const json_t *entries, const char *list, const char *addr)
{
    const json_t *item;
    size_t        i;

    json_array_foreach(entries, i, item) {
        const char *l = agent_ros_field_str(item, "list");

        if (l != NULL && strcmp(l, list) == 0
            && agent_list_same_address(agent_ros_field_str(item, "address"),
                                       addr))
        {
            return item;
        }
    }
    return NULL;
}

static void
agent_tool_update_firewall_address_list(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t       dev;
    agent_write_t        w = { 0 };
    agent_write_report_t rep;
    agent_cidr_t         parsed;
    const json_t        *entry;
    json_t              *before = NULL, *body = NULL, *expect = NULL;
    const char          *list, *addr, *action, *comment, *timeout;
    const char          *entry_id = NULL;
    int                  adding;

    list = json_string_value(json_object_get(args, "list_name"));
    addr = json_string_value(json_object_get(args, "address"));
    action = json_string_value(json_object_get(args, "action"));
    comment = json_string_value(json_object_get(args, "comment"));
    timeout = json_string_value(json_object_get(args, "timeout"));
    adding = action == NULL || strcmp(action, "add") == 0;
    if (list == NULL || strncmp(list, AGENT_MCP_LIST_PREFIX,
                                strlen(AGENT_MCP_LIST_PREFIX)) != 0)
    {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "arguments.list_name must "
                   "start with " AGENT_MCP_LIST_PREFIX " (only MCP-owned "
                   "address lists are written)");
        return;
    }
    if (adding && agent_cidr_parse(addr, &parsed) != 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "arguments.address must be "
                   "an IP address or prefix, e.g. 192.0.2.7 or 192.0.2.0/24");
        return;
    }
    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    w.menu = "/ip/firewall/address-list";
    if (agent_menu_read(ctx, &dev, w.menu, &before, out) != 0) {
        agent_device_release(&dev);
        return;
    }
    entry = agent_list_find(before, list, addr);
    entry_id = entry ? agent_ros_field_str(entry, ".id") : NULL;
    w.tier = ctx->tool->tier;
    w.before = before;
    w.params = args;
    w.dry_run = json_is_true(json_object_get(args, "dry_run"));
    if (adding) {
        body = json_pack("{s:s, s:s}", "list", list, "address", addr);
        if (comment != NULL && comment[0] != '\0') {
            json_object_set_new(body, "comment", json_string(comment));
        }
        if (timeout != NULL && timeout[0] != '\0') {
            json_object_set_new(body, "timeout", json_string(timeout));
        }
        expect = json_pack("{s:s}", "list", list);
        w.op = AGENT_WRITE_ADD;
        w.body = body;
        w.expect = expect;
    } else {
        w.op = AGENT_WRITE_REMOVE;
        w.item_id = entry_id;
        w.restore_keys = agent_list_restore;
    }
    w.unchanged = adding ? entry != NULL : entry == NULL;
    if (adding && entry == NULL && agent_write_is_management(&dev, addr)) {
        /* An mcp- list may feed a drop rule: never let it match the address
         * the service manages the device through. */
        agent_write_refuse(ctx, &dev, &w, &rep, "%s holds the management "
                           "address %s of %s: it is never put into an "
                           "address list", addr, dev.ip, dev.id);
    } else {
        agent_write_execute(ctx, &dev, &w, &rep);
    }
    if (adding && rep.created_id[0] != '\0') {
        entry_id = rep.created_id;
    }
    agent_write_answer(&w, &rep,
                       json_pack("{s:s, s:s, s:s, s:s, s:s?}", "device_id",
                                 dev.id, "list_name", list, "address", addr,
                                 "action", adding ? "add" : "remove",
                                 "entry_id", entry_id),
                       out, "%s: %s %s %s%s", dev.id, addr,
                       w.unchanged ? (adding ? "already in" : "not in")
                       : w.dry_run ? (adding ? "would be added to (dry run)"
                                     : "would be removed from (dry run)")
                       : adding ? "added to" : "removed from", list,
                       w.unchanged ? " (no change)" : "");
    json_decref(body);
    json_decref(expect);
    json_decref(before);
    agent_device_release(&dev);
}

const agent_tool_def_t agent_tools_writes_firewall[] = {
    { "update_firewall_address_list",
      agent_tool_update_firewall_address_list },
    { NULL, NULL }
};
