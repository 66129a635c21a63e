/*
 * diag_ping.c: the ping tool (upstream-catalog §5): one POST /ping
 * with count=1 per packet, so progress and cancellation act per packet.
 */
#include "diag_parse.h"
#include "diag_step.h"
#include "log_notify.h"
#include "registry.h"
#include "../core/clock.h"
#include "../routeros/values.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Packets leave at most this often (count=1 calls would otherwise follow
 * each other as fast as the device answers). */
#define AGENT_PING_INTERVAL_MS 200

static long
agent_arg_long(const json_t *args, const char *key, long fallback)
{
    const json_t *v = json_object_get(args, key);

    return json_is_integer(v) ? (long)json_integer_value(v) : fallback;
}

static void
agent_ping_pace(double since_ms)
{
    double          wait = AGENT_PING_INTERVAL_MS - since_ms;
    struct timespec ts;

    if (wait <= 0) {
        return;
    }
    ts.tv_sec = (time_t)(wait / 1000);
    ts.tv_nsec = (long)((wait - (double)ts.tv_sec * 1000) * 1e6);
    nanosleep(&ts, NULL);
}

/* Progress line of one packet: "seq 2: reply in 0.31 ms" / "seq 2: timeout". */
static void
agent_ping_progress(agent_ctx_t *ctx, const json_t *pkt, long seq, long count)
{
    char        msg[128];
    const char *status = json_string_value(json_object_get(pkt, "status"));

    if (json_is_true(json_object_get(pkt, "received"))) {
        snprintf(msg, sizeof(msg), "seq %ld: reply in %.2f ms", seq,
                 json_number_value(json_object_get(pkt, "rtt_ms")));
    } else {
        snprintf(msg, sizeof(msg), "seq %ld: %s", seq,
                 status ? status : "no reply");
    }
    agent_progress(ctx, (double)seq + 1, (double)count, msg);
    agent_log_notify(ctx, "debug", "ping", "%s", msg);
}

static json_t *
agent_ping_summary(const agent_device_t *dev, const char *target,
                   const char *host, const agent_ping_stats_t *st,
                   json_t *packets, long count, long size, int partial)
{
    int got = st->received > 0;

    return json_pack(
        "{s:s, s:s, s:s, s:I, s:I, s:f, s:o, s:o, s:o, s:I, s:I, s:o, s:b,"
        " s:s, s:b}",
        "device_id", dev->id, "target", target, "host", host, "packets_sent",
        (json_int_t)st->sent, "packets_received", (json_int_t)st->received,
        "packet_loss_percent", agent_diag_ping_loss(st), "min_rtt_ms",
        got ? json_real(agent_diag_round2(st->min_ms)) : json_null(),
        "avg_rtt_ms",
        got ? json_real(agent_diag_round2(st->sum_ms / (double)st->received))
            : json_null(),
        "max_rtt_ms",
        got ? json_real(agent_diag_round2(st->max_ms)) : json_null(), "count",
        (json_int_t)count, "packet_size", (json_int_t)size, "packets", packets,
        "partial", partial, "transport", "rest", "fallback_used", 0);
}

static void
agent_tool_ping(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    agent_device_t     dev;
    agent_ping_stats_t st;
    agent_rest_err_t   rerr;
    agent_diag_next_t  next = AGENT_DIAG_GO;
    json_t            *body, *reply = NULL, *packets, *pkt, *row;
    const char *target = json_string_value(json_object_get(args, "target"));
    long        count = agent_arg_long(args, "count", 4);
    long        size = agent_arg_long(args, "packet_size", 64), seq;
    char        size_text[24], host[64] = "", rtt[96];
    int64_t     budget;
    double      started = 0;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    memset(&st, 0, sizeof(st));
    snprintf(size_text, sizeof(size_text), "%ld", size);
    body = json_pack("{s:s, s:s, s:s}", "address", target, "count", "1", "size",
                     size_text);
    packets = json_array();
    budget = agent_diag_budget(ctx, 0);
    for (seq = 0; seq < count; seq++) {
        if (seq > 0) {
            agent_ping_pace(agent_mono_ms() - started);
        }
        next = agent_diag_next(ctx, budget);
        if (next != AGENT_DIAG_GO) {
            break;
        }
        started = agent_mono_ms();
        if (agent_rest_call(ctx->rest, &dev, "POST", "/ping", body, budget,
                            &reply, &rerr) != 0) {
            if (agent_diag_budget_spent(&rerr, budget)) {
                next = AGENT_DIAG_OUT_OF_TIME;
                break;
            }
            agent_diag_failed(out, dev.id, "/ping", &rerr);
            goto done;
        }
        row = json_is_array(reply) ? json_array_get(reply, 0) : reply;
        if (host[0] == '\0' && agent_ros_field_str(row, "host")) {
            snprintf(host, sizeof(host), "%s",
                     agent_ros_field_str(row, "host"));
        }
        pkt = agent_diag_ping_add(&st, json_is_object(row) ? row : NULL, seq);
        agent_ping_progress(ctx, pkt, seq, count);
        json_array_append_new(packets, pkt);
        json_decref(reply);
        reply = NULL;
    }
    if (next == AGENT_DIAG_CANCELLED) {
        agent_diag_cancelled(out, "ping", dev.id, st.sent, count);
        goto done;
    }
    if (st.sent == 0) {
        agent_result(out, 1, NULL,
                     "ping %s from %s: no time left to send a "
                     "packet before the deadline",
                     target, dev.id);
        goto done;
    }
    snprintf(rtt, sizeof(rtt), " (no replies)");
    if (st.received > 0) {
        snprintf(rtt, sizeof(rtt), ", rtt min/avg/max %.2f/%.2f/%.2f ms",
                 st.min_ms, st.sum_ms / (double)st.received, st.max_ms);
    }
    agent_result(
        out, 0,
        agent_ping_summary(&dev, target, host[0] ? host : target, &st,
                           json_incref(packets), count, size, st.sent < count),
        "ping %s from %s: %ld sent, %ld received, %.2f%% loss%s%s", target,
        dev.id, st.sent, st.received, agent_diag_ping_loss(&st), rtt,
        st.sent < count ? " (stopped at the time limit)" : "");
done:
    json_decref(packets);
    json_decref(reply);
    json_decref(body);
    agent_device_release(&dev);
}

const agent_tool_def_t agent_tools_diag_ping[] = {{"ping", agent_tool_ping},
                                                  {NULL, NULL}};
