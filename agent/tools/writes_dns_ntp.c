/*
 * writes_dns_ntp.c: update_dns_servers, flush_dns_cache and
 * update_ntp_servers (upstream-catalog §1.7) through the write guard.
 */
#include "menu.h"
#include "registry.h"
#include "write_guard.h"
#include "../routeros/values.h"

#include <stdlib.h>
#include <string.h>

/* "a,b,c" → ["a","b","c"] (empty string → []). */
static json_t *
agent_servers_split(const char *s)
{
    json_t     *list = json_array();
    const char *p = s ? s : "";

    while (*p != '\0') {
        const char *comma = strchr(p, ',');

        if (comma == NULL) {
            comma = p + strlen(p);
        }
        if (comma > p) {
            json_array_append_new(list, json_stringn(p, comma - p));
        }
        p = *comma ? comma + 1 : comma;
    }
    return list;
}

/* ["a","b"] → "a,b" (malloc'd). */
static char *
agent_servers_join(const json_t *list)
{
    const json_t *v;
    size_t        i, len = 1;
    char         *s;

    json_array_foreach(list, i, v) {
        len += strlen(json_string_value(v)) + 1;
    }
    s = calloc(1, len);
    if (s == NULL) {
        return NULL;
    }
    json_array_foreach(list, i, v) {
        if (i > 0) {
            strcat(s, ",");
        }
        strcat(s, json_string_value(v));
    }
    return s;
}

/* 1 when both arrays hold the same strings (order ignored). */
static int
agent_servers_same(const json_t *a, const json_t *b)
{
    const json_t *x, *y;
    size_t        i, j;

    if (json_array_size(a) != json_array_size(b)) {
        return 0;
    }
    json_array_foreach(a, i, x) {
        int found = 0;

        json_array_foreach(b, j, y) {
            found = found || json_equal(x, y);
        }
        if (!found) {
            return 0;
        }
    }
    return 1;
}

static void
agent_tool_update_dns_servers(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t       dev;
    agent_write_t        w = { 0 };
    agent_write_report_t rep;
    const json_t        *want = json_object_get(args, "dns_servers");
    json_t              *before = NULL, *old, *body;
    char                *joined;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/dns", &before, out) != 0) {
        agent_device_release(&dev);
        return;
    }
    old = agent_servers_split(agent_ros_field_str(before, "servers"));
    joined = agent_servers_join(want);
    body = json_pack("{s:s}", "servers", joined ? joined : "");
    w.op = AGENT_WRITE_SET;
    w.tier = ctx->tool->tier;
    w.menu = "/ip/dns";
    w.body = body;
    w.before = before;
    w.params = args;
    w.dry_run = json_is_true(json_object_get(args, "dry_run"));
    w.unchanged = agent_servers_same(old, want);
    agent_write_execute(ctx, &dev, &w, &rep);
    agent_write_answer(&w, &rep,
                       json_pack("{s:s, s:O, s:O}", "device_id", dev.id,
                                 "old_servers", old, "new_servers", want),
                       out, "%s: DNS servers %s %s", dev.id,
                       w.unchanged ? "already" : w.dry_run
                       ? "would become (dry run)" : "now",
                       joined ? joined : "");
    free(joined);
    json_decref(body);
    json_decref(old);
    json_decref(before);
    agent_device_release(&dev);
}

static void
agent_tool_flush_dns_cache(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t       dev;
    agent_write_t        w = { 0 };
    agent_write_report_t rep;
    json_t              *before = NULL, *body = json_object();
    size_t               n;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        json_decref(body);
        return;
    }
    if (agent_menu_read(ctx, &dev, "/ip/dns/cache", &before, out) != 0) {
        json_decref(body);
        agent_device_release(&dev);
        return;
    }
    n = json_array_size(before);
    w.op = AGENT_WRITE_COMMAND;
    w.tier = ctx->tool->tier;
    w.menu = "/ip/dns/cache";
    w.command = "/ip/dns/cache/flush";
    w.body = body;
    w.before = before;
    w.params = args;
    agent_write_execute(ctx, &dev, &w, &rep);
    agent_write_answer(&w, &rep,
                       json_pack("{s:s, s:I}", "device_id", dev.id,
                                 "entries_flushed",
                                 (json_int_t) (rep.applied ? n : 0)),
                       out, "%s: DNS cache flushed (%zu entries)", dev.id, n);
    json_decref(body);
    json_decref(before);
    agent_device_release(&dev);
}

static void
agent_tool_update_ntp_servers(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out)
{
    agent_device_t       dev;
    agent_write_t        w = { 0 };
    agent_write_report_t rep;
    const json_t        *want = json_object_get(args, "ntp_servers");
    json_t              *before = NULL, *old, *body;
    char                *joined;
    int                  enabled, was = 0;

    enabled = !json_is_false(json_object_get(args, "enabled"));
    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    if (agent_menu_read(ctx, &dev, "/system/ntp/client", &before, out) != 0) {
        agent_device_release(&dev);
        return;
    }
    old = agent_servers_split(agent_ros_field_str(before, "servers"));
    agent_ros_bool(agent_ros_field_str(before, "enabled"), &was);
    joined = agent_servers_join(want);
    body = json_pack("{s:s, s:s}", "servers", joined ? joined : "",
                     "enabled", enabled ? "true" : "false");
    w.op = AGENT_WRITE_SET;
    w.tier = ctx->tool->tier;
    w.menu = "/system/ntp/client";
    w.body = body;
    w.before = before;
    w.params = args;
    w.dry_run = json_is_true(json_object_get(args, "dry_run"));
    w.unchanged = agent_servers_same(old, want) && was == enabled;
    agent_write_execute(ctx, &dev, &w, &rep);
    agent_write_answer(&w, &rep,
                       json_pack("{s:s, s:O, s:O, s:b}", "device_id", dev.id,
                                 "old_servers", old, "new_servers", want,
                                 "enabled", enabled),
                       out, "%s: NTP client %s %s, %s", dev.id,
                       w.unchanged ? "already" : w.dry_run
                       ? "would become (dry run)" : "now", joined ? joined
                       : "", enabled ? "enabled" : "disabled");
    free(joined);
    json_decref(body);
    json_decref(old);
    json_decref(before);
    agent_device_release(&dev);
}

const agent_tool_def_t agent_tools_writes_dns_ntp[] = {
    { "update_dns_servers", agent_tool_update_dns_servers },
    { "flush_dns_cache", agent_tool_flush_dns_cache },
    { "update_ntp_servers", agent_tool_update_ntp_servers },
    { NULL, NULL }
};
