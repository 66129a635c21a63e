/*
 * diag_btest.c: the bandwidth_test tool (upstream-catalog §5): runs
 * /tool/bandwidth-test towards another registered device in short runs
 * (1 s when progress is asked, else 5 s) and averages them.
 */
#include "diag_parse.h"
#include "diag_step.h"
#include "registry.h"
#include "../core/log.h"

#include <stdio.h>
#include <string.h>

/* Run length when nobody watches progress: few reconnects, and still a
 * cancellation check every few seconds. */
#define AGENT_BTEST_RUN_S 5

typedef struct {
    double seconds;          /* measured so far */
    double tx_bits, rx_bits; /* rate x seconds, summed over runs */
    double lost;             /* -1 until a run reports it */
    double rx_size;
    int    has_tx, has_rx;
} agent_btest_total_t;

static long
agent_arg_long(const json_t *args, const char *key, long fallback)
{
    const json_t *v = json_object_get(args, key);

    return json_is_integer(v) ? (long)json_integer_value(v) : fallback;
}

/* The RouterOS direction word of tx|rx|both. */
static const char *
agent_btest_direction(const char *dir)
{
    if (strcmp(dir, "tx") == 0) {
        return "transmit";
    }
    return strcmp(dir, "rx") == 0 ? "receive" : "both";
}

/*
 * Loads the target device (without its secret: only its management
 * address is used) and applies the target rules. 0, or -1 with out set.
 */
static int
agent_btest_target(agent_ctx_t *ctx, const agent_device_t *src, const char *id,
                   agent_device_t *tgt, agent_outcome_t *out)
{
    if (strcmp(id, src->id) == 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "arguments.target_device_id: must name another device "
                   "than device_id (%s)",
                   id);
        return -1;
    }
    if (agent_tool_device_env(ctx, "target ", id, 0, tgt, out) != 0) {
        return -1;
    }
    if (!tgt->allow_bandwidth_test) {
        agent_fail(out, MCP_ERR_FORBIDDEN,
                   "target device %s does not allow bandwidth tests "
                   "(allow_bandwidth_test is off)",
                   id);
        return -1;
    }
    return 0;
}

static void
agent_btest_add(agent_btest_total_t *t, const agent_btest_run_t *run,
                long seconds)
{
    t->seconds += (double)seconds;
    t->has_tx |= run->has_tx;
    t->has_rx |= run->has_rx;
    t->tx_bits += run->tx_bps * (double)seconds;
    t->rx_bits += run->rx_bps * (double)seconds;
    if (run->lost_packets >= 0) {
        t->lost = (t->lost < 0 ? 0 : t->lost) + run->lost_packets;
    }
    if (run->rx_size > 0) {
        t->rx_size = run->rx_size;
    }
}

static void
agent_btest_progress(agent_ctx_t *ctx, const agent_btest_run_t *run, long done,
                     long duration)
{
    char msg[128];

    snprintf(msg, sizeof(msg), "%ld/%ld s: tx %.2f Mbps, rx %.2f Mbps", done,
             duration, run->tx_bps / 1e6, run->rx_bps / 1e6);
    agent_progress(ctx, (double)done, (double)duration, msg);
}

/* Rate in bits/s (or Mbps when mega) rounded to 2 dp; null when the
 * direction did not measure that side. */
static json_t *
agent_btest_rate(int has, double bits, double seconds, int mega)
{
    double bps;

    if (!has || seconds <= 0) {
        return json_null();
    }
    bps = bits / seconds;
    return json_real(agent_diag_round2(mega ? bps / 1e6 : bps));
}

static json_t *
agent_btest_summary(const agent_device_t *src, const agent_device_t *tgt,
                    const char *dir, long duration,
                    const agent_btest_total_t *t, int partial)
{
    double loss = agent_diag_btest_loss(t->lost, t->rx_bits, t->rx_size);

    return json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:b,"
        " s:s, s:b}",
        "device_id", src->id, "target_device_id", tgt->id, "target", tgt->ip,
        "direction", dir, "duration_seconds", (json_int_t)duration,
        "measured_seconds", t->seconds, "avg_tx_bps",
        agent_btest_rate(t->has_tx, t->tx_bits, t->seconds, 0), "avg_rx_bps",
        agent_btest_rate(t->has_rx, t->rx_bits, t->seconds, 0), "avg_tx_mbps",
        agent_btest_rate(t->has_tx, t->tx_bits, t->seconds, 1), "avg_rx_mbps",
        agent_btest_rate(t->has_rx, t->rx_bits, t->seconds, 1), "lost_packets",
        t->lost >= 0 ? json_integer((json_int_t)t->lost) : json_null(),
        "packet_loss_percent", loss >= 0 ? json_real(loss) : json_null(),
        "partial", partial, "transport", "rest", "fallback_used", 0);
}

