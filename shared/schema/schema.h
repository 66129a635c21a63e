/*
 * schema.h: the JSON Schema subset the catalog uses (docs/internals.md lists
 * the keywords). Validation errors name the failing field by path.
 */
#ifndef MCP_SCHEMA_H
#define MCP_SCHEMA_H

#include <stddef.h>
#include <jansson.h>

/*
 * Checks that schema only uses supported keywords with well-formed values
 * (patterns compile, enums are arrays…). Returns 0, or -1 with err set.
 */
int mcp_schema_check(const json_t *schema, const char *where, char *err,
    size_t errlen);

/*
 * Validates instance against schema. root names the instance in messages
 * ("arguments"), so a failure reads "arguments.count: must be <= 100".
 * Returns 0, or -1 with err set to the first failure.
 */
int mcp_schema_validate(const json_t *schema, const json_t *instance,
    const char *root, char *err, size_t errlen);

/*
 * Adds the schema's "default" values for absent object properties (one level
 * deep, and inside nested objects that are present). Returns 0 or -1 on OOM.
 */
int mcp_schema_apply_defaults(const json_t *schema, json_t *instance);

#endif
