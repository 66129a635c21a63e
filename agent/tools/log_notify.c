/*
 * log_notify.c: log records for the client, written to the job's event
 * stream as "log" records only when the client set a logging level.
 */
#include "log_notify.h"
#include "../../shared/protocol/keys.h"
#include "../queue/events.h"

#include <stdarg.h>
#include <stdio.h>

void
agent_log_notify(agent_ctx_t *ctx, const char *level, const char *logger,
                 const char *fmt, ...)
{
    va_list ap;
    char    text[512];

    if (ctx->job->log_level == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    agent_events_emit_json(ctx->redis, ctx->job, MCP_EVENT_LOG,
                           json_pack("{s:s, s:s, s:s}", "level", level,
                                     "logger", logger, "data", text));
}
