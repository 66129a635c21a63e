/*
 * rest_json.c: JSON parsing of RouterOS replies; on a syntax error, control
 * characters inside strings are re-escaped as \u00XX and parsing retried.
 */
#include "rest_json.h"

#include <stdio.h>
#include <stdlib.h>

static char *
agent_rest_reescape(const char *body, size_t len, size_t *outlen)
{
    char         *out = malloc(len * 6 + 1);
    size_t        i, o = 0;
    int           in_string = 0, escaped = 0;
    unsigned char c;

    if (out == NULL) {
        return NULL;
    }
    for (i = 0; i < len; i++) {
        c = (unsigned char)body[i];
        if (in_string && c < 0x20) {
            o += (size_t)sprintf(out + o, "\\u%04x", c);
            continue;
        }
        out[o++] = (char)c;
        if (escaped) {
            escaped = 0;
        } else if (in_string && c == '\\') {
            escaped = 1;
        } else if (c == '"') {
            in_string = !in_string;
        }
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

json_t *
agent_rest_parse(const char *body, size_t len)
{
    json_t *v;
    char   *fixed;
    size_t  n;

    v = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (v != NULL) {
        return v;
    }
    fixed = agent_rest_reescape(body, len, &n);
    if (fixed == NULL) {
        return NULL;
    }
    v = json_loadb(fixed, n, JSON_DECODE_ANY, NULL);
    free(fixed);
    return v;
}
