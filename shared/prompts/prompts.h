/*
 * prompts.h: the MCP prompts (shared/prompts/templates/<name>.json), loaded
 * once, listed, and rendered with the caller's arguments substituted.
 */
#ifndef MCP_PROMPTS_H
#define MCP_PROMPTS_H

#include <stddef.h>
#include <jansson.h>

typedef struct {
    json_t *prompts;    /* array of prompt definitions, sorted by name */
    json_t *listed;     /* {"prompts":[{name,title,description,arguments}]} */
} mcp_prompts_t;

/* Loads every .json file of dir; -1 with err naming the file on failure. */
int mcp_prompts_load(const char *dir, mcp_prompts_t *p, char *err,
    size_t errlen);

/*
 * Renders the prompt called name (name_len bytes) with args (an object of
 * strings, may be NULL). Returns a new GetPromptResult, or NULL with err
 * naming the unknown prompt or the offending argument (JSON-RPC -32602).
 */
json_t *mcp_prompts_render(const mcp_prompts_t *p, const char *name,
    size_t name_len, const json_t *args, char *err, size_t errlen);

void mcp_prompts_free(mcp_prompts_t *p);

#endif
