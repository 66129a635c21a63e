/*
 * changed.c: the resources a writing tool call changed, published to their
 * subscribers (agent/queue/updates.c); failures are only logged.
 */
#include "changed.h"
#include "../core/log.h"
#include "../queue/updates.h"

#include <stdio.h>
#include <string.h>

static void
agent_changed_publish(agent_ctx_t *ctx, const char *fmt, const char *id,
                      const char *part)
{
    char uri[256], err[256];

    if (id == NULL || id[0] == '\0'
        || snprintf(uri, sizeof(uri), fmt, id, part) >= (int) sizeof(uri)) {
        return;
    }
    if (agent_resource_updated(ctx->redis, uri, err, sizeof(err)) < 0) {
        agent_warn("job %s: update of %s not published: %s", ctx->job->id,
                   uri, err);
    }
}

static void
agent_changed_device(agent_ctx_t *ctx, const char *id)
{
    agent_changed_publish(ctx, "device://%s/%s", id, "overview");
    agent_changed_publish(ctx, "device://%s/%s", id, "config");
}

void
agent_resources_changed(agent_ctx_t *ctx, const agent_outcome_t *out)
{
    json_t     *sc, *plan, *devices, *d;
    size_t      i;
    const char *id;

    if (out->result == NULL || ctx->tool == NULL
        || ctx->tool->writes == MCP_WRITES_NO) {
        return;
    }
    sc = json_object_get(out->result, "structuredContent");
    plan = json_object_get(sc, "plan_id");
    if (!json_is_string(plan)) {
        plan = json_object_get(ctx->job->arguments, "plan_id");
    }
    if (json_is_string(plan)) {
        agent_changed_publish(ctx, "plan://%s/%s", json_string_value(plan),
                              "details");
        agent_changed_publish(ctx, "plan://%s/%s", json_string_value(plan),
                              "history");
    }
    if (ctx->tool->writes != MCP_WRITES_DEV) {
        return;
    }
    agent_changed_device(ctx, ctx->device_id);
    devices = json_object_get(sc, "devices");
    json_array_foreach(devices, i, d)
    {
        id = json_is_string(d) ? json_string_value(d)
                               : json_string_value(
                                     json_object_get(d, "device_id"));
        if (id != NULL && strcmp(id, ctx->device_id) != 0) {
            agent_changed_device(ctx, id);
        }
    }
}
