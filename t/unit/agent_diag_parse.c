/*
 * agent_diag_parse.c: unit tests of the diagnostics parsers
 * (agent/tools/diag_parse.c): RTTs, rates, ping rows, hops, bandwidth runs.
 */
#include "tap.h"
#include "../../agent/tools/diag_parse.h"

#include <math.h>

static double
rtt(const char *s)
{
    double v = -42;

    return agent_diag_rtt_ms(s, &v) == 0 ? v : -1;
}

static double
bps_str(const char *s)
{
    json_t *v = json_string(s);
    double  x = -42;
    int     rc = agent_diag_bps(v, &x);

    json_decref(v);
    return rc == 0 ? x : -1;
}

static int
near(double a, double b)
{
    return fabs(a - b) < 1e-6;
}

static void
test_rtt_and_rates(void)
{
    json_t *n;
    double  x = 0;

    ok(near(rtt("5ms945us"), 5.945), "5ms945us is 5.945 ms");
    ok(near(rtt("1ms"), 1.0), "1ms is 1 ms");
    ok(near(rtt("453us"), 0.453), "453us is 0.453 ms");
    ok(near(rtt("614ms933us"), 614.933), "614ms933us is 614.933 ms");
    ok(near(rtt("0.4"), 0.4), "unitless traceroute time 0.4 is 0.4 ms");
    ok(rtt("timeout") == -1, "timeout is not a time");
    ok(rtt("") == -1 && rtt(NULL) == -1, "empty and missing are refused");
    ok(near(bps_str("12.5Mbps"), 12.5e6), "12.5Mbps is 12500000 bps");
    ok(near(bps_str("800kbps"), 800e3), "800kbps is 800000 bps");
    ok(near(bps_str("1.2Gbps"), 1.2e9), "1.2Gbps is 1200000000 bps");
    ok(near(bps_str("64bps"), 64), "64bps is 64 bps");
    ok(near(bps_str("941000000"), 941e6), "decimal string 941000000");
    ok(bps_str("fast") == -1, "words are refused");
    ok(bps_str("12Xbps") == -1, "unknown unit is refused");
    ok(bps_str("-5") == -1, "negative rate is refused");
    n = json_integer(854372352);
    ok(agent_diag_bps(n, &x) == 0 && near(x, 854372352), "JSON number");
    json_decref(n);
    ok(near(agent_diag_round2(461.928571), 461.93), "round2 461.928571");
}

static void
test_ping(void)
{
    agent_ping_stats_t st = {0, 0, 0, 0, 0};
    json_t            *r1, *r2, *r3, *r4, *p;

    r1 = json_pack("{s:s, s:s, s:s}", "host", "10.0.0.1", "time", "5ms945us",
                   "ttl", "64");
    r2 = json_pack("{s:s, s:s}", "status", "timeout", "sent", "1");
    r3 = json_pack("{s:s, s:s, s:s}", "time", "1ms", "status", "echo reply",
                   "ttl", "63");
    r4 = json_pack("{s:s, s:s, s:s}", "time", "2ms", "status",
                   "host unreachable", "ttl", "63");
    p = agent_diag_ping_add(&st, r1, 0);
    ok(json_is_true(json_object_get(p, "received")) &&
           near(json_real_value(json_object_get(p, "rtt_ms")), 5.95) &&
           json_integer_value(json_object_get(p, "ttl")) == 64,
       "reply row: received, rtt 5.95 ms, ttl 64");
    json_decref(p);
    p = agent_diag_ping_add(&st, r2, 1);
    ok(!json_is_true(json_object_get(p, "received")) &&
           json_is_null(json_object_get(p, "rtt_ms")),
       "timeout row: not received, rtt null");
    is_str(json_string_value(json_object_get(p, "status")), "timeout",
           "timeout row keeps its status");
    json_decref(p);
    json_decref(agent_diag_ping_add(&st, r3, 2));
    json_decref(agent_diag_ping_add(&st, r4, 3));
    p = agent_diag_ping_add(&st, NULL, 4);
    is_str(json_string_value(json_object_get(p, "status")), "no reply",
           "missing row: status no reply");
    json_decref(p);
    ok(st.sent == 5 && st.received == 2,
       "5 sent, 2 received (echo reply counts, host unreachable does not)");
    ok(near(st.min_ms, 1.0) && near(st.max_ms, 5.945) && near(st.sum_ms, 6.945),
       "min 1 ms, max 5.945 ms over the received packets");
    ok(near(agent_diag_ping_loss(&st), 60.0), "loss 60%%");
    st.sent = 3;
    st.received = 1;
    ok(near(agent_diag_ping_loss(&st), 66.67), "loss 66.67%% (2 dp)");
    json_decref(r1);
    json_decref(r2);
    json_decref(r3);
    json_decref(r4);
}

