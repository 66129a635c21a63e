/*
 * progress.c: lets a handler report progress; records go to the job's
 * event stream only when the client asked for them (job.progress).
 */
#include "tool.h"
#include "../../shared/protocol/keys.h"
#include "../core/log.h"
#include "../queue/events.h"

#include <stdlib.h>

void
agent_progress(agent_ctx_t *ctx, double progress, double total,
               const char *message)
{
    json_t *o;
    char   *data, err[256];

    if (!ctx->job->progress) {
        return;
    }
    o = json_pack("{s:f}", "progress", progress);
    if (o == NULL) {
        return;
    }
    if (total > 0) {
        json_object_set_new(o, "total", json_real(total));
    }
    if (message) {
        json_object_set_new(o, "message", json_string(message));
    }
    data = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (data &&
        agent_events_emit(ctx->redis, ctx->job->id, ctx->job->notify,
                          MCP_EVENT_PROGRESS, data, err, sizeof(err)) != 0) {
        agent_warn("job %s: progress record lost: %s", ctx->job->id, err);
    }
    free(data);
}
