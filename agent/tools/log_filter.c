/*
 * log_filter.c: parsing of RouterOS log times into sortable stamps and the
 * client-side filter of get_recent_logs (RouterOS /log has no time query).
 */
#include "log_filter.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const agent_months[] = {"jan", "feb", "mar", "apr",
                                           "may", "jun", "jul", "aug",
                                           "sep", "oct", "nov", "dec"};

static int
agent_month(const char *s)
{
    int m;

    for (m = 0; m < 12; m++) {
        if (strncasecmp(s, agent_months[m], 3) == 0) {
            return m + 1;
        }
    }
    return 0;
}

/* YYYYMMDDhhmmss as one integer: orders exactly like the time itself. */
static int64_t
agent_stamp(int y, int mo, int d, int h, int mi, int s)
{
    return ((((int64_t)y * 100 + mo) * 100 + d) * 100 + h) * 10000 + mi * 100 +
           s;
}

static int
agent_clock_ok(int h, int mi, int s)
{
    return h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 61;
}

static int
agent_date_ok(int y, int mo, int d)
{
    return y >= 1970 && y < 10000 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

/* "mon/" prefix: the month number, else 0. */
static int
agent_month_prefix(const char *s)
{
    if (strlen(s) < 4 || s[3] != '/') {
        return 0;
    }
    return agent_month(s);
}

int
agent_log_time(const char *s, const agent_log_date_t *today, int64_t *stamp)
{
    int y, mo, d, h, mi, sec, n = -1;

    if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
               &n) == 6 &&
        n == (int)strlen(s)) {
        goto check;
    }
    n = -1;
    if ((mo = agent_month_prefix(s)) != 0) {
        if (sscanf(s + 4, "%2d/%4d %2d:%2d:%2d%n", &d, &y, &h, &mi, &sec, &n) ==
                5 &&
            n == (int)strlen(s + 4)) {
            goto check;
        }
        n = -1;
        if (today != NULL &&
            sscanf(s + 4, "%2d %2d:%2d:%2d%n", &d, &h, &mi, &sec, &n) == 4 &&
            n == (int)strlen(s + 4)) {
            y = today->year;
            goto check;
        }
        return -1;
    }
    if (today != NULL && sscanf(s, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) == 3 &&
        n == (int)strlen(s)) {
        y = today->year;
        mo = today->month;
        d = today->day;
        goto check;
    }
    return -1;
check:
    if (!agent_date_ok(y, mo, d) || !agent_clock_ok(h, mi, sec)) {
        return -1;
    }
    *stamp = agent_stamp(y, mo, d, h, mi, sec);
    return 0;
}

int
agent_log_time_partial(const char *s)
{
    static const agent_log_date_t any = {2000, 1, 1};
    int64_t                       st;

    return agent_log_time(s, NULL, &st) != 0 &&
           agent_log_time(s, &any, &st) == 0;
}

int
agent_log_date(const char *s, agent_log_date_t *d)
{
    int n = -1, mo;

    if (sscanf(s, "%4d-%2d-%2d%n", &d->year, &d->month, &d->day, &n) == 3 &&
        n == (int)strlen(s)) {
        return agent_date_ok(d->year, d->month, d->day) ? 0 : -1;
    }
    if ((mo = agent_month_prefix(s)) != 0 &&
        sscanf(s + 4, "%2d/%4d%n", &d->day, &d->year, &n) == 2 &&
        n == (int)strlen(s + 4)) {
        d->month = mo;
        return agent_date_ok(d->year, d->month, d->day) ? 0 : -1;
    }
    return -1;
}

/* ASCII case-insensitive substring search. */
static int
agent_contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay != '\0'; hay++) {
        if (strncasecmp(hay, needle, n) == 0) {
            return 1;
        }
    }
    return n == 0;
}

/* 1 when the comma list csv holds word exactly. */
static int
agent_csv_has(const char *csv, const char *word)
{
    size_t      n = strlen(word);
    const char *p = csv;

    while (p != NULL && *p != '\0') {
        if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0')) {
            return 1;
        }
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
    return 0;
}

static int
agent_topics_match(const char *topics, const json_t *wanted)
{
    const json_t *w;
    size_t        i;

    json_array_foreach(wanted, i, w)
    {
        if (json_is_string(w) && agent_csv_has(topics, json_string_value(w))) {
            return 1;
        }
    }
    return 0;
}

int
agent_log_match(const json_t *rec, const agent_log_filter_t *f)
{
    const char *topics = json_string_value(json_object_get(rec, "topics"));
    const char *msg = json_string_value(json_object_get(rec, "message"));
    const char *time = json_string_value(json_object_get(rec, "time"));
    int64_t     st;

    if (json_array_size(f->topics) > 0 &&
        !agent_topics_match(topics ? topics : "", f->topics)) {
        return 0;
    }
    if (f->message != NULL &&
        !agent_contains_nocase(msg ? msg : "", f->message)) {
        return 0;
    }
    if ((f->has_start || f->has_end) && time != NULL &&
        agent_log_time(time, f->today, &st) == 0) {
        if ((f->has_start && st < f->start) || (f->has_end && st > f->end)) {
            return 0;
        }
    }
    return 1;
}