/*
 * Runs the test in steps into t until done, cancelled or out of time (in
 * *next). 0, or -1 when a run failed and out holds the isError result.
 */
static int
agent_btest_steps(agent_ctx_t *ctx, const agent_device_t *src,
                  const agent_device_t *tgt, const char *dir, long duration,
                  agent_btest_total_t *t, agent_diag_next_t *next,
                  agent_outcome_t *out)
{
    agent_btest_run_t run;
    agent_rest_err_t  rerr;
    long              step = ctx->job->progress ? 1 : AGENT_BTEST_RUN_S;
    char              secs_text[24];
    int64_t           budget = agent_diag_budget(ctx, 0);

    *next = AGENT_DIAG_GO;
    while (t->seconds < (double)duration) {
        *next = agent_diag_next(ctx, budget);
        if (*next != AGENT_DIAG_GO) {
            return 0;
        }
        long    secs = duration - (long)t->seconds;
        json_t *body, *reply = NULL;

        secs = secs < step ? secs : step;
        snprintf(secs_text, sizeof(secs_text), "%lds", secs);
        body = json_pack("{s:s, s:s, s:s}", "address", tgt->ip, "duration",
                         secs_text, "direction", agent_btest_direction(dir));
        if (agent_rest_call(ctx->rest, src, "POST", "/tool/bandwidth-test",
                            body, budget, &reply, &rerr) != 0) {
            json_decref(body);
            if (agent_diag_budget_spent(&rerr, budget)) {
                *next = AGENT_DIAG_OUT_OF_TIME;
                return 0;
            }
            agent_diag_failed(out, src->id, "/tool/bandwidth-test", &rerr);
            return -1;
        }
        json_decref(body);
        if (agent_diag_btest_run(reply, &run) != 0 ||
            !agent_diag_btest_ok(&run)) {
            agent_result(out, 1, NULL,
                         "bandwidth test from %s to %s (%s) did not run: %s",
                         src->id, tgt->id, tgt->ip,
                         run.status[0] ? run.status : "no report");
            agent_result_meta(
                out, json_pack("{s:s, s:s, s:s, s:s}", "device_id", src->id,
                               "target_device_id", tgt->id, "status",
                               run.status, "transport", "rest"));
            json_decref(reply);
            return -1;
        }
        json_decref(reply);
        agent_btest_add(t, &run, secs);
        agent_btest_progress(ctx, &run, (long)t->seconds, duration);
    }
    return 0;
}

static void
agent_tool_bandwidth_test(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    agent_device_t      src, tgt;
    agent_btest_total_t t = {0, 0, 0, -1, 0, 0, 0};
    agent_diag_next_t   next;
    const char         *tid =
        json_string_value(json_object_get(args, "target_device_id"));
    const char *dir = json_string_value(json_object_get(args, "direction"));
    long        duration = agent_arg_long(args, "duration", 10);
    json_t     *o;

    if (agent_tool_device(ctx, args, &src, out) != 0) {
        return;
    }
    memset(&tgt, 0, sizeof(tgt));
    if (agent_btest_target(ctx, &src, tid ? tid : "", &tgt, out) != 0) {
        goto done;
    }
    dir = dir ? dir : "both";
    if (agent_btest_steps(ctx, &src, &tgt, dir, duration, &t, &next, out) !=
        0) {
        goto done;
    }
    if (next == AGENT_DIAG_CANCELLED) {
        agent_diag_cancelled(out, "bandwidth_test", src.id, (long)t.seconds,
                             duration);
        goto done;
    }
    if (t.seconds <= 0) {
        agent_result(out, 1, NULL,
                     "bandwidth test from %s to %s: no time "
                     "left to run before the deadline",
                     src.id, tgt.id);
        goto done;
    }
    o = agent_btest_summary(&src, &tgt, dir, duration, &t,
                            next == AGENT_DIAG_OUT_OF_TIME);
    agent_result(out, 0, o,
                 "bandwidth test %s -> %s (%s, %s, %.0f s): tx %.2f Mbps, "
                 "rx %.2f Mbps%s",
                 src.id, tgt.id, tgt.ip, dir, t.seconds,
                 t.has_tx ? t.tx_bits / t.seconds / 1e6 : 0.0,
                 t.has_rx ? t.rx_bits / t.seconds / 1e6 : 0.0,
                 next == AGENT_DIAG_OUT_OF_TIME ? " (stopped at the time limit)"
                                                : "");
done:
    agent_device_release(&tgt);
    agent_device_release(&src);
}

const agent_tool_def_t agent_tools_diag_btest[] = {
    {"bandwidth_test", agent_tool_bandwidth_test}, {NULL, NULL}};
