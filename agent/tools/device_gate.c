/*
 * device_gate.c: the common first step of device tools: find the device,
 * decrypt its credential, and apply the environment and tier gates.
 */
#include "tool.h"
#include "../core/log.h"

#include <stdio.h>
#include <string.h>

int
agent_tool_device(agent_ctx_t *ctx, const json_t *args, agent_device_t *dev,
                  agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "device_id"));
    char        err[512];
    int         rc;

    if (id == NULL) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "arguments.device_id is "
                   "required");
        return -1;
    }
    snprintf(ctx->device_id, sizeof(ctx->device_id), "%s", id);
    rc = agent_device_load(ctx->pg, ctx->cfg, id, 1, dev, err, sizeof(err));
    if (rc < 0) {
        agent_error("job %s: loading device %s: %s", ctx->job->id, id, err);
        agent_fail(out, MCP_ERR_INTERNAL, "cannot load device %s: %s", id, err);
        return -1;
    }
    if (rc == 1) {
        agent_fail(out, MCP_ERR_DEVICE_NOT_FOUND,
                   "device not found: %s is "
                   "not registered (list_devices shows the registered ids)",
                   id);
        return -1;
    }
    if (strcmp(dev->environment, ctx->cfg->environment) != 0) {
        agent_fail(out, MCP_ERR_FORBIDDEN,
                   "device %s is in environment %s, "
                   "this service runs in %s",
                   id, dev->environment, ctx->cfg->environment);
    } else if (ctx->tool->tier == MCP_TIER_ADVANCED &&
               !dev->allow_advanced_writes) {
        agent_fail(out, MCP_ERR_FORBIDDEN,
                   "device %s does not allow "
                   "advanced-tier tools (allow_advanced_writes is off)",
                   id);
    } else if (ctx->tool->tier == MCP_TIER_PROFESSIONAL &&
               !dev->allow_professional_workflows) {
        agent_fail(out, MCP_ERR_FORBIDDEN,
                   "device %s does not allow "
                   "professional-tier tools (allow_professional_workflows is "
                   "off)",
                   id);
    } else {
        return 0;
    }
    agent_device_release(dev);
    return -1;
}
