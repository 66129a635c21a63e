/*
 * wait.h: how a running job waits and stops: the pause between batches as
 * a condition wait woken by cancellation and agent shutdown, and the
 * cancellation checks (client's notifications/cancelled, cancel_job).
 */
#ifndef AGENT_JOBS_WAIT_H
#define AGENT_JOBS_WAIT_H

#include "../tools/tool.h"

/* Agent shutdown: running jobs stop at their next safe point and are left
 * to another agent. Called once by main on SIGTERM/SIGINT. */
void agent_jobs_stop(void);
int  agent_jobs_stopping(void);

/* Wakes every pausing job of this process to re-check cancellation. */
void agent_jobs_poke(void);

/* 1 when the job's cancellation was requested: the cancel key of the
 * tools/call carrying it set by the client (notifications/cancelled, a
 * closed modern stream; not the call's deadline, which a started job
 * outlives) or jobs.cancellation_requested (cancel_job, `job cancel`). */
int agent_job_cancel_wanted(agent_ctx_t *ctx, const char *job_id);

typedef enum {
    AGENT_WAIT_DONE = 0,  /* until_ms reached */
    AGENT_WAIT_CANCELLED, /* cancellation requested */
    AGENT_WAIT_STOPPING   /* agent shutting down */
} agent_wait_t;

/* Waits until until_ms (epoch ms), re-checking cancellation at least once
 * a second and waking at once on shutdown or a local cancel_job. */
agent_wait_t agent_job_pause(agent_ctx_t *ctx, const char *job_id,
                             int64_t until_ms);

#endif
