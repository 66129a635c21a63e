/*
 * run.h: one apply job being executed (fresh or resumed): the plan, the
 * job row and its device step records; shared by the batch loop
 * (apply.c), the device steps (apply_device.c) and undo (apply_undo.c).
 */
#ifndef AGENT_PLANS_RUN_H
#define AGENT_PLANS_RUN_H

#include "build.h"
#include "store.h"
#include "../jobs/steps.h"
#include "../jobs/store.h"

typedef struct {
    agent_ctx_t         *ctx;
    agent_plan_t        *plan;
    agent_plan_domain_t  domain;
    agent_job_row_t      job;
    agent_job_dev_t     *devs;
    size_t               ndevs;
    const char          *actor;
    int                  halted;    /* a device failed: stop and unwind */
    int                  cancelled; /* stop before the next device */
    int                  handoff;   /* leave the rest to another agent */
} agent_run_t;

/*
 * Brings d from pending/applying to applied (every write verified, each
 * recorded before and after it touches the device), or to failed,
 * rolled_back or rollback_failed. A write left in flight by a crashed
 * agent is settled by reading the device first. Sets r->handoff when a
 * step record cannot be written.
 */
void agent_run_device(agent_run_t *r, agent_job_dev_t *d);

/* Health gate of an applied device: healthy, or reverted. */
void agent_run_health(agent_run_t *r, agent_job_dev_t *d);

/* Reverts d from its recorded undo steps (resuming a partial revert):
 * rolled_back or rollback_failed with why / the failure as message. */
void agent_run_revert(agent_run_t *r, agent_job_dev_t *d, const char *why);

/* The plan's device_statuses entry for d (applied, rolled_back, ...). */
void agent_run_publish(agent_run_t *r, const agent_job_dev_t *d);

/* Undo step of a verified write w from the menu read before it. */
json_t *agent_undo_step(const json_t *w, const json_t *before,
                        const char *created_id);

/*
 * Runs undo step s on dev; a step whose effect is already there (record
 * deleted, removed record present again) counts as done. 0, or -1 with
 * err.
 */
int agent_undo_run(agent_ctx_t *ctx, const agent_device_t *dev,
                   const json_t *s, char *err, size_t errlen);

#endif
