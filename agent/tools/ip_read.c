/*
 * ip_read.c: the read-only IP addressing tools (upstream-catalog §1.6):
 * addresses, one address, the ARP table.
 */
#include "fields.h"
#include "menu.h"
#include "registry.h"

#include <stdio.h>
#include <string.h>

static const agent_field_t agent_address_fields[] = {
    { ".id", "id", AGENT_F_STR },
    { "address", "address", AGENT_F_STR },
    { "network", "network", AGENT_F_STR },
    { "interface", "interface", AGENT_F_STR },
    { "actual-interface", "actual_interface", AGENT_F_STR },
    { "disabled", "disabled", AGENT_F_FLAG },
    { "dynamic", "dynamic", AGENT_F_FLAG },
    { "invalid", "invalid", AGENT_F_FLAG },
    { "comment", "comment", AGENT_F_STR },
    { NULL, NULL, AGENT_F_STR }
};

static const agent_field_t agent_arp_fields[] = {
    { ".id", "id", AGENT_F_STR },
    { "address", "address", AGENT_F_STR },
    { "mac-address", "mac_address", AGENT_F_STR },
    { "interface", "interface", AGENT_F_STR },
    { "status", "status", AGENT_F_STR },
    { "dynamic", "dynamic", AGENT_F_FLAG },
    { "DHCP", "dhcp", AGENT_F_FLAG },
    { "complete", "complete", AGENT_F_FLAG },
    { "published", "published", AGENT_F_FLAG },
    { "disabled", "disabled", AGENT_F_FLAG },
    { "invalid", "invalid", AGENT_F_FLAG },
    { "comment", "comment", AGENT_F_STR },
    { NULL, NULL, AGENT_F_STR }
};

/* "a/24 on ether1, b/30 on ether2, …" into buf, at most what fits. */
static void
agent_addresses_text(const json_t *list, char *buf, size_t len)
{
    const json_t *a;
    size_t        i, n = 0;

    buf[0] = '\0';
    json_array_foreach(list, i, a) {
        if (n + 1 >= len) {
            break;
        }
        n += snprintf(buf + n, len - n, "%s%s on %s", i ? ", " : "",
                      agent_fields_str(a, "address", "?"),
                      agent_fields_str(a, "interface", "?"));
    }
}

static void
agent_tool_list_ip_addresses(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *o;
    char           text[512];

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/address", &reply, out) != 0) {
        goto done;
    }
    o = agent_menu_bounded(dev.id, "addresses",
                           agent_fields_map_list(reply, agent_address_fields),
                           agent_menu_limit(args, 200));
    agent_addresses_text(json_object_get(o, "addresses"), text, sizeof(text));
    agent_result(out, 0, o, "%s: %zu IP address%s: %s%s", dev.id,
                 json_array_size(reply),
                 json_array_size(reply) == 1 ? "" : "es", text,
                 json_is_true(json_object_get(o, "truncated"))
                     ? " (list truncated)" : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

static void
agent_tool_get_ip_address(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *a;
    const char    *id = json_string_value(json_object_get(args, "address_id"));
    char           path[128];

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    snprintf(path, sizeof(path), "/ip/address/%s", id);
    if (agent_menu_read(ctx, &dev, path, &reply, out) != 0) {
        goto done;
    }
    a = agent_fields_map(reply, agent_address_fields);
    agent_result(out, 0, json_pack("{s:s, s:o, s:s}", "device_id", dev.id,
                                   "address", a, "transport", "rest"),
                 "%s: %s on %s (%s)%s%s", dev.id,
                 agent_fields_str(a, "address", "?"),
                 agent_fields_str(a, "interface", "?"), id,
                 json_is_true(json_object_get(a, "disabled")) ? ", disabled"
                                                              : "",
                 json_is_true(json_object_get(a, "dynamic")) ? ", dynamic"
                                                             : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

static void
agent_tool_get_arp_table(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *o, *list, *e;
    long           reachable = 0;
    size_t         i;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/arp", &reply, out) != 0) {
        goto done;
    }
    list = agent_fields_map_list(reply, agent_arp_fields);
    json_array_foreach(list, i, e) {
        reachable += strcmp(agent_fields_str(e, "status", ""), "reachable")
                     == 0;
    }
    o = agent_menu_bounded(dev.id, "entries", list,
                           agent_menu_limit(args, 200));
    agent_result(out, 0, o, "%s: %zu ARP entr%s, %ld reachable%s", dev.id,
                 json_array_size(reply),
                 json_array_size(reply) == 1 ? "y" : "ies", reachable,
                 json_is_true(json_object_get(o, "truncated"))
                     ? " (list truncated)" : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

const agent_tool_def_t agent_tools_ip_read[] = {
    { "list_ip_addresses", agent_tool_list_ip_addresses },
    { "get_ip_address", agent_tool_get_ip_address },
    { "get_arp_table", agent_tool_get_arp_table },
    { NULL, NULL }
};
