/*
 * menu.c: the shared read path of the read tools: one device read (REST or
 * SSH) with a clear failure result, and list bounding that reports
 * truncation.
 */
#include "menu.h"

#include "device_read.h"

int
agent_menu_read(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_outcome_t *out)
{
    agent_read_t r;
    json_t      *meta;

    if (agent_device_read(ctx, dev, path, reply, &r) == 0) {
        return 0;
    }
    agent_result(out, 1, NULL, "Cannot read %s on %s (%s): %s", path, dev->id,
                 agent_read_reason(&r), agent_read_message(&r));
    meta = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:b}", "device_id",
                     dev->id, "menu", path, "failure_reason",
                     agent_read_reason(&r), "error", agent_read_message(&r),
                     "status_code", r.rest.http_status, "transport",
                     r.transport, "fallback_used", r.fallback_used);
    if (meta != NULL && r.rest_tried && r.rest.code != AGENT_REST_OK) {
        json_object_set_new(meta, "rest_error",
                            json_string(r.rest.message));
    }
    if (meta != NULL && r.ssh_tried) {
        json_object_set_new(meta, "ssh_error", json_string(r.ssh.message));
    }
    agent_result_meta(out, meta);
    return -1;
}

void
agent_menu_rest_failed(agent_outcome_t *out, const agent_device_t *dev,
    const char *path, const agent_rest_err_t *rerr)
{
    agent_result(out, 1, NULL, "Cannot read %s on %s (%s): %s", path, dev->id,
                 agent_rest_reason(rerr->code), rerr->message);
    agent_result_meta(out, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}",
                                     "device_id", dev->id, "menu", path,
                                     "failure_reason",
                                     agent_rest_reason(rerr->code), "error",
                                     rerr->message, "status_code",
                                     rerr->http_status, "transport", "rest"));
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
