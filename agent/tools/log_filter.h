/*
 * log_filter.h: RouterOS log timestamps (three print formats) as sortable
 * stamps, and the entry filter of get_recent_logs (topics, window, text).
 */
#ifndef AGENT_TOOLS_LOG_FILTER_H
#define AGENT_TOOLS_LOG_FILTER_H

#include <jansson.h>
#include <stdint.h>

typedef struct {
    int year, month, day;
} agent_log_date_t;

/*
 * Parses "YYYY-MM-DD HH:MM:SS", "mon/DD/YYYY HH:MM:SS" (month name in any
 * case), "mon/DD HH:MM:SS" (this year) or "HH:MM:SS" (today) into a stamp
 * that orders like the time. The forms without a year or date take them
 * from today; with today NULL they fail. 0 or -1.
 */
int agent_log_time(const char *s, const agent_log_date_t *today,
                   int64_t *stamp);

/* 1 when s is one of the forms that need today's date. */
int agent_log_time_partial(const char *s);

/* "2024-01-02" or "jan/02/2024" (the /system/clock date). 0 or -1. */
int agent_log_date(const char *s, agent_log_date_t *d);

typedef struct {
    const json_t           *topics;  /* array of strings, or NULL */
    const char             *message; /* substring, or NULL */
    int                     has_start, has_end;
    int64_t                 start, end; /* stamps */
    const agent_log_date_t *today;      /* for partial entry times, or NULL */
} agent_log_filter_t;

/*
 * 1 when the /log record rec passes f: shares a topic with f->topics,
 * contains f->message ignoring ASCII case, and lies in [start, end]; a
 * record whose time does not parse passes the window.
 */
int agent_log_match(const json_t *rec, const agent_log_filter_t *f);

#endif
