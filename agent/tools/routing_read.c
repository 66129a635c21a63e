/*
 * routing_read.c: the read-only routing tools (upstream-catalog §1.8): the
 * route table with counts by kind, and one route by .id.
 */
#include "fields.h"
#include "menu.h"
#include "registry.h"

#include <stdio.h>
#include <string.h>

/* Route ids offered when get_route misses. */
#define AGENT_ROUTE_IDS_MAX 200

static const agent_field_t agent_route_fields[] = {
    { ".id", "id", AGENT_F_STR },
    { "dst-address", "dst_address", AGENT_F_STR },
    { "gateway", "gateway", AGENT_F_STR },
    { "immediate-gw", "immediate_gateway", AGENT_F_STR },
    { "distance", "distance", AGENT_F_INT },
    { "routing-table", "routing_table", AGENT_F_STR },
    { "scope", "scope", AGENT_F_INT },
    { "target-scope", "target_scope", AGENT_F_INT },
    { "active", "active", AGENT_F_FLAG },
    { "disabled", "disabled", AGENT_F_FLAG },
    { "dynamic", "dynamic", AGENT_F_FLAG },
    { "static", "static", AGENT_F_FLAG },
    { "connect", "connected", AGENT_F_FLAG },
    { "inactive", "inactive", AGENT_F_FLAG },
    { "comment", "comment", AGENT_F_STR },
    { NULL, NULL, AGENT_F_STR }
};

static const agent_field_t agent_route_id_fields[] = {
    { ".id", "id", AGENT_F_STR },
    { "dst-address", "dst_address", AGENT_F_STR },
    { "gateway", "gateway", AGENT_F_STR },
    { "comment", "comment", AGENT_F_STR },
    { NULL, NULL, AGENT_F_STR }
};

/* Counted kinds: connected (connect flag), else dynamic (learned: dynamic
 * flag), else static; also the output keys of the counts. */
static const char *const agent_route_kinds[] = {
    "connected_routes", "dynamic_routes", "static_routes"
};

static int
agent_route_kind(const json_t *route)
{
    if (json_is_true(json_object_get(route, "connected"))) {
        return 0;
    }
    return json_is_true(json_object_get(route, "dynamic")) ? 1 : 2;
}

static void
agent_tool_get_routing_summary(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    json_t        *reply = NULL, *list, *o, *r;
    json_int_t     counts[3] = { 0, 0, 0 };
    size_t         i;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/route", &reply, out) != 0) {
        goto done;
    }
    list = agent_fields_map_list(reply, agent_route_fields);
    json_array_foreach(list, i, r) {
        counts[agent_route_kind(r)]++;
    }
    o = agent_menu_bounded(dev.id, "routes", list,
                           agent_menu_limit(args, 200));
    json_object_set_new(o, "total_routes",
                        json_integer(counts[0] + counts[1] + counts[2]));
    for (i = 0; i < 3; i++) {
        json_object_set_new(o, agent_route_kinds[i], json_integer(counts[i]));
    }
    agent_result(out, 0, o, "%s: %lld routes (%lld static, %lld connected, "
                 "%lld dynamic)%s", dev.id,
                 (long long) (counts[0] + counts[1] + counts[2]),
                 (long long) counts[2], (long long) counts[0],
                 (long long) counts[1],
                 json_is_true(json_object_get(o, "truncated"))
                     ? "; route list truncated" : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

/* get_route's miss: found=false with the ids that do exist. */
static void
agent_route_missing(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *id, agent_outcome_t *out)
{
    json_t *reply = NULL, *o;

    if (agent_menu_read(ctx, dev, "/ip/route", &reply, out) != 0) {
        return;
    }
    o = agent_menu_bounded(dev->id, "available_routes",
                           agent_fields_map_list(reply, agent_route_id_fields),
                           AGENT_ROUTE_IDS_MAX);
    json_object_set_new(o, "found", json_false());
    json_object_set_new(o, "route_id", json_string(id));
    json_object_set_new(o, "route", json_null());
    agent_result(out, 0, o, "%s: no route %s; %zu routes exist (see "
                 "available_routes)", dev->id, id, json_array_size(reply));
    json_decref(reply);
}

static void
agent_tool_get_route(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t dev;
    agent_read_t   rd;
    json_t        *reply = NULL, *r;
    const char    *id = json_string_value(json_object_get(args, "route_id"));
    char           path[128];

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    snprintf(path, sizeof(path), "/ip/route/%s", id);
    if (agent_device_read(ctx, &dev, path, &reply, &rd) != 0) {
        if (agent_menu_item_absent(&rd)) {
            agent_route_missing(ctx, &dev, id, out);
        } else {
            agent_menu_read_failed(out, &dev, path, &rd);
        }
        goto done;
    }
    r = agent_fields_map(reply, agent_route_fields);
    agent_result(out, 0, json_pack("{s:s, s:b, s:s, s:o, s:s}", "device_id",
                                   dev.id, "found", 1, "route_id", id,
                                   "route", r, "transport", rd.transport),
                 "%s: route %s %s via %s, distance %s%s%s", dev.id, id,
                 agent_fields_str(r, "dst_address", "?"),
                 agent_fields_str(r, "gateway", "?"),
                 agent_fields_str(reply, "distance", "?"),
                 json_is_true(json_object_get(r, "active")) ? ", active" : "",
                 json_is_true(json_object_get(r, "disabled")) ? ", disabled"
                                                              : "");
done:
    agent_device_release(&dev);
    json_decref(reply);
}

const agent_tool_def_t agent_tools_routing_read[] = {
    { "get_routing_summary", agent_tool_get_routing_summary },
    { "get_route", agent_tool_get_route },
    { NULL, NULL }
};
