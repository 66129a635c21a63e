/*
 * log_notify.h: lets a handler send a log record to the client (MCP
 * notifications/message) when the client asked for logging (job.log_level).
 */
#ifndef AGENT_TOOLS_LOG_NOTIFY_H
#define AGENT_TOOLS_LOG_NOTIFY_H

#include "tool.h"

/*
 * level is an RFC 5424 name ("debug" … "emergency"); logger names the
 * source (the tool). The module forwards records at or above the client's
 * level. The text goes to the client: never put a secret in it.
 */
void agent_log_notify(agent_ctx_t *ctx, const char *level, const char *logger,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
