/*
 * updated.c: the subscriber-set key of a resource URI and the
 * notifications/resources/updated message sent to its subscribers.
 */
#include "updated.h"
#include "keys.h"
#include "../util/hex.h"

#include <jansson.h>
#include <stdio.h>

size_t
mcp_subscribers_key(char *buf, size_t size, const char *uri, size_t len)
{
    char hash[65];
    int  n;

    if (mcp_sha256_hex(uri, len, hash) != 0) {
        return 0;
    }
    n = snprintf(buf, size, MCP_KEY_SUBSCRIBERS_FMT, hash);
    return (n < 0 || (size_t) n >= size) ? 0 : (size_t) n;
}

char *
mcp_resource_updated_message(const char *uri, size_t len)
{
    json_t *msg;
    char   *text;

    msg = json_pack("{s:s, s:s, s:{s:s%}}", "jsonrpc", "2.0", "method",
                    "notifications/resources/updated", "params", "uri", uri,
                    len);
    text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);
    return text;
}
