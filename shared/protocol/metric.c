/*
 * metric.c: label values and field checks of the agent metrics hash, so the
 * agent writes only what the module's /metrics may print verbatim.
 */
#include "metric.h"

#include <string.h>

static int
mcp_metric_value_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/'
           || c == ':' || c == '+' || c == '-';
}

void
mcp_metric_label_value(char *dst, size_t size, const char *value)
{
    size_t i;

    for (i = 0; value[i] != '\0' && i + 1 < size; i++) {
        dst[i] = mcp_metric_value_char((unsigned char) value[i]) ? value[i]
                                                                 : '_';
    }
    dst[i] = '\0';
}

int
mcp_metric_label_ok(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (!mcp_metric_value_char((unsigned char) s[i])) {
            return 0;
        }
    }
    return 1;
}

int
mcp_metric_field_ok(const char *s, size_t len)
{
    size_t i, plen = sizeof(MCP_METRIC_AGENT_PREFIX) - 1;

    if (len <= plen || memcmp(s, MCP_METRIC_AGENT_PREFIX, plen) != 0) {
        return 0;
    }
    for (i = plen; i < len && s[i] != '{'; i++) {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
              || s[i] == '_')) {
            return 0;
        }
    }
    if (i == len) {
        return 1;
    }
    if (s[len - 1] != '}') {
        return 0;
    }
    /* {k="v",k="v"} */
    for (i++; i < len - 1; i++) {
        if (!(s[i] >= 'a' && s[i] <= 'z') && s[i] != '_') {
            return 0;
        }
        while (i < len - 1 && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')) {
            i++;
        }
        if (i + 1 >= len - 1 || s[i] != '=' || s[i + 1] != '"') {
            return 0;
        }
        for (i += 2; i < len - 1 && s[i] != '"'; i++) {
            if (!mcp_metric_value_char((unsigned char) s[i])) {
                return 0;
            }
        }
        if (i >= len - 1) {
            return 0;
        }
        i++;
        if (i < len - 1 && s[i] != ',') {
            return 0;
        }
    }
    return 1;
}

int
mcp_metric_value_ok(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > 32) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == 'e'
              || s[i] == 'E' || s[i] == '-' || s[i] == '+')) {
            return 0;
        }
    }
    return 1;
}
