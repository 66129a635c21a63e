/*
 * rest_trap.h: failures RouterOS reports inside an HTTP 200 (routeros-rest.md
 * §1.9): an API !trap as a JSON object, or command rows "status":"ERROR: …".
 */
#ifndef AGENT_ROUTEROS_REST_TRAP_H
#define AGENT_ROUTEROS_REST_TRAP_H

#include <jansson.h>
#include <stddef.h>

/*
 * 1 when reply (an object, or an array of objects) reports a failure: an
 * object made only of error keys (message, detail, category, error,
 * .section) with a message, or any row whose status starts with "ERROR:";
 * the RouterOS text is written to msg. 0 for a normal reply.
 */
int agent_rest_trap(const json_t *reply, char *msg, size_t len);

#endif
