/*
 * diag_parse.h: pure parsers of the diagnostics replies (ping rows, the
 * traceroute hop table, bandwidth-test sections) and their summaries.
 */
#ifndef AGENT_TOOLS_DIAG_PARSE_H
#define AGENT_TOOLS_DIAG_PARSE_H

#include <jansson.h>

/*
 * Round-trip time in milliseconds: a RouterOS duration ("5ms945us",
 * "453us", "1ms") or a unitless millisecond number ("0.4", traceroute).
 * 0, or -1 when s is neither.
 */
int agent_diag_rtt_ms(const char *s, double *ms);

/*
 * Bits per second: a JSON number, a decimal string ("941000000") or a rate
 * with a unit ("12.5Mbps", "800kbps", "1.2Gbps", "64bps"; k/K, M, G are
 * powers of 1000). 0, or -1 when v is none of these.
 */
int agent_diag_bps(const json_t *v, double *bps);

/* x rounded to 2 decimal places. */
double agent_diag_round2(double x);

/* Running ping statistics over the packets seen so far. */
typedef struct {
    long   sent, received;
    double min_ms, max_ms, sum_ms; /* over received packets */
} agent_ping_stats_t;

/*
 * Adds one ping reply row to st. A packet counts as received when the row
 * has a "time" and no status other than "echo reply" (ICMP errors such as
 * "host unreachable" carry a time too). Returns a new packet object
 * {seq, received, rtt_ms (number|null), status (string|null), ttl}.
 */
json_t *agent_diag_ping_add(agent_ping_stats_t *st, const json_t *row,
                            long seq);

/* Loss in percent (2 dp), 0 when nothing was sent. */
double agent_diag_ping_loss(const agent_ping_stats_t *st);

/*
 * The rows of the last ".section" of a redrawn table (traceroute repeats
 * the whole hop table per section); rows without .section all count as
 * one section. New array; an empty one for anything but an array.
 */
json_t *agent_diag_last_section(const json_t *reply);

/*
 * One hop object {hop, address ("*" when the hop did not answer), rtt_ms
 * (number|null), loss_percent (number|null), status} from a traceroute
 * row; hop is its 1-based position.
 */
json_t *agent_diag_hop(const json_t *row, long hop);

/* What one bandwidth-test run reported in its final section. */
typedef struct {
    char   status[64];     /* "done testing", "can not connect", ... */
    int    has_tx, has_rx; /* the direction measured that side */
    double tx_bps, rx_bps; /* total averages of the run */
    double lost_packets;   /* -1 when not reported */
    double rx_size;        /* bytes per received packet, 0 unknown */
} agent_btest_run_t;

/*
 * Reads the last row of a bandwidth-test reply (array of sections, or one
 * object). Averages come from *-total-average, else *-bits-per-second.
 * 0, or -1 when the reply has no row at all.
 */
int agent_diag_btest_run(const json_t *reply, agent_btest_run_t *run);

/* The run ended with measurements ("done testing" or "running"). */
int agent_diag_btest_ok(const agent_btest_run_t *run);

/*
 * Packet loss in percent (2 dp) from the lost packets and the bits
 * received in packets of rx_size bytes; -1 when it cannot be known (no
 * loss count, nothing received, unknown packet size).
 */
double agent_diag_btest_loss(double lost, double rx_bits, double rx_size);

#endif
