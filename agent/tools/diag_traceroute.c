/*
 * diag_traceroute.c: the traceroute tool (upstream-catalog §5), asked hop
 * by hop (count=1, max-hops=1, 2, ...) so progress and cancellation are
 * per hop; stops at the target, at max_hops or at timeout_seconds.
 */
#include "diag_parse.h"
#include "diag_step.h"
#include "registry.h"

#include <stdio.h>
#include <string.h>

static long
agent_arg_long(const json_t *args, const char *key, long fallback)
{
    const json_t *v = json_object_get(args, key);

    return json_is_integer(v) ? (long)json_integer_value(v) : fallback;
}

static void
agent_hop_progress(agent_ctx_t *ctx, const json_t *hop, long n, long max)
{
    char          msg[128];
    const json_t *rtt = json_object_get(hop, "rtt_ms");

    if (json_is_number(rtt)) {
        snprintf(msg, sizeof(msg), "hop %ld: %s %.2f ms", n,
                 json_string_value(json_object_get(hop, "address")),
                 json_number_value(rtt));
    } else {
        snprintf(msg, sizeof(msg), "hop %ld: %s", n,
                 json_string_value(json_object_get(hop, "address")));
    }
    agent_progress(ctx, (double)n, (double)max, msg);
}

/* Hop addresses joined for the text ("10.0.0.1 > 100.64.12.1 > *"). */
static void
agent_hops_text(const json_t *hops, char *buf, size_t len)
{
    size_t  i, n = 0;
    json_t *h;

    buf[0] = '\0';
    json_array_foreach(hops, i, h)
    {
        n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
                              i ? " > " : "",
                              json_string_value(json_object_get(h, "address")));
        if (n >= len) {
            break;
        }
    }
}

static void
agent_tool_traceroute(agent_ctx_t *ctx, const json_t *args,
                      agent_outcome_t *out)
{
    agent_device_t    dev;
    agent_rest_err_t  rerr;
    agent_diag_next_t next = AGENT_DIAG_GO;
    json_t           *body = NULL, *reply = NULL, *rows = NULL, *hops, *hop;
    const char *target = json_string_value(json_object_get(args, "target"));
    const char *addr;
    long        max_hops = agent_arg_long(args, "max_hops", 30), k;
    long        limit_s = agent_arg_long(args, "timeout_seconds", 60);
    char        text[1024], hops_text[768];
    int64_t     budget;
    int         reached = 0;

    if (agent_tool_device(ctx, args, &dev, out) != 0) {
        return;
    }
    hops = json_array();
    budget = agent_diag_budget(ctx, (int64_t)limit_s * 1000);
    for (k = 1; k <= max_hops && !reached; k++) {
        next = agent_diag_next(ctx, budget);
        if (next != AGENT_DIAG_GO) {
            break;
        }
        snprintf(hops_text, sizeof(hops_text), "%ld", k);
        body = json_pack("{s:s, s:s, s:s}", "address", target, "count", "1",
                         "max-hops", hops_text);
        if (agent_rest_call(ctx->rest, &dev, "POST", "/tool/traceroute", body,
                            budget, &reply, &rerr) != 0) {
            if (agent_diag_budget_spent(&rerr, budget)) {
                next = AGENT_DIAG_OUT_OF_TIME;
                break;
            }
            agent_diag_failed(out, dev.id, "/tool/traceroute", &rerr);
            goto done;
        }
        rows = agent_diag_last_section(reply);
        if ((long)json_array_size(rows) < k) {
            /* the path ended before hop k: the hop before was the target */
            reached = json_array_size(rows) > 0 &&
                      json_array_size(hops) == json_array_size(rows);
            break;
        }
        hop = agent_diag_hop(json_array_get(rows, (size_t)k - 1), k);
        addr = json_string_value(json_object_get(hop, "address"));
        reached = addr != NULL && strcmp(addr, target) == 0;
        agent_hop_progress(ctx, hop, k, max_hops);
        json_array_append_new(hops, hop);
        json_decref(rows);
        json_decref(reply);
        json_decref(body);
        rows = reply = body = NULL;
    }
    if (next == AGENT_DIAG_CANCELLED) {
        agent_diag_cancelled(out, "traceroute", dev.id,
                             (long)json_array_size(hops), max_hops);
        goto done;
    }
    agent_hops_text(hops, hops_text, sizeof(hops_text));
    snprintf(text, sizeof(text), "traceroute %s from %s: %s in %zu hops%s: %s",
             target, dev.id, reached ? "reached" : "not reached",
             json_array_size(hops),
             next == AGENT_DIAG_OUT_OF_TIME ? " (stopped at the time limit)"
                                            : "",
             hops_text);
    agent_result(out, 0,
                 json_pack("{s:s, s:s, s:O, s:I, s:b, s:I, s:b, s:s, s:b}",
                           "device_id", dev.id, "target", target, "hops", hops,
                           "total_hops", (json_int_t)json_array_size(hops),
                           "reached_target", reached, "max_hops",
                           (json_int_t)max_hops, "partial",
                           next == AGENT_DIAG_OUT_OF_TIME, "transport", "rest",
                           "fallback_used", 0),
                 "%s", text);
done:
    json_decref(hops);
    json_decref(rows);
    json_decref(reply);
    json_decref(body);
    agent_device_release(&dev);
}

const agent_tool_def_t agent_tools_diag_traceroute[] = {
    {"traceroute", agent_tool_traceroute}, {NULL, NULL}};
