/*
 * diag_step.c: what the step loops of the diagnostics tools share: the
 * cancellation and time-budget check between steps and the failure answer.
 */
#include "diag_step.h"
#include "../../shared/protocol/keys.h"
#include "../core/clock.h"
#include "../core/log.h"

#include <stdio.h>

int64_t
agent_diag_budget(const agent_ctx_t *ctx, int64_t limit_ms)
{
    int64_t end = ctx->deadline - AGENT_DIAG_MARGIN_MS;

    if (limit_ms > 0 && agent_now_ms() + limit_ms < end) {
        end = agent_now_ms() + limit_ms;
    }
    return end;
}

agent_diag_next_t
agent_diag_next(agent_ctx_t *ctx, int64_t budget_end)
{
    char        key[MCP_KEY_MAX], err[256];
    const char *argv[] = {"EXISTS", key};
    redisReply *reply;
    int         cancelled;

    snprintf(key, sizeof(key), MCP_KEY_JOB_CANCEL_FMT, ctx->job->id);
    reply = agent_redis_cmd(ctx->redis, err, sizeof(err), 2, argv);
    if (reply == NULL) {
        /* Redis away: keep going; the deadline still bounds the loop */
        agent_warn("job %s: cancellation check failed: %s", ctx->job->id, err);
    }
    cancelled =
        reply && reply->type == REDIS_REPLY_INTEGER && reply->integer > 0;
    freeReplyObject(reply);
    if (cancelled) {
        return AGENT_DIAG_CANCELLED;
    }
    return agent_now_ms() >= budget_end ? AGENT_DIAG_OUT_OF_TIME
                                        : AGENT_DIAG_GO;
}

int
agent_diag_budget_spent(const agent_rest_err_t *rerr, int64_t budget_end)
{
    return rerr->code == AGENT_REST_TIMEOUT && agent_now_ms() >= budget_end;
}

void
agent_diag_cancelled(agent_outcome_t *out, const char *tool,
                     const char *device_id, long done, long total)
{
    agent_fail(out, MCP_ERR_CANCELLED,
               "%s on %s was cancelled by the client after %ld of %ld steps",
               tool, device_id, done, total);
}

void
agent_diag_failed(agent_outcome_t *out, const char *device_id, const char *path,
                  const agent_rest_err_t *rerr)
{
    agent_result(out, 1, NULL, "%s failed on %s (%s): %s", path, device_id,
                 agent_rest_reason(rerr->code), rerr->message);
    agent_result_meta(
        out, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "device_id", device_id,
                       "command", path, "failure_reason",
                       agent_rest_reason(rerr->code), "error", rerr->message,
                       "status_code", rerr->http_status, "transport", "rest"));
}
