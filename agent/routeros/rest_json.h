/*
 * rest_json.h: parses RouterOS reply bodies, tolerating the raw control
 * characters some versions put inside JSON strings (routeros-rest.md §1.3).
 */
#ifndef AGENT_ROUTEROS_REST_JSON_H
#define AGENT_ROUTEROS_REST_JSON_H

#include <jansson.h>
#include <stddef.h>

/* NULL when the body is not JSON even after re-escaping. */
json_t *agent_rest_parse(const char *body, size_t len);

#endif
