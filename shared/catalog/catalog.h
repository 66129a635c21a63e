/*
 * catalog.h: loads shared/catalog/tools/<domain>.json, the single source of truth for
 * every tool (name, tier, schema, timeout, rate class, writes-or-not).
 */
#ifndef MCP_CATALOG_H
#define MCP_CATALOG_H

#include <stddef.h>
#include <jansson.h>

typedef enum {
    MCP_TIER_NONE = 0,
    MCP_TIER_FUNDAMENTAL,
    MCP_TIER_ADVANCED,
    MCP_TIER_PROFESSIONAL
} mcp_tier_t;

typedef enum {
    MCP_WRITES_NO = 0,
    MCP_WRITES_DB,
    MCP_WRITES_DEV
} mcp_writes_t;

typedef struct {
    const char   *name;          /* points into entry */
    const char   *rate_class;    /* "none", "read", "write", "diagnostics", "plan" */
    mcp_tier_t    tier;
    mcp_writes_t  writes;
    int           timeout_ms;
    int           long_running;  /* answer over SSE even without progressToken */
    json_t       *input_schema;  /* borrowed from entry */
    json_t       *output_schema; /* borrowed from entry, may be NULL */
    json_t       *entry;         /* the catalog object (borrowed from root) */
    json_t       *listed;        /* the object tools/list shows (owned) */
} mcp_tool_t;

typedef struct {
    mcp_tool_t *tools;           /* sorted by name */
    size_t      ntools;
    json_t     *root;
} mcp_catalog_t;

/*
 * Loads and checks every .json file (a JSON array of tools) in the directory
 * dir. On failure returns -1 and writes a
 * message naming the tool and field into err. The schemas are checked with
 * mcp_schema_check so an unknown keyword is a load error.
 */
int mcp_catalog_load(const char *dir, mcp_catalog_t *cat, char *err,
    size_t errlen);

/* Binary search by name; NULL when unknown. */
const mcp_tool_t *mcp_catalog_find(const mcp_catalog_t *cat, const char *name,
    size_t name_len);

const char *mcp_tier_name(mcp_tier_t tier);

void mcp_catalog_free(mcp_catalog_t *cat);

#endif