static void
test_traceroute(void)
{
    json_t *reply, *rows, *h;

    reply = json_loads(
        "[{\".section\":\"0\",\"address\":\"10.0.0.1\",\"last\":\"0.4\"},"
        "{\".section\":\"0\",\"address\":\"\",\"last\":\"timeout\"},"
        "{\".section\":\"1\",\"address\":\"10.0.0.1\",\"last\":\"0.5\","
        "\"loss\":\"0\"},"
        "{\".section\":\"1\",\"address\":\"\",\"last\":\"timeout\","
        "\"loss\":\"100\",\"status\":\"\"},"
        "{\".section\":\"1\",\"address\":\"1.1.1.1\",\"last\":\"9.1\","
        "\"avg\":\"9.0\",\"loss\":\"0\"}]",
        0, NULL);
    rows = agent_diag_last_section(reply);
    ok(json_array_size(rows) == 3, "last section holds 3 rows");
    h = agent_diag_hop(json_array_get(rows, 0), 1);
    ok(json_integer_value(json_object_get(h, "hop")) == 1 &&
           near(json_real_value(json_object_get(h, "rtt_ms")), 0.5),
       "hop 1: rtt from the last section (0.5 ms)");
    json_decref(h);
    h = agent_diag_hop(json_array_get(rows, 1), 2);
    is_str(json_string_value(json_object_get(h, "address")), "*",
           "silent hop: address *");
    is_str(json_string_value(json_object_get(h, "status")), "timeout",
           "silent hop: status timeout");
    ok(json_is_null(json_object_get(h, "rtt_ms")) &&
           near(json_real_value(json_object_get(h, "loss_percent")), 100),
       "silent hop: rtt null, loss 100");
    json_decref(h);
    h = agent_diag_hop(json_array_get(rows, 2), 3);
    is_str(json_string_value(json_object_get(h, "address")), "1.1.1.1",
           "last hop address");
    json_decref(h);
    json_decref(rows);
    json_decref(reply);
    reply = json_loads("[{\"address\":\"10.0.0.1\",\"last\":\"1\"}]", 0, NULL);
    rows = agent_diag_last_section(reply);
    ok(json_array_size(rows) == 1, "rows without .section are one section");
    json_decref(rows);
    json_decref(reply);
    rows = agent_diag_last_section(NULL);
    ok(json_is_array(rows) && json_array_size(rows) == 0,
       "no reply: empty section");
    json_decref(rows);
}

static void
test_btest(void)
{
    agent_btest_run_t run;
    json_t           *reply;

    reply = json_loads(
        "[{\".section\":\"0\",\"status\":\"connecting\"},"
        "{\".section\":\"1\",\"status\":\"running\",\"rx-total-average\":"
        "\"100\"},"
        "{\".section\":\"2\",\"status\":\"done testing\",\"lost-packets\":"
        "\"9014\",\"rx-total-average\":\"891979008\",\"rx-size\":\"1500\"}]",
        0, NULL);
    ok(agent_diag_btest_run(reply, &run) == 0 && agent_diag_btest_ok(&run),
       "receive run: done testing");
    ok(run.has_rx && !run.has_tx && near(run.rx_bps, 891979008),
       "receive run: rx 891979008 bps from the last section, no tx");
    ok(near(run.lost_packets, 9014) && near(run.rx_size, 1500),
       "receive run: 9014 lost packets of 1500 bytes");
    json_decref(reply);
    reply = json_loads("{\"tx-bits-per-second\":\"12.5Mbps\","
                       "\"rx-bits-per-second\":\"3Mbps\",\"lost\":\"0\","
                       "\"status\":\"done testing\"}",
                       0, NULL);
    ok(agent_diag_btest_run(reply, &run) == 0 && near(run.tx_bps, 12.5e6) &&
           near(run.rx_bps, 3e6) && near(run.lost_packets, 0),
       "single object with upstream field names and units");
    json_decref(reply);
    reply = json_loads("[{\"status\":\"connecting\"},"
                       "{\"status\":\"can not connect\"}]",
                       0, NULL);
    ok(agent_diag_btest_run(reply, &run) == 0 && !agent_diag_btest_ok(&run),
       "can not connect is not a measurement");
    is_str(run.status, "can not connect", "status kept");
    json_decref(reply);
    reply = json_array();
    ok(agent_diag_btest_run(reply, &run) == -1, "empty reply is refused");
    json_decref(reply);
    ok(near(agent_diag_btest_loss(17, 470e6, 1500), 0.04),
       "17 lost of 39167 packets is 0.04%%");
    ok(agent_diag_btest_loss(-1, 470e6, 1500) == -1 &&
           agent_diag_btest_loss(3, 0, 1500) == -1 &&
           agent_diag_btest_loss(3, 470e6, 0) == -1,
       "loss unknown without a count, rx traffic or packet size");
}

int
main(void)
{
    test_rtt_and_rates();
    test_ping();
    test_traceroute();
    test_btest();
    return done_testing();
}
