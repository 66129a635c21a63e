/*
 * menu.h: what every read tool does with a RouterOS menu: read it (REST now,
 * SSH fallback where the catalog allows), bound the list, describe failures.
 */
#ifndef AGENT_TOOLS_MENU_H
#define AGENT_TOOLS_MENU_H

#include "device_read.h"
#include "tool.h"

#include <stddef.h>

/*
 * Reads path (e.g. "/ip/address") of dev. On success returns 0 with *reply
 * owned by the caller. On failure returns -1 and fills out with an isError
 * result naming the device, the menu and the RouterOS failure (reason code
 * in _meta.failure_reason) — the caller just returns.
 */
int agent_menu_read(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_outcome_t *out);

/*
 * Like agent_menu_read, for menus of optional packages (wireless, wifi,
 * caps-man): 1 when the device has no such menu (REST 400 "no such command
 * or directory", console "bad command name"), with RouterOS' words in
 * why; out is then left alone.
 */
int agent_menu_try(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_outcome_t *out, char *why,
    size_t len);

/* The failed read r of "<menu>/<id>" found no such item: REST 404, or the
 * console listing (SSH) lacks the id. */
int agent_menu_item_absent(const agent_read_t *r);

/* Fills out with the isError result of the failed read r of path. */
void agent_menu_read_failed(agent_outcome_t *out, const agent_device_t *dev,
    const char *path, const agent_read_t *r);

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
