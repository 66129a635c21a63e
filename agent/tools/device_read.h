/*
 * device_read.h: one menu read of a device over REST or SSH: REST first,
 * SSH for RouterOS v6, SSH-only devices and REST outages (TOFU host keys).
 */
#ifndef AGENT_TOOLS_DEVICE_READ_H
#define AGENT_TOOLS_DEVICE_READ_H

#include "../routeros/ssh.h"
#include "tool.h"

typedef struct {
    int              rest_tried, ssh_tried;
    double           rest_ms, ssh_ms;
    agent_rest_err_t rest; /* code AGENT_REST_OK unless REST failed */
    agent_ssh_err_t  ssh;  /* code AGENT_SSH_OK unless SSH failed */
    const char      *transport; /* "rest"|"ssh": the one that answered or
                                   failed last */
    int              fallback_used;
} agent_read_t;

/*
 * Reads path of dev. REST unless dev runs RouterOS 6.x or has no REST
 * credential (then SSH); after a REST timeout, network or server error SSH
 * when dev has an SSH credential. The SSH host key is recorded on first
 * use and enforced afterwards (a changed key is refused before login).
 * Notes the transport in ctx. 0 with *reply, or -1 with r describing it.
 */
int agent_device_read(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_read_t *r);

/* Reason code (rest.h/ssh.h vocabulary) and message of a failed read. */
const char *agent_read_reason(const agent_read_t *r);
const char *agent_read_message(const agent_read_t *r);

/* Puts ctx's transport, fallback_used and rest_error into the result's
 * _meta, and into structuredContent when SSH was used (a tool that read
 * nothing is left alone). */
void agent_read_stamp(const agent_ctx_t *ctx, agent_outcome_t *out);

#endif
