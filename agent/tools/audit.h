/*
 * audit.h: one audit_events row per tool call (who, which tool, which
 * device, outcome); never arguments that could hold a secret.
 */
#ifndef AGENT_TOOLS_AUDIT_H
#define AGENT_TOOLS_AUDIT_H

#include "tool.h"

/* Writes the row; failures are logged, never fatal to the call. */
void agent_audit_tool(agent_ctx_t *ctx, const char *tool_name,
                      const agent_outcome_t *out);

#endif
