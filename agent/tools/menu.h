/*
 * menu.h: what every read tool does with a RouterOS menu: read it (REST now,
 * SSH fallback where the catalog allows), bound the list, describe failures.
 */
#ifndef AGENT_TOOLS_MENU_H
#define AGENT_TOOLS_MENU_H

#include "tool.h"

/*
 * Reads path (e.g. "/ip/address") of dev. On success returns 0 with *reply
 * owned by the caller. On failure returns -1 and fills out with an isError
 * result naming the device, the menu and the RouterOS failure (reason code
 * in _meta.failure_reason) — the caller just returns.
 */
int agent_menu_read(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_outcome_t *out);

/*
 * Fills out with the isError result of a failed REST read of path, for
 * tools that must look at the REST error themselves before giving up.
 */
void agent_menu_rest_failed(agent_outcome_t *out, const agent_device_t *dev,
    const char *path, const agent_rest_err_t *rerr);

/*
 * Keeps at most limit items of the array list (in place) and returns a new
 * object {key: list, total_count, returned_count, truncated, device_id,
 * transport}; list is stolen.
 */
json_t *agent_menu_bounded(const char *device_id, const char *key,
    json_t *list, long limit);

/* args.limit when present, else fallback. */
long agent_menu_limit(const json_t *args, long fallback);

#endif
