/*
 * diag_parse.c: pure parsers of the diagnostics replies (ping rows, the
 * traceroute hop table, bandwidth-test sections) and their summaries.
 */
#include "diag_parse.h"
#include "../routeros/values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
agent_diag_rtt_ms(const char *s, double *ms)
{
    int64_t us;

    if (s == NULL || *s == '\0') {
        return -1;
    }
    if (agent_ros_number(s, ms) == 0) {
        return *ms >= 0 ? 0 : -1;
    }
    if (agent_ros_duration_us(s, &us) != 0) {
        return -1;
    }
    *ms = (double)us / 1000.0;
    return 0;
}

/* Multiplier of a rate unit ("", "bps", "kbps", "Mbps", "Gbps"), or 0. */
static double
agent_diag_bps_unit(const char *u)
{
    static const struct {
        const char *unit;
        double      factor;
    } units[] = {{"", 1},       {"bps", 1},    {"kbps", 1e3}, {"Kbps", 1e3},
                 {"Mbps", 1e6}, {"Gbps", 1e9}, {"k", 1e3},    {"K", 1e3},
                 {"M", 1e6},    {"G", 1e9}};
    size_t i;

    while (*u == ' ') {
        u++;
    }
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(u, units[i].unit) == 0) {
            return units[i].factor;
        }
    }
    return 0;
}

int
agent_diag_bps(const json_t *v, double *bps)
{
    const char *s;
    char       *end;
    double      x, factor;

    if (json_is_number(v)) {
        *bps = json_number_value(v);
        return *bps >= 0 ? 0 : -1;
    }
    s = json_string_value(v);
    if (s == NULL || !(*s >= '0' && *s <= '9')) {
        return -1;
    }
    x = strtod(s, &end);
    factor = agent_diag_bps_unit(end);
    if (factor == 0 || !isfinite(x)) {
        return -1;
    }
    *bps = x * factor;
    return 0;
}

double
agent_diag_round2(double x)
{
    return round(x * 100.0) / 100.0;
}

json_t *
agent_diag_ping_add(agent_ping_stats_t *st, const json_t *row, long seq)
{
    const char *status = agent_ros_field_str(row, "status");
    const char *time = agent_ros_field_str(row, "time");
    int64_t     ttl;
    double      ms = 0;
    int         got;

    got = time != NULL && agent_diag_rtt_ms(time, &ms) == 0 &&
          (status == NULL || *status == '\0' ||
           strcmp(status, "echo reply") == 0);
    st->sent++;
    if (got) {
        if (st->received == 0 || ms < st->min_ms) {
            st->min_ms = ms;
        }
        if (st->received == 0 || ms > st->max_ms) {
            st->max_ms = ms;
        }
        st->sum_ms += ms;
        st->received++;
    }
    if (row == NULL) {
        status = "no reply";
    }
    return json_pack(
        "{s:I, s:b, s:o, s:o, s:o}", "seq", (json_int_t)seq, "received", got,
        "rtt_ms", got ? json_real(agent_diag_round2(ms)) : json_null(),
        "status", status && *status ? json_string(status) : json_null(), "ttl",
        agent_ros_field_int(row, "ttl", &ttl) == 0 ? json_integer(ttl)
                                                   : json_null());
}

double
agent_diag_ping_loss(const agent_ping_stats_t *st)
{
    if (st->sent == 0) {
        return 0;
    }
    return agent_diag_round2(100.0 * (double)(st->sent - st->received) /
                             (double)st->sent);
}

json_t *
agent_diag_last_section(const json_t *reply)
{
    json_t     *rows = json_array();
    const char *last;
    size_t      i, n = json_array_size(reply);

    if (rows == NULL || n == 0) {
        return rows;
    }
    last = agent_ros_field_str(json_array_get(reply, n - 1), ".section");
    for (i = 0; i < n; i++) {
        const char *sec =
            agent_ros_field_str(json_array_get(reply, i), ".section");

        if ((sec == NULL && last == NULL) ||
            (sec != NULL && last != NULL && strcmp(sec, last) == 0)) {
            json_array_append(rows, json_array_get(reply, i));
        }
    }
    return rows;
}

json_t *
agent_diag_hop(const json_t *row, long hop)
{
    const char *address = agent_ros_field_str(row, "address");
    const char *last = agent_ros_field_str(row, "last");
    const char *status = agent_ros_field_str(row, "status");
    double      rtt, loss;
    int         has_rtt;

    has_rtt = agent_diag_rtt_ms(last, &rtt) == 0 ||
              agent_diag_rtt_ms(agent_ros_field_str(row, "avg"), &rtt) == 0;
    if ((status == NULL || *status == '\0') && last != NULL &&
        strcmp(last, "timeout") == 0) {
        status = "timeout";
    }
    return json_pack("{s:I, s:s, s:o, s:o, s:s}", "hop", (json_int_t)hop,
                     "address", address && *address ? address : "*", "rtt_ms",
                     has_rtt ? json_real(agent_diag_round2(rtt)) : json_null(),
                     "loss_percent",
                     agent_ros_field_number(row, "loss", &loss) == 0
                         ? json_real(loss)
                         : json_null(),
                     "status", status ? status : "");
}

/* First of the keys that holds a rate; 1 found, 0 not. */
static int
agent_diag_rate(const json_t *row, const char *key, const char *alt,
                double *bps)
{
    return agent_diag_bps(json_object_get(row, key), bps) == 0 ||
           agent_diag_bps(json_object_get(row, alt), bps) == 0;
}

int
agent_diag_btest_run(const json_t *reply, agent_btest_run_t *run)
{
    const json_t *row = reply;
    const char   *status;
    double        lost;

    memset(run, 0, sizeof(*run));
    run->lost_packets = -1;
    if (json_is_array(reply)) {
        row = json_array_get(reply, json_array_size(reply) - 1);
    }
    if (!json_is_object(row)) {
        return -1;
    }
    status = agent_ros_field_str(row, "status");
    snprintf(run->status, sizeof(run->status), "%s", status ? status : "");
    run->has_tx = agent_diag_rate(row, "tx-total-average", "tx-bits-per-second",
                                  &run->tx_bps);
    run->has_rx = agent_diag_rate(row, "rx-total-average", "rx-bits-per-second",
                                  &run->rx_bps);
    if (agent_ros_field_number(row, "lost-packets", &lost) == 0 ||
        agent_ros_field_number(row, "lost", &lost) == 0) {
        run->lost_packets = lost;
    }
    if (agent_ros_field_number(row, "rx-size", &run->rx_size) != 0) {
        run->rx_size = 0;
    }
    return 0;
}

int
agent_diag_btest_ok(const agent_btest_run_t *run)
{
    return (strcmp(run->status, "done testing") == 0 ||
            strcmp(run->status, "running") == 0) &&
           (run->has_tx || run->has_rx);
}

double
agent_diag_btest_loss(double lost, double rx_bits, double rx_size)
{
    double received;

    if (lost < 0 || rx_size <= 0 || rx_bits <= 0) {
        return -1;
    }
    received = rx_bits / (8.0 * rx_size);
    return agent_diag_round2(100.0 * lost / (lost + received));
}
