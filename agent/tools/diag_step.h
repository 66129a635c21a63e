/*
 * diag_step.h: what the step loops of the diagnostics tools share: the
 * cancellation and time-budget check between steps and the failure answer.
 */
#ifndef AGENT_TOOLS_DIAG_STEP_H
#define AGENT_TOOLS_DIAG_STEP_H

#include "tool.h"

#include <stdint.h>

/* Time kept back from the job deadline so a partial answer still reaches
 * the client before the module gives up on the job. */
#define AGENT_DIAG_MARGIN_MS 1500

typedef enum {
    AGENT_DIAG_GO = 0,     /* ask the device for the next step */
    AGENT_DIAG_CANCELLED,  /* the client cancelled (mcp:job:{id}:cancel) */
    AGENT_DIAG_OUT_OF_TIME /* budget_end (epoch ms) passed */
} agent_diag_next_t;

/* The end of the time budget: the job deadline less the margin, or
 * start + limit_ms when that is earlier (limit_ms 0 = none). */
int64_t agent_diag_budget(const agent_ctx_t *ctx, int64_t limit_ms);

/* Checked before every step: cancellation first, then the budget. */
agent_diag_next_t agent_diag_next(agent_ctx_t *ctx, int64_t budget_end);

/* The device call failed only because the budget ran out while it was
 * waiting (a timeout at budget_end): the steps so far still make a
 * partial answer. */
int agent_diag_budget_spent(const agent_rest_err_t *rerr, int64_t budget_end);

/* The cancelled answer: a JSON-RPC error naming how far the tool got. */
void agent_diag_cancelled(agent_outcome_t *out, const char *tool,
                          const char *device_id, long done, long total);

/* isError result for a failed device command (path, reason, message). */
void agent_diag_failed(agent_outcome_t *out, const char *device_id,
                       const char *path, const agent_rest_err_t *rerr);

#endif
