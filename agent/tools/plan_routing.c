/*
 * plan_routing.c: plan_add/modify/remove_static_route (upstream §1.8): the
 * route as each device holds it now, the write to make, the risk.
 */
#include "../plans/build.h"
#include "../routeros/cidr.h"
#include "../routeros/values.h"
#include "write_guard.h"

#include <stdio.h>
#include <string.h>

static const char *const route_restore[] = {
    "dst-address", "gateway", "distance", "comment", "disabled", NULL
};

static json_t *
route_restore_keys(void)
{
    const char *const *k;
    json_t            *a = json_array();

    for (k = route_restore; *k != NULL; k++) {
        json_array_append_new(a, json_string(*k));
    }
    return a;
}

static int
route_add_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
    const json_t *args, json_t *entry, int *risk, char *err, size_t errlen)
{
    const char *dst = json_string_value(json_object_get(args, "dst_address"));
    const char *cmt = json_string_value(json_object_get(args, "comment"));
    json_t     *routes, *same = json_array(), *body;
    const json_t *r;
    size_t      i;

    if (agent_plan_read(ctx, dev, "/ip/route", &routes, err, errlen) != 0) {
        json_decref(same);
        return -1;
    }
    json_array_foreach(routes, i, r) {
        const char *d = agent_ros_field_str(r, "dst-address");
        if (d != NULL && strcmp(d, dst) == 0) {
            json_array_append(same, (json_t *) r);
        }
    }
    json_decref(routes);
    json_object_set_new(entry, "current", json_pack("{s:o}",
                        "routes_with_same_dst", same));
    if (agent_write_is_management(dev, dst)) {
        *risk = 2;
    }
    body = json_pack("{s:s, s:s}", "dst-address", dst, "gateway",
                     json_string_value(json_object_get(args, "gateway")));
    if (cmt != NULL && cmt[0] != '\0') {
        json_object_set_new(body, "comment", json_string(cmt));
    }
    agent_plan_write(entry, "/ip/route", "add", NULL, body);
    return 0;
}

/* The route args.route_id as the device holds it now into entry.current. */
static int
route_current(agent_ctx_t *ctx, const agent_device_t *dev,
    const json_t *args, json_t *entry, char *err, size_t errlen)
{
    const char *id = json_string_value(json_object_get(args, "route_id"));
    char        path[128];
    json_t     *route;

    snprintf(path, sizeof(path), "/ip/route/%s", id);
    if (agent_plan_read(ctx, dev, path, &route, err, errlen) != 0) {
        return -1;
    }
    if (agent_ros_field_str(route, "static") != NULL
        && strcmp(agent_ros_field_str(route, "static"), "true") != 0)
    {
        snprintf(err, errlen, "route %s on %s is not static", id, dev->id);
        json_decref(route);
        return -1;
    }
    json_object_set_new(entry, "current", route);
    return 0;
}

static int
route_modify_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
    const json_t *args, json_t *entry, int *risk, char *err, size_t errlen)
{
    static const char *map[][2] = { { "dst_address", "dst-address" },
                                    { "gateway", "gateway" },
                                    { "comment", "comment" } };
    json_t *body = json_object();
    size_t  i;

    (void) risk;
    if (route_current(ctx, dev, args, entry, err, errlen) != 0) {
        json_decref(body);
        return -1;
    }
    for (i = 0; i < 3; i++) {
        const json_t *v = json_object_get(args, map[i][0]);
        if (v != NULL) {
            json_object_set(body, map[i][1], (json_t *) v);
        }
    }
    agent_plan_write(entry, "/ip/route", "set",
                     json_string_value(json_object_get(args, "route_id")),
                     body);
    return 0;
}

static int
route_remove_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
    const json_t *args, json_t *entry, int *risk, char *err, size_t errlen)
{
    json_t *w;

    (void) risk;
    if (route_current(ctx, dev, args, entry, err, errlen) != 0) {
        return -1;
    }
    w = agent_plan_write(entry, "/ip/route", "remove",
                         json_string_value(json_object_get(args, "route_id")),
                         NULL);
    json_object_set_new(w, "restore", route_restore_keys());
    return 0;
}

static int
route_is_default(const char *dst)
{
    return strcmp(dst, "0.0.0.0/0") == 0 || strcmp(dst, "::/0") == 0;
}

static void
plan_add_static_route(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_ROUTING, "add_static_route", "add a static route", 1, 0, 0,
        route_add_prepare };
    const char *dst = json_string_value(json_object_get(args, "dst_address"));

    if (route_is_default(dst)) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "dst_address: default routes "
                   "(%s) cannot be planned", dst);
        return;
    }
    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_modify_static_route(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_ROUTING, "modify_static_route", "modify a static route", 2,
        0, 0, route_modify_prepare };
    const char *dst = json_string_value(json_object_get(args, "dst_address"));

    if (!json_object_get(args, "dst_address")
        && !json_object_get(args, "gateway")
        && !json_object_get(args, "comment"))
    {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "dst_address, gateway or "
                   "comment: at least one change is required");
        return;
    }
    if (dst != NULL && route_is_default(dst)) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "dst_address: default routes "
                   "(%s) cannot be planned", dst);
        return;
    }
    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_remove_static_route(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_ROUTING, "remove_static_route", "remove a static route", 2,
        0, 0, route_remove_prepare };

    agent_plan_build(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_plan_routing[] = {
    { "plan_add_static_route", plan_add_static_route },
    { "plan_modify_static_route", plan_modify_static_route },
    { "plan_remove_static_route", plan_remove_static_route },
    { NULL, NULL }
};
