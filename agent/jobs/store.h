/*
 * store.h: the jobs table: a job's row, its state machine (pending ->
 * running -> completed | failed | cancelled), progress and cancellation.
 */
#ifndef AGENT_JOBS_STORE_H
#define AGENT_JOBS_STORE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char    id[65];
    char    plan_id[65];
    char    status[17];
    char    request_id[65];
    int     batch_count;
    int     attempts;
    int     cancel;      /* cancellation_requested */
    int64_t next_run_ms; /* end of the current pause, 0 when none */
    json_t *result;      /* result_summary of a finished job, or NULL */
} agent_job_row_t;

/* Fills id with "job-<UTC stamp>-<8 hex>". 0 or -1. */
int agent_job_new_id(char id[65]);

/*
 * Inside the caller's open transaction: the job row (pending), one
 * job_devices row per device (batch = position / batch_size) and the
 * JOB_CREATED audit event. request_id is the tools/call job carrying it.
 */
int agent_job_insert(PGconn *pg, const char *id, const char *plan_id,
    const char *request_id, const char *tool, const char *actor,
    const json_t *device_ids, int batch_size, char *err, size_t errlen);

/* 0 loaded, 1 no such job, -1 error; release with agent_job_row_release. */
int agent_job_by_request(PGconn *pg, const char *request_id,
    agent_job_row_t *job, char *err, size_t errlen);
int agent_job_load(PGconn *pg, const char *id, agent_job_row_t *job,
    char *err, size_t errlen);
void agent_job_row_release(agent_job_row_t *job);

/*
 * Moves the job from -> to with its audit event (JOB_RUNNING, JOB_RESUMED
 * for running -> running, JOB_COMPLETED, JOB_FAILED, JOB_CANCELLED) in one
 * transaction. Entering running counts an attempt and names agent_id;
 * a final state stores result (may be NULL) and error (may be NULL).
 */
int agent_job_move(PGconn *pg, const char *id, const char *from,
    const char *to, const char *actor, const char *agent_id,
    const json_t *result, const char *error, char *err, size_t errlen);

/* progress_percent and current_device_id (NULL clears it). */
int agent_job_progress(PGconn *pg, const char *id, int percent,
    const char *device_id, char *err, size_t errlen);

/* next_run_at: the end of the pause before the next batch (0 clears). */
int agent_job_next_run(PGconn *pg, const char *id, int64_t at_ms,
    char *err, size_t errlen);

/*
 * Sets cancellation_requested with the JOB_CANCEL_REQUESTED audit event.
 * 0 done, 1 no such job, 2 the job already finished (status in err), -1.
 */
int agent_job_request_cancel(PGconn *pg, const char *id, const char *actor,
    char *err, size_t errlen);

/*
 * 1 when the tools/call request_id carries a job that started and has not
 * finished: its redelivery must run the handler (which resumes the job and
 * honours cancellation itself) even past the call's deadline or after the
 * client cancelled. 0 otherwise, also when PostgreSQL cannot say.
 */
int agent_job_started(PGconn *pg, const char *request_id);

/* 1 when status is completed, failed or cancelled. */
int agent_job_final(const char *status);

#endif
