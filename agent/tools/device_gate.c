/*
 * device_gate.c: the common first step of device tools: find the device,
 * decrypt its credential, and apply the environment and tier gates.
 */
#include "tool.h"
#include "../core/log.h"

#include <stdio.h>
#include <string.h>

int
agent_tool_device_env(agent_ctx_t *ctx, const char *role, const char *id,
                      int with_secret, agent_device_t *dev,
                      agent_outcome_t *out)
{
    char err[512];
    int  rc;

    rc = agent_device_load(ctx->pg, ctx->cfg, id, with_secret, dev, err,
                           sizeof(err));
    if (rc < 0) {
        agent_error("job %s: loading device %s: %s", ctx->job->id, id, err);
        agent_fail(out, MCP_ERR_INTERNAL, "cannot load device %s: %s", id, err);
        return -1;
    }
    if (rc == 1) {
        agent_fail(out, MCP_ERR_DEVICE_NOT_FOUND,
                   "%sdevice not found: %s is not registered (list_devices "
                   "shows the registered ids)",
                   role, id);
        return -1;
    }
    if (strcmp(dev->environment, ctx->cfg->environment) != 0) {
        agent_fail(out, MCP_ERR_FORBIDDEN,
                   "%sdevice %s is in environment %s, this service runs in %s",
                   role, id, dev->environment, ctx->cfg->environment);
        agent_device_release(dev);
        return -1;
    }
    return 0;
}

int
agent_tool_device(agent_ctx_t *ctx, const json_t *args, agent_device_t *dev,
                  agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "device_id"));

    if (id == NULL) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "arguments.device_id is "
                   "required");
        return -1;
    }
    snprintf(ctx->device_id, sizeof(ctx->device_id), "%s", id);
    if (agent_tool_device_env(ctx, "", id, 1, dev, out) != 0) {
        return -1;
    }
    if (ctx->tool->tier == MCP_TIER_ADVANCED &&
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
