/*
 * agent_log_filter.c: unit tests of the log time parser and the entry
 * filter of get_recent_logs (agent/tools/log_filter.c).
 */
#include "tap.h"
#include "../../agent/tools/log_filter.h"

#include <stdint.h>

static int64_t
stamp(const char *s, const agent_log_date_t *today)
{
    int64_t v = -42;

    return agent_log_time(s, today, &v) == 0 ? v : -1;
}

static json_t *
rec(const char *time, const char *topics, const char *message)
{
    return json_pack("{s:s, s:s, s:s}", "time", time, "topics", topics,
                     "message", message);
}

int
main(void)
{
    agent_log_date_t   today = {2024, 3, 9}, d;
    agent_log_filter_t f;
    json_t            *r1, *r2, *r3, *topics;

    ok(stamp("2024-01-02 10:11:12", NULL) == 20240102101112LL,
       "YYYY-MM-DD HH:MM:SS parses");
    ok(stamp("jan/02/2024 10:11:12", NULL) == 20240102101112LL,
       "mon/DD/YYYY HH:MM:SS parses");
    ok(stamp("Dec/31/2023 23:59:59", NULL) == 20231231235959LL,
       "month names in any case");
    ok(stamp("10:11:12", NULL) == -1, "HH:MM:SS needs today");
    ok(stamp("10:11:12", &today) == 20240309101112LL,
       "HH:MM:SS is on today's date");
    ok(stamp("feb/07 01:02:03", &today) == 20240207010203LL,
       "mon/DD HH:MM:SS is in today's year");
    ok(stamp("2024-13-02 10:11:12", &today) == -1, "month 13 refused");
    ok(stamp("2024-01-02 25:11:12", &today) == -1, "hour 25 refused");
    ok(stamp("2024-01-02 10:11:12x", &today) == -1, "trailing text refused");
    ok(stamp("yesterday", &today) == -1, "words refused");
    ok(stamp("", &today) == -1, "empty refused");
    ok(stamp("2023-12-31 23:59:59", NULL) < stamp("2024-01-01 00:00:00", NULL),
       "stamps order like times across a year end");
    ok(agent_log_time_partial("10:11:12"), "HH:MM:SS is partial");
    ok(!agent_log_time_partial("2024-01-02 10:11:12"), "a full time is not");
    ok(!agent_log_time_partial("junk"), "junk is not partial");
    ok(agent_log_date("2024-03-09", &d) == 0 && d.year == 2024 &&
           d.month == 3 && d.day == 9,
       "clock date YYYY-MM-DD");
    ok(agent_log_date("mar/09/2024", &d) == 0 && d.year == 2024 &&
           d.month == 3 && d.day == 9,
       "clock date mon/DD/YYYY");
    ok(agent_log_date("09.03.2024", &d) == -1, "other date forms refused");

    r1 = rec("2024-03-09 08:00:00", "system,info", "router rebooted");
    r2 = rec("2024-03-09 12:00:00", "dhcp,warning", "Lease OFFER failed");
    r3 = rec("garbage time", "firewall,info", "input: drop");
    topics = json_pack("[s, s]", "dhcp", "firewall");
    memset(&f, 0, sizeof(f));
    ok(agent_log_match(r1, &f) && agent_log_match(r3, &f),
       "no filter passes everything");
    f.topics = topics;
    ok(!agent_log_match(r1, &f) && agent_log_match(r2, &f) &&
           agent_log_match(r3, &f),
       "topics: any of them matches");
    f.topics = NULL;
    f.message = "offer FAILED";
    ok(agent_log_match(r2, &f) && !agent_log_match(r1, &f),
       "message: substring ignoring case");
    f.message = NULL;
    f.has_start = 1;
    f.start = stamp("2024-03-09 10:00:00", NULL);
    ok(!agent_log_match(r1, &f) && agent_log_match(r2, &f),
       "start_time drops older entries");
    ok(agent_log_match(r3, &f), "an unparseable time passes the window");
    f.has_end = 1;
    f.end = stamp("2024-03-09 11:00:00", NULL);
    ok(!agent_log_match(r2, &f), "end_time drops newer entries");
    f.start = f.end = stamp("2024-03-09 12:00:00", NULL);
    ok(agent_log_match(r2, &f), "the window includes both bounds");
    json_decref(r1);
    json_decref(r2);
    json_decref(r3);
    json_decref(topics);
    return done_testing();
}
