/*
 * fields.h: turns RouterOS records (every value a string, hyphenated keys)
 * into typed snake_case JSON objects, driven by a per-tool field table.
 */
#ifndef AGENT_TOOLS_FIELDS_H
#define AGENT_TOOLS_FIELDS_H

#include <jansson.h>

typedef enum {
    AGENT_F_STR,     /* copied as is */
    AGENT_F_BOOL,    /* "true"/"false"/"yes"/"no" → boolean */
    AGENT_F_FLAG,    /* like BOOL, but absent means false */
    AGENT_F_INT,     /* decimal or hex → integer */
    AGENT_F_NUM,     /* decimal fraction → number */
    AGENT_F_SECONDS, /* RouterOS duration → integer seconds */
    AGENT_F_LIST     /* "a,b" → ["a", "b"] */
} agent_field_type_t;

typedef struct {
    const char         *ros;   /* RouterOS key, e.g. "mac-address" */
    const char         *key;   /* output key, e.g. "mac_address" */
    agent_field_type_t  type;
} agent_field_t;

/*
 * New object with the fields of rec named in the table (ending with a NULL
 * ros). Absent fields are left out (FLAG: false); values that do not parse
 * as their type become null.
 */
json_t *agent_fields_map(const json_t *rec, const agent_field_t *fields);

/* New array of agent_fields_map of every object of list. */
json_t *agent_fields_map_list(const json_t *list, const agent_field_t *fields);

/* "a,b,,c" → ["a", "b", "c"]; NULL or "" → []. */
json_t *agent_fields_split(const char *csv);

/* String member key of o, or fallback when absent or not a string. */
const char *agent_fields_str(const json_t *o, const char *key,
    const char *fallback);

#endif
