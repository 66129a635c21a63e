/*
 * ssh_menu.h: a REST menu read done over the SSH console instead: the
 * allow-listed print command for the path, parsed into the REST shape.
 */
#ifndef AGENT_ROUTEROS_SSH_MENU_H
#define AGENT_ROUTEROS_SSH_MENU_H

#include "ssh.h"

#include <jansson.h>

/*
 * Reads path ("/system/resource", "/ip/address", "/interface/\*1") over SSH:
 * singleton menus with `print` (an object), collections with
 * `print as-value` (an array with .id like REST), "<menu>/\*ID" as the one
 * item of the collection (AGENT_SSH_COMMAND "no such item" when absent).
 * A path with no allow-listed command is AGENT_SSH_REJECTED. res carries
 * the host key seen (release it with agent_ssh_result_free). 0 or -1.
 */
int agent_ssh_menu_read(const agent_ssh_target_t *target, const char *path,
    int64_t deadline_ms, json_t **reply, agent_ssh_result_t *res,
    agent_ssh_err_t *err);

#endif
