/*
 * audit.h: one TOOL_CALL audit event per tool call (who, which tool, which
 * device, redacted arguments, outcome), through agent/db/audit.h.
 */
#ifndef AGENT_TOOLS_AUDIT_H
#define AGENT_TOOLS_AUDIT_H

#include "tool.h"

/* Appends the event; failures are logged, never fatal to the call. */
void agent_audit_tool(agent_ctx_t *ctx, const char *tool_name,
                      const agent_outcome_t *out);

#endif
