/*
 * protocol_fuzz.c: libFuzzer target for the request parser: the JSON-RPC
 * envelope (shared/protocol/envelope.c) and the 2026-07-28 header/_meta
 * ladder (shared/protocol/modern.c), the code every POST body goes through.
 * Input: three header lines (MCP-Protocol-Version, Mcp-Method, Mcp-Name; a
 * line "-" is an absent header), then the body.
 */
#include <stdint.h>
#include <string.h>
#include "../../shared/protocol/modern.h"

#define NHEADERS  3


/* Cuts one line off *data; "-" means the header is absent. */
static void
next_header(const char **data, size_t *size, mcp_header_t *h)
{
    const char  *nl;

    h->data = NULL;
    h->len = 0;

    nl = memchr(*data, '\n', *size);
    if (nl == NULL) {
        return;
    }

    if (!(nl - *data == 1 && (*data)[0] == '-')) {
        h->data = *data;
        h->len = (size_t) (nl - *data);
    }

    *size -= (size_t) (nl - *data) + 1;
    *data = nl + 1;
}


static void
check_one(json_t *msg, const mcp_modern_headers_t *h)
{
    int                    status;
    char                   message[512];
    json_t                *data;
    mcp_envelope_t         env;
    mcp_modern_request_t   req;
    const char            *why;

    if (mcp_envelope_check(msg, &env, &why) != MCP_OK || env.method == NULL) {
        return;
    }

    if (!mcp_modern_claims(&env, &h->version)) {
        return;
    }

    if (mcp_modern_check(&env, h, &req, message, sizeof(message), &data,
                         &status)
        != MCP_OK)
    {
        /* an error always names what is wrong and has an HTTP status */
        if (message[0] == '\0' || status < 400) {
            __builtin_trap();
        }
    }

    json_decref(data);
}


int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    size_t                 i;
    json_t                *msg;
    const char            *data, *why;
    mcp_header_t          *slots[NHEADERS];
    mcp_modern_headers_t   h;

    data = (const char *) input;
    slots[0] = &h.version;
    slots[1] = &h.method;
    slots[2] = &h.name;

    for (i = 0; i < NHEADERS; i++) {
        next_header(&data, &size, slots[i]);
    }

    if (mcp_envelope_load(data, size, &msg, &why) != MCP_OK) {
        json_decref(msg);
        return 0;
    }

    if (json_is_array(msg)) {
        for (i = 0; i < json_array_size(msg); i++) {
            check_one(json_array_get(msg, i), &h);
        }

    } else {
        check_one(msg, &h);
    }

    json_decref(msg);

    return 0;
}
