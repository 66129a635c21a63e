/*
 * envelope.h: one JSON-RPC 2.0 message read from a request body and its
 * envelope checked (plain C on jansson, shared by the module and the fuzzer).
 */
#ifndef MCP_PROTOCOL_ENVELOPE_H
#define MCP_PROTOCOL_ENVELOPE_H

#include <stddef.h>
#include <jansson.h>
#include "errors.h"

typedef struct {
    json_t      *id;         /* borrowed; NULL for a notification */
    const char  *method;     /* borrowed; NULL for a client response */
    size_t       method_len;
    json_t      *params;     /* borrowed object, or NULL */
} mcp_envelope_t;

/*
 * Parses body into *msg (owned by the caller, also on error when it is JSON
 * but not a valid message). A JSON array is returned as is (a batch, checked
 * member by member with mcp_envelope_check).
 */
mcp_err_t mcp_envelope_load(const char *body, size_t len, json_t **msg,
                            const char **message);

/* Checks one message object and fills env (env->id is set as soon as read). */
mcp_err_t mcp_envelope_check(json_t *msg, mcp_envelope_t *env,
                             const char **message);

#endif
