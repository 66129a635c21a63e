/*
 * rest_trap.c: recognises a RouterOS failure carried by an HTTP 200 reply
 * so that it is reported as a device-side failure, never as data.
 */
#include "rest_trap.h"

#include <stdio.h>
#include <string.h>

/* Keys of an error object; a data row always has others (.id, name …). */
static const char *const agent_trap_keys[] = {
    "message", "detail", "category", "error", ".section", NULL};

static int
agent_trap_key(const char *key)
{
    size_t i;

    for (i = 0; agent_trap_keys[i] != NULL; i++) {
        if (strcmp(agent_trap_keys[i], key) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
agent_trap_object(const json_t *o, char *msg, size_t len)
{
    const char *key, *status, *text, *detail;
    json_t     *v;

    status = json_string_value(json_object_get(o, "status"));
    if (status != NULL && strncmp(status, "ERROR:", 6) == 0) {
        status += 6;
        snprintf(msg, len, "%s", status + strspn(status, " "));
        return 1;
    }
    text = json_string_value(json_object_get(o, "message"));
    if (text == NULL) {
        return 0;
    }
    json_object_foreach((json_t *) o, key, v) {
        if (!agent_trap_key(key)) {
            return 0;
        }
    }
    detail = json_string_value(json_object_get(o, "detail"));
    snprintf(msg, len, "%s%s%s", text, detail ? ": " : "",
             detail ? detail : "");
    return 1;
}

int
agent_rest_trap(const json_t *reply, char *msg, size_t len)
{
    const json_t *item;
    size_t        i;

    if (json_is_object(reply)) {
        return agent_trap_object(reply, msg, len);
    }
    json_array_foreach(reply, i, item) {
        if (json_is_object(item) && agent_trap_object(item, msg, len)) {
            return 1;
        }
    }
    return 0;
}
