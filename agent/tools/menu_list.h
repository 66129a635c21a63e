/*
 * menu_list.h: the whole body of a plain list tool: load the device, read
 * one menu, type its records with a field table, bound and describe them.
 */
#ifndef AGENT_TOOLS_MENU_LIST_H
#define AGENT_TOOLS_MENU_LIST_H

#include "fields.h"
#include "tool.h"

typedef struct {
    const char          *path; /* RouterOS menu, e.g. "/ip/dhcp-server" */
    const char          *key;  /* result list key, e.g. "servers" */
    const char          *noun; /* text, plural, e.g. "DHCP servers" */
    const agent_field_t *fields;
    long                 limit; /* when args carry no limit */
} agent_menu_list_t;

/*
 * Answers {key: [...], total_count, returned_count, truncated, device_id,
 * transport}; each item also gets "position" (its 0-based order on the
 * device). Device-side failures become isError results.
 */
void agent_menu_list(agent_ctx_t *ctx, const json_t *args,
                     const agent_menu_list_t *spec, agent_outcome_t *out);

/* Adds "position" (0-based index) to every object of list. */
void agent_menu_number(json_t *list);

#endif
