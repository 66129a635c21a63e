/*
 * changed.h: after a tool call that wrote, tells the subscribers of the
 * resources it changed (the plan's details and history, the devices').
 */
#ifndef AGENT_TOOLS_CHANGED_H
#define AGENT_TOOLS_CHANGED_H

#include "tool.h"

/*
 * For a tool that writes (catalog "writes": db or dev) and answered with a
 * result: publishes plan://<plan_id>/details and /history when the call
 * names a plan (result or arguments), and device://<id>/overview and
 * /config for every device a device write touched.
 */
void agent_resources_changed(agent_ctx_t *ctx, const agent_outcome_t *out);

#endif
