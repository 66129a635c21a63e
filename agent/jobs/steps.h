/*
 * steps.h: the per-device step records of a job (job_devices), written
 * before and after every device write so that a resumed job knows what
 * each device already went through.
 */
#ifndef AGENT_JOBS_STEPS_H
#define AGENT_JOBS_STEPS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>

typedef struct {
    char    device_id[65];
    int     position;
    int     batch;
    char    step[17];      /* see migrations/0005_jobs.sql */
    int     writes_done;   /* plan writes verified on the device */
    json_t *pending_write; /* {"index","before"} of the write in flight */
    json_t *undo;          /* undo steps of the verified writes */
    int     undo_done;     /* undo steps already run, from the last */
    json_t *snapshot_ids;
    char    message[768];
} agent_job_dev_t;

/* The job's devices by position. 0, or -1; free with agent_job_devs_free. */
int agent_job_devs_load(PGconn *pg, const char *job_id,
    agent_job_dev_t **devs, size_t *n, char *err, size_t errlen);

void agent_job_devs_free(agent_job_dev_t *devs, size_t n);

/*
 * Stores every field of d. PostgreSQL being away is waited out (reconnect
 * every 500 ms) for up to AGENT_JOB_STEP_WAIT_S: the caller must not touch
 * the device until its step is recorded. 0, or -1 when it could not be.
 */
#define AGENT_JOB_STEP_WAIT_S 120
int agent_job_dev_save(PGconn *pg, const char *job_id,
    const agent_job_dev_t *d, char *err, size_t errlen);

/* Sets d->step (and the message when msg is not NULL) and saves. */
int agent_job_dev_step(PGconn *pg, const char *job_id, agent_job_dev_t *d,
    const char *step, const char *msg, char *err, size_t errlen);

#endif
