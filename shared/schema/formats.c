/*
 * formats.c: checks the string formats of schema.h with inet_pton and an
 * RFC 1123 hostname rule, so addresses are validated before any device call.
 */
#include "formats.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int
mcp_is_ipv4(const char *s)
{
    struct in_addr a;

    return inet_pton(AF_INET, s, &a) == 1;
}

static int
mcp_is_ipv6(const char *s)
{
    struct in6_addr a;

    return inet_pton(AF_INET6, s, &a) == 1;
}

static int
mcp_is_cidr(const char *s)
{
    const char *slash = strchr(s, '/');
    char        addr[64];
    size_t      alen;
    char       *end;
    long        bits;
    int         v6;

    if (slash == NULL || slash == s || slash[1] == '\0') {
        return 0;
    }
    alen = (size_t) (slash - s);
    if (alen >= sizeof(addr)) {
        return 0;
    }
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    v6 = mcp_is_ipv6(addr);
    if (!v6 && !mcp_is_ipv4(addr)) {
        return 0;
    }
    if (!isdigit((unsigned char) slash[1])) {
        return 0;
    }
    bits = strtol(slash + 1, &end, 10);
    return *end == '\0' && bits >= 0 && bits <= (v6 ? 128 : 32)
           && strlen(slash + 1) <= 3;
}

/* RFC 1123: labels of 1-63 letters, digits and hyphens, not starting or
 * ending with a hyphen; at most 253 characters; a trailing dot is allowed. */
static int
mcp_is_hostname(const char *s)
{
    size_t len = strlen(s), label = 0, i;

    if (len == 0 || len > 253) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char) s[i];

        if (c == '.') {
            if (label == 0 || s[i - 1] == '-') {
                return 0;
            }
            label = 0;
            continue;
        }
        if (!isalnum(c) && c != '-') {
            return 0;
        }
        if (c == '-' && label == 0) {
            return 0;
        }
        if (++label > 63) {
            return 0;
        }
    }
    return label == 0 ? s[len - 1] == '.' && len > 1 : s[len - 1] != '-';
}

int
mcp_format_known(const char *format)
{
    static const char *known[] = { "ipv4", "ipv6", "ip", "cidr", "hostname",
        "host", NULL };
    const char **k;

    for (k = known; *k; k++) {
        if (strcmp(*k, format) == 0) {
            return 1;
        }
    }
    return 0;
}

int
mcp_format_matches(const char *format, const char *s)
{
    if (strcmp(format, "ipv4") == 0) {
        return mcp_is_ipv4(s);
    }
    if (strcmp(format, "ipv6") == 0) {
        return mcp_is_ipv6(s);
    }
    if (strcmp(format, "ip") == 0) {
        return mcp_is_ipv4(s) || mcp_is_ipv6(s);
    }
    if (strcmp(format, "cidr") == 0) {
        return mcp_is_cidr(s);
    }
    if (strcmp(format, "hostname") == 0) {
        return mcp_is_hostname(s);
    }
    if (strcmp(format, "host") == 0) {
        return mcp_is_ipv4(s) || mcp_is_ipv6(s) || mcp_is_hostname(s);
    }
    return 0;
}
