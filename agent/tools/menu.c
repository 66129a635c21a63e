/*
 * menu.c: the shared read path of the read tools: one device read (REST or
 * SSH) with a clear failure result, and list bounding that reports
 * truncation.
 */
#include "menu.h"

#include <stdio.h>
#include <string.h>

void
agent_menu_read_failed(agent_outcome_t *out, const agent_device_t *dev,
    const char *path, const agent_read_t *r)
{
    json_t *meta;

    agent_result(out, 1, NULL, "Cannot read %s on %s (%s): %s", path, dev->id,
                 agent_read_reason(r), agent_read_message(r));
    meta = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:b}", "device_id",
                     dev->id, "menu", path, "failure_reason",
                     agent_read_reason(r), "error", agent_read_message(r),
                     "status_code", r->rest.http_status, "transport",
                     r->transport, "fallback_used", r->fallback_used);
    if (meta != NULL && r->rest_tried && r->rest.code != AGENT_REST_OK) {
        json_object_set_new(meta, "rest_error",
                            json_string(r->rest.message));
    }
    if (meta != NULL && r->ssh_tried) {
        json_object_set_new(meta, "ssh_error", json_string(r->ssh.message));
    }
    agent_result_meta(out, meta);
}

int
agent_menu_read(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_outcome_t *out)
{
    agent_read_t r;

    if (agent_device_read(ctx, dev, path, reply, &r) == 0) {
        return 0;
    }
    agent_menu_read_failed(out, dev, path, &r);
    return -1;
}

int
agent_menu_item_absent(const agent_read_t *r)
{
    if (strcmp(r->transport, "ssh") == 0) {
        return r->ssh.code == AGENT_SSH_COMMAND
               && strncmp(r->ssh.message, "no such item", 12) == 0;
    }
    return r->rest.code == AGENT_REST_NOT_FOUND;
}

/* The device has no such menu: its package is not installed. */
static int
agent_menu_absent(const agent_read_t *r)
{
    if (strcmp(r->transport, "ssh") == 0) {
        return r->ssh.code == AGENT_SSH_COMMAND
               && strstr(r->ssh.message, "bad command name") != NULL;
    }
    return r->rest.code == AGENT_REST_CLIENT && r->rest.http_status == 400
           && strstr(r->rest.message, "no such command") != NULL;
}

int
agent_menu_try(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_outcome_t *out, char *why,
    size_t len)
{
    agent_read_t r;

    if (agent_device_read(ctx, dev, path, reply, &r) == 0) {
        return 0;
    }
    if (agent_menu_absent(&r)) {
        snprintf(why, len, "%s", agent_read_message(&r));
        return 1;
    }
    agent_menu_read_failed(out, dev, path, &r);
    return -1;
}

json_t *
agent_menu_bounded(const char *device_id, const char *key, json_t *list,
    long limit)
{
    size_t total;

    if (!json_is_array(list)) {
        json_decref(list);
        list = json_array();
    }
    total = json_array_size(list);
    while (limit >= 0 && json_array_size(list) > (size_t) limit) {
        json_array_remove(list, json_array_size(list) - 1);
    }
    return json_pack("{s:s, s:o, s:I, s:I, s:b, s:s}", "device_id", device_id,
                     key, list, "total_count", (json_int_t) total,
                     "returned_count",
                     (json_int_t) json_array_size(list), "truncated",
                     json_array_size(list) < total, "transport", "rest");
}

long
agent_menu_limit(const json_t *args, long fallback)
{
    const json_t *v = json_object_get(args, "limit");

    return json_is_integer(v) ? (long) json_integer_value(v) : fallback;
}
