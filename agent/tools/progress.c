/*
 * progress.c: lets a handler report progress; records go to the job's
 * event stream only when the client asked for them (job.progress).
 */
#include "tool.h"
#include "../../shared/protocol/keys.h"
#include "../queue/events.h"

void
agent_progress(agent_ctx_t *ctx, double progress, double total,
               const char *message)
{
    json_t *o;

    if (!ctx->job->progress) {
        return;
    }
    o = json_pack("{s:f}", "progress", progress);
    if (o != NULL && total > 0) {
        json_object_set_new(o, "total", json_real(total));
    }
    if (o != NULL && message) {
        json_object_set_new(o, "message", json_string(message));
    }
    agent_events_emit_json(ctx->redis, ctx->job, MCP_EVENT_PROGRESS, o);
}
