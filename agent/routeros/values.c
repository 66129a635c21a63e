/*
 * values.c: turns RouterOS REST strings into C values: booleans, integers
 * (decimal and hex), numbers and durations.
 */
#include "values.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
agent_ros_bool(const char *s, int *out)
{
    if (s == NULL) {
        return -1;
    }
    if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
        *out = 1;
        return 0;
    }
    if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
        *out = 0;
        return 0;
    }
    return -1;
}

int
agent_ros_int(const char *s, int64_t *out)
{
    char       *end;
    long long   v;
    int         base = 10;
    const char *p = s;

    if (s == NULL || *s == '\0') {
        return -1;
    }
    if (p[0] == '-') {
        p++;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
    }
    if (!((*p >= '0' && *p <= '9'))) {
        return -1;
    }
    errno = 0;
    v = strtoll(s, &end, base);
    if (errno != 0 || *end != '\0' || end == s) {
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

int
agent_ros_number(const char *s, double *out)
{
    char       *end;
    double      v;
    const char *p = s;

    if (s == NULL || *s == '\0') {
        return -1;
    }
    if (*p == '-') {
        p++;
    }
    /* strtod would also accept "inf", "nan" and hex floats: RouterOS never
     * sends those, so anything not starting with a digit is refused. */
    if (!(*p >= '0' && *p <= '9')) {
        return -1;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || strpbrk(s, "xXeEpP") != NULL) {
        return -1;
    }
    *out = v;
    return 0;
}

/* Microseconds per unit suffix; longest suffixes first so "ms" wins over "m".
 */
static const struct {
    const char *unit;
    int64_t     us;
} agent_ros_units[] = {
    {"ms", 1000LL},
    {"us", 1LL},
    {"ns", 0LL},
    {"w", 7LL * 86400 * 1000000},
    {"d", 86400LL * 1000000},
    {"h", 3600LL * 1000000},
    {"m", 60LL * 1000000},
    {"s", 1000000LL},
};

/* Parses "HH:MM:SS[.frac]" at s (the whole rest of the string). */
static int
agent_ros_clock_us(const char *s, int64_t *out)
{
    unsigned h, m, sec;
    int      n = 0;
    double   frac = 0;

    if (sscanf(s, "%u:%2u:%2u%n", &h, &m, &sec, &n) != 3 || m > 59 ||
        sec > 59) {
        return -1;
    }
    if (s[n] == '.') {
        char *end;

        frac = strtod(s + n, &end);
        if (*end != '\0') {
            return -1;
        }
    } else if (s[n] != '\0') {
        return -1;
    }
    *out = ((int64_t)h * 3600 + m * 60 + sec) * 1000000 +
           (int64_t)(frac * 1000000);
    return 0;
}

int
agent_ros_duration_us(const char *s, int64_t *out)
{
    int64_t total = 0, n, clock;
    size_t  i, len;
    int     any = 0;

    if (s == NULL || *s == '\0') {
        return -1;
    }
    while (*s) {
        /* "1d02:03:04": a digit run followed by ':' starts the clock part */
        if (s[strspn(s, "0123456789")] == ':') {
            if (agent_ros_clock_us(s, &clock) != 0) {
                return -1;
            }
            *out = total + clock;
            return 0;
        }
        if (!(*s >= '0' && *s <= '9')) {
            return -1;
        }
        n = 0;
        while (*s >= '0' && *s <= '9') {
            if (n > (INT64_MAX / 10) - 10) {
                return -1;
            }
            n = n * 10 + (*s - '0');
            s++;
        }
        for (i = 0; i < sizeof(agent_ros_units) / sizeof(agent_ros_units[0]);
             i++) {
            len = strlen(agent_ros_units[i].unit);
            if (strncmp(s, agent_ros_units[i].unit, len) == 0) {
                break;
            }
        }
        if (i == sizeof(agent_ros_units) / sizeof(agent_ros_units[0])) {
            return -1;
        }
        total += agent_ros_units[i].us ? n * agent_ros_units[i].us : n / 1000;
        s += len;
        any = 1;
    }
    if (!any) {
        return -1;
    }
    *out = total;
    return 0;
}

void
agent_ros_format_duration(int64_t seconds, char *buf, size_t len)
{
    static const struct {
        char    unit;
        int64_t s;
    } parts[] = {{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
    size_t i, used = 0;
    int    w;

    if (len == 0) {
        return;
    }
    buf[0] = '\0';
    if (seconds <= 0) {
        snprintf(buf, len, "0s");
        return;
    }
    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (seconds >= parts[i].s) {
            w = snprintf(buf + used, len - used, "%lld%c",
                         (long long)(seconds / parts[i].s), parts[i].unit);
            if (w < 0 || (size_t)w >= len - used) {
                return;
            }
            used += (size_t)w;
            seconds %= parts[i].s;
        }
    }
}

const char *
agent_ros_field_str(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

int
agent_ros_field_int(const json_t *obj, const char *key, int64_t *out)
{
    return agent_ros_int(agent_ros_field_str(obj, key), out);
}

int
agent_ros_field_number(const json_t *obj, const char *key, double *out)
{
    return agent_ros_number(agent_ros_field_str(obj, key), out);
}
