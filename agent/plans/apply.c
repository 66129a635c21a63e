/*
 * apply.c: plan execution as a job. The first delivery of an apply_* call
 * checks and spends the token and creates the job in one transaction; any
 * delivery (the first, or a redelivery after an agent died) then runs the
 * job from its step records: batches, health gate, pause, cancellation,
 * unwind, final states of job and plan. config_rollback_plan is here too.
 */
#include "apply.h"
#include "run.h"
#include "state.h"
#include "../../shared/approval/token.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../db/pg.h"
#include "../jobs/wait.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The token check: key, content hash recomputed, MAC (spent later, with
 * the job's creation). */
static int
agent_apply_verify(agent_plan_t *plan, const char *token, char *token_id,
                   char *err, size_t errlen)
{
    mcp_token_key_t key;
    char            hash[65];
    int64_t         expires;
    int             rc;

    if (mcp_token_key_from_env(&key, err, errlen) != 0) {
        return -1;
    }
    rc = -1;
    if (agent_plan_hash(plan->changes, hash) != 0
        || strcmp(hash, plan->content_hash) != 0)
    {
        snprintf(err, errlen, "plan %s content no longer matches the hash it "
                 "was created and approved with: refused", plan->id);
    } else if (plan->approved_by[0] == '\0') {
        snprintf(err, errlen, "plan %s is %s and has not been approved",
                 plan->id, plan->status);
    } else {
        rc = mcp_token_verify(&key, token, plan->id, hash, plan->approved_by,
                              (int64_t) time(NULL), token_id, &expires, err,
                              errlen);
    }
    memset(&key, 0, sizeof(key));
    return rc;
}

typedef struct {
    const char   *job_id;
    agent_ctx_t  *ctx;
    agent_plan_t *plan;
    const char   *actor;
} agent_apply_new_t;

static int
agent_apply_insert(PGconn *pg, void *arg, char *err, size_t errlen)
{
    agent_apply_new_t *n = arg;

    return agent_job_insert(pg, n->job_id, n->plan->id, n->ctx->job->id,
                            n->ctx->job->name, n->actor, n->plan->device_ids,
                            n->plan->batch_size, err, errlen);
}

/* Devices that were started, as the plan records them. */
static json_t *
agent_apply_report(agent_run_t *r, json_t **skipped)
{
    json_t *devices = json_array();
    json_t *st;
    size_t  i;

    *skipped = json_array();
    for (i = 0; i < r->ndevs; i++) {
        if (strcmp(r->devs[i].step, "pending") == 0
            || strcmp(r->devs[i].step, "skipped") == 0)
        {
            json_array_append_new(*skipped,
                                  json_string(r->devs[i].device_id));
            continue;
        }
        st = json_object_get(r->plan->device_statuses, r->devs[i].device_id);
        if (st != NULL) {
            json_array_append(devices, st);
        }
    }
    return devices;
}

static int
agent_apply_step_is(const agent_job_dev_t *d, const char *a, const char *b)
{
    return strcmp(d->step, a) == 0 || (b != NULL && strcmp(d->step, b) == 0);
}

/* Percent of devices past their work, the device now worked on (NULL:
 * none), and a progress notification saying what. */
static void
agent_apply_progress(agent_run_t *r, const agent_job_dev_t *cur,
                     const char *what)
{
    char   err[256], msg[128];
    size_t i, done = 0;

    for (i = 0; i < r->ndevs; i++) {
        done += !agent_apply_step_is(&r->devs[i], "pending", "applying");
    }
    agent_job_progress(r->ctx->pg, r->job.id,
                       (int) (r->ndevs ? done * 100 / r->ndevs : 100),
                       cur ? cur->device_id : NULL, err, sizeof(err));
    snprintf(msg, sizeof(msg), "%s%s", what, cur ? cur->device_id : "");
    agent_progress(r->ctx, (double) done, (double) r->ndevs, msg);
}

/* Pause before batch b: resumes a pause a dead agent had started. */
static void
agent_apply_pause(agent_run_t *r)
{
    char    err[256];
    int64_t until = r->job.next_run_ms;

    if (r->plan->pause_seconds <= 0) {
        return;
    }
    if (until == 0) {
        until = agent_now_ms() + (int64_t) r->plan->pause_seconds * 1000;
        agent_job_next_run(r->ctx->pg, r->job.id, until, err, sizeof(err));
    }
    switch (agent_job_pause(r->ctx, r->job.id, until)) {
    case AGENT_WAIT_CANCELLED:
        r->cancelled = 1;
        break;
    case AGENT_WAIT_STOPPING:
        r->handoff = 1;
        return;
    case AGENT_WAIT_DONE:
        break;
    }
    r->job.next_run_ms = 0;
    agent_job_next_run(r->ctx->pg, r->job.id, 0, err, sizeof(err));
}

/* Batch b: its devices one by one, then the health gate over them. */
static void
agent_apply_batch(agent_run_t *r, int b)
{
    agent_job_dev_t *d;
    size_t           i;
    int              fresh = 1;

    for (i = 0; i < r->ndevs; i++) {
        if (r->devs[i].batch == b && !agent_apply_step_is(&r->devs[i],
                                                          "pending", NULL))
        {
            fresh = 0;
        }
    }
    if (fresh && b > 0) {
        agent_apply_pause(r);
    } else if (fresh && agent_job_cancel_wanted(r->ctx, r->job.id)) {
        r->cancelled = 1;
    }
    if (agent_jobs_stopping()) {
        r->handoff = 1;
    }
    for (i = 0; i < r->ndevs && !r->halted && !r->cancelled && !r->handoff;
         i++)
    {
        d = &r->devs[i];
        if (d->batch != b || !agent_apply_step_is(d, "pending", "applying")) {
            continue;
        }
        agent_apply_progress(r, d, "applying to ");
        agent_run_device(r, d);
        if (r->handoff) {
            return;
        }
        agent_run_publish(r, d);
        r->halted = !agent_apply_step_is(d, "applied", NULL);
        /* cancelled: this device is finished, no further one starts */
        r->cancelled = agent_job_cancel_wanted(r->ctx, r->job.id);
    }
    for (i = 0; i < r->ndevs && !r->handoff; i++) {
        d = &r->devs[i];
        if (d->batch == b && agent_apply_step_is(d, "applied", "reverting")) {
            if (strcmp(d->step, "applied") == 0) {
                agent_run_health(r, d);
            } else {
                agent_run_revert(r, d, d->message);
                r->halted = 1;
            }
            agent_run_publish(r, d);
        }
    }
    if (!r->handoff) {
        agent_apply_progress(r, NULL, "batch done");
    }
}

/* After a halt: reverts every device still changed. 0 when none is left
 * changed. */
static int
agent_apply_unwind(agent_run_t *r)
{
    agent_job_dev_t *d;
    size_t           i;
    int              clean = 1;

    for (i = 0; i < r->ndevs && !r->handoff; i++) {
        d = &r->devs[i];
        if (r->plan->rollback_on_failure
            && agent_apply_step_is(d, "applied", "healthy"))
        {
            agent_run_revert(r, d, "rolled back: the plan halted");
            agent_run_publish(r, d);
        } else if (strcmp(d->step, "reverting") == 0) {
            agent_run_revert(r, d, d->message);
            agent_run_publish(r, d);
        }
        if (!agent_apply_step_is(d, "rolled_back", "failed")
            && !agent_apply_step_is(d, "pending", "skipped"))
        {
            clean = 0;
        }
    }
    return clean ? 0 : -1;
}

static int
agent_apply_changed(const agent_run_t *r)
{
    size_t i;

    for (i = 0; i < r->ndevs; i++) {
        if (!agent_apply_step_is(&r->devs[i], "pending", "skipped")
            && !agent_apply_step_is(&r->devs[i], "failed", "applying"))
        {
            return 1;
        }
    }
    return 0;
}

static void
agent_apply_skip_rest(agent_run_t *r)
{
    char   err[256];
    size_t i;

    for (i = 0; i < r->ndevs; i++) {
        if (strcmp(r->devs[i].step, "pending") == 0) {
            agent_job_dev_step(r->ctx->pg, r->job.id, &r->devs[i], "skipped",
                               r->cancelled ? "job cancelled before this "
                               "device" : "plan halted before this device",
                               err, sizeof(err));
            agent_run_publish(r, &r->devs[i]);
        }
    }
}

/* Moves the plan out of executing / rolling_back as the steps say. */
static void
agent_apply_conclude(agent_run_t *r)
{
    const char *id = r->plan->id;
    char        err[512];
    const char *final;

    if (strcmp(r->plan->status, "executing") == 0) {
        agent_apply_skip_rest(r);
        if (!r->halted && r->cancelled) {
            agent_plan_transition(r->ctx->pg, id, "executing", "cancelled",
                                  "PLAN_EXECUTION_CANCELLED", r->actor,
                                  "job cancelled", err, sizeof(err));
            return;
        }
        if (!r->halted) {
            agent_plan_transition(r->ctx->pg, id, "executing", "completed",
                                  "PLAN_EXECUTION_COMPLETED", r->actor,
                                  "all devices applied", err, sizeof(err));
            return;
        }
        if (!agent_apply_changed(r)) {
            agent_plan_transition(r->ctx->pg, id, "executing", "failed",
                                  "PLAN_EXECUTION_FAILED", r->actor,
                                  "nothing was changed", err, sizeof(err));
            return;
        }
        if (agent_plan_transition(r->ctx->pg, id, "executing",
                                  "rolling_back", "PLAN_ROLLBACK_INITIATED",
                                  r->actor, "halted", err, sizeof(err)) != 0)
        {
            r->handoff = 1;
            return;
        }
        snprintf(r->plan->status, sizeof(r->plan->status), "rolling_back");
    }
    if (strcmp(r->plan->status, "rolling_back") == 0) {
        final = agent_apply_unwind(r) == 0 ? "rolled_back" : "failed";
        if (r->handoff) {
            return;
        }
        agent_plan_transition(r->ctx->pg, id, "rolling_back", final,
                              "PLAN_ROLLBACK_COMPLETED", r->actor, final,
                              err, sizeof(err));
    }
}

/* Final job state, the stored report and the answer. */
static void
agent_apply_answer(agent_run_t *r, agent_outcome_t *out)
{
    agent_plan_t plan;
    json_t      *report, *devices, *skipped;
    const char  *jst;
    char         err[512];

    if (agent_plan_load(r->ctx->pg, r->plan->id, &plan, err, sizeof(err))
        != 0)
    {
        out->handed_off = 1;
        return;
    }
    json_decref(r->plan->device_statuses);
    r->plan->device_statuses = json_incref(plan.device_statuses);
    devices = agent_apply_report(r, &skipped);
    report = json_pack("{s:s, s:s, s:s, s:o, s:o}", "plan_id", plan.id,
                       "status", plan.status, "job_id", r->job.id,
                       "devices", devices, "skipped", skipped);
    jst = strcmp(plan.status, "completed") == 0   ? "completed"
          : strcmp(plan.status, "cancelled") == 0 ? "cancelled"
                                                  : "failed";
    if (!agent_job_final(r->job.status)
        && agent_job_move(r->ctx->pg, r->job.id, "running", jst, r->actor,
                          r->ctx->cfg->agent_id, report,
                          strcmp(jst, "failed") == 0 ? plan.status : NULL,
                          err, sizeof(err)) != 0)
    {
        agent_warn("job %s: final state not recorded: %s", r->job.id, err);
    }
    agent_apply_progress(r, NULL, "plan finished");
    agent_result(out, strcmp(jst, "failed") == 0, report,
                 "Plan %s %s on %zu device(s) (job %s).", plan.id,
                 plan.status, json_array_size(devices), r->job.id);
    agent_plan_release(&plan);
}

/* Runs (or resumes) the job of r, whose plan and job rows are loaded. */
static void
agent_apply_run(agent_run_t *r, agent_outcome_t *out)
{
    char err[512];
    int  b;

    if (!agent_job_final(r->job.status)) {
        if (agent_job_move(r->ctx->pg, r->job.id, r->job.status, "running",
                           r->actor, r->ctx->cfg->agent_id, NULL, NULL, err,
                           sizeof(err)) != 0)
        {
            agent_result(out, 1, json_pack("{s:s, s:s}", "plan_id",
                         r->plan->id, "job_id", r->job.id),
                         "job %s cannot run: %s", r->job.id, err);
            return;
        }
        snprintf(r->job.status, sizeof(r->job.status), "running");
    }
    if (agent_job_devs_load(r->ctx->pg, r->job.id, &r->devs, &r->ndevs, err,
                            sizeof(err)) != 0)
    {
        out->handed_off = 1;
        return;
    }
    /* a resumed job that had halted keeps halting */
    for (b = 0; (size_t) b < r->ndevs; b++) {
        if (agent_apply_step_is(&r->devs[b], "failed", "rolled_back")
            || agent_apply_step_is(&r->devs[b], "rollback_failed",
                                   "reverting"))
        {
            r->halted = 1;
        }
    }
    for (b = 0; b < r->job.batch_count && !r->halted && !r->cancelled
                && !r->handoff && strcmp(r->plan->status, "executing") == 0;
         b++)
    {
        agent_apply_batch(r, b);
    }
    if (!r->handoff) {
        agent_apply_conclude(r);
    }
    if (r->handoff) {
        agent_warn("job %s: stopped at a safe point; another agent resumes "
                   "it", r->job.id);
        out->handed_off = 1;
        return;
    }
    agent_apply_answer(r, out);
}

/* First delivery: plan checks, token, the job created with the spend. */
static int
agent_apply_start(agent_ctx_t *ctx, agent_plan_t *plan, const char *token,
                  const char *actor, agent_outcome_t *out)
{
    agent_apply_new_t n;
    char              err[768], job_id[65];
    char              token_id[MCP_TOKEN_ID_LEN + 1];

    if (agent_apply_verify(plan, token, token_id, err, sizeof(err)) != 0
        || agent_job_new_id(job_id) != 0)
    {
        agent_result(out, 1, json_pack("{s:s, s:s}", "plan_id", plan->id,
                     "status", plan->status), "Plan %s not applied: %s",
                     plan->id, err);
        return -1;
    }
    n.job_id = job_id;
    n.ctx = ctx;
    n.plan = plan;
    n.actor = actor;
    if (agent_plan_start(ctx->pg, plan->id, token_id, actor,
                         agent_apply_insert, &n, err, sizeof(err)) != 0)
    {
        agent_result(out, 1, json_pack("{s:s, s:s}", "plan_id", plan->id,
                     "status", plan->status), "Plan %s not applied: %s",
                     plan->id, err);
        return -1;
    }
    snprintf(plan->status, sizeof(plan->status), "executing");
    return 0;
}

void
agent_plan_apply(agent_ctx_t *ctx, const json_t *args,
                 agent_plan_domain_t domain, agent_outcome_t *out)
{
    const char  *id = json_string_value(json_object_get(args, "plan_id"));
    const char  *token = json_string_value(json_object_get(args,
                                                           "approval_token"));
    const char  *pd;
    agent_plan_t plan;
    agent_run_t  r;
    char         err[768];
    int          rc, jrc;

    memset(&r, 0, sizeof(r));
    r.ctx = ctx;
    r.domain = domain;
    r.plan = &plan;
    r.actor = ctx->job->subject ? ctx->job->subject : "anonymous";
    jrc = agent_job_by_request(ctx->pg, ctx->job->id, &r.job, err,
                               sizeof(err));
    if (jrc < 0) {
        /* PostgreSQL cannot say whether this call already started a job:
         * leave it for a later delivery rather than guess */
        agent_warn("apply of %s: %s; leaving the call for redelivery", id,
                   err);
        out->handed_off = 1;
        return;
    }
    rc = agent_plan_load(ctx->pg, id, &plan, err, sizeof(err));
    if (rc != 0) {
        if (jrc == 0) {
            agent_job_row_release(&r.job);
        }
        agent_result(out, 1, json_pack("{s:s, s:s}", "plan_id", id, "status",
                     "not_found"), "%s", rc == 1 ? "plan not found" : err);
        return;
    }
    pd = json_string_value(json_object_get(plan.changes, "domain"));
    if (jrc == 1
        && (pd == NULL || strcmp(pd, agent_plan_domain_name(domain)) != 0))
    {
        agent_result(out, 1, json_pack("{s:s, s:s}", "plan_id", id, "status",
                     plan.status), "plan %s is a %s plan, not %s", id,
                     pd ? pd : "?", agent_plan_domain_name(domain));
    } else if (jrc == 1) {
        if (agent_apply_start(ctx, &plan, token, r.actor, out) == 0
            && agent_job_by_request(ctx->pg, ctx->job->id, &r.job, err,
                                    sizeof(err)) == 0)
        {
            agent_apply_run(&r, out);
            agent_job_row_release(&r.job);
        }
    } else {
        agent_info("job %s of plan %s: delivery %d, resuming from its step "
                   "records", r.job.id, id, r.job.attempts + 1);
        agent_apply_run(&r, out);
        agent_job_row_release(&r.job);
    }
    agent_job_devs_free(r.devs, r.ndevs);
    agent_plan_release(&plan);
}

/* A rollback must not race the plan's own apply job (it would undo the
 * devices done so far while the job goes on with the next batch): 1, with
 * the answer in out, while a job of the plan is pending or running. */
static int
agent_plan_job_active(PGconn *pg, const char *plan_id, agent_outcome_t *out)
{
    const char *p[1] = {plan_id};
    char        err[512];
    PGresult   *res;
    int         active;

    res = agent_pg_exec(pg,
                        "SELECT id FROM jobs WHERE plan_id = $1 AND status "
                        "IN ('pending', 'running') ORDER BY created_at DESC "
                        "LIMIT 1",
                        1, p, err, sizeof(err));
    if (res == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "checking the jobs of plan %s: %s",
                   plan_id, err);
        return 1;
    }
    active = PQntuples(res) == 1;
    if (active) {
        agent_result(out, 1,
                     json_pack("{s:s, s:s, s:s}", "plan_id", plan_id,
                               "status", "executing", "job_id",
                               PQgetvalue(res, 0, 0)),
                     "Plan %s not rolled back: its apply job %s is still "
                     "running; cancel it (cancel_job) and roll back once it "
                     "has stopped",
                     plan_id, PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return active;
}

/* 1 when a job of the plan left a write on device_id in flight that it
 * could not settle (the device was unreachable when the job resumed): it
 * may have landed, and no undo step covers it; err says which. */
static int
agent_plan_unsettled(PGconn *pg, const char *plan_id, const char *device_id,
                     char *err, size_t errlen)
{
    const char *p[2] = {plan_id, device_id};
    PGresult   *res;
    int         yes;

    res = agent_pg_exec(pg,
                        "SELECT jd.job_id, jd.pending_write::text FROM "
                        "job_devices jd JOIN jobs j ON j.id = jd.job_id "
                        "WHERE j.plan_id = $1 AND jd.device_id = $2 AND "
                        "jd.pending_write IS NOT NULL LIMIT 1",
                        2, p, err, errlen);
    if (res == NULL) {
        return 1;
    }
    yes = PQntuples(res) == 1;
    if (yes) {
        snprintf(err, errlen,
                 "job %s left a write in flight on this device that it could "
                 "not settle (%s): it may have landed; check the device and "
                 "restore it from its snapshot",
                 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return yes;
}

void
agent_plan_rollback(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char    *id = json_string_value(json_object_get(args, "plan_id"));
    const char    *reason = json_string_value(json_object_get(args, "reason"));
    const char    *actor, *key, *final, *s;
    const json_t  *st;
    agent_plan_t   plan;
    agent_device_t dev;
    json_t        *copy, *report, *undo;
    char           err[768];
    size_t         i;
    int            rc, ok;

    rc = agent_plan_load(ctx->pg, id, &plan, err, sizeof(err));
    if (rc != 0) {
        agent_result(out, 1, json_pack("{s:s, s:s}", "plan_id", id, "status",
                     "not_found"), "%s", rc == 1 ? "plan not found" : err);
        return;
    }
    if (agent_plan_job_active(ctx->pg, id, out)) {
        agent_plan_release(&plan);
        return;
    }
    actor = ctx->job->subject ? ctx->job->subject : "anonymous";
    if (agent_plan_transition(ctx->pg, id, plan.status, "rolling_back",
                              "PLAN_ROLLBACK_INITIATED", actor, reason, err,
                              sizeof(err)) != 0)
    {
        agent_result(out, 1, json_pack("{s:s, s:s}", "plan_id", id, "status",
                     plan.status), "Plan %s not rolled back: %s", id, err);
        agent_plan_release(&plan);
        return;
    }
    report = json_array();
    final = "rolled_back";
    json_object_foreach(plan.device_statuses, key, st) {
        copy = json_deep_copy(st);
        s = json_string_value(json_object_get(copy, "status"));
        undo = json_object_get(copy, "undo");
        if (s != NULL && (strcmp(s, "applied") == 0
                          || strcmp(s, "rollback_failed") == 0))
        {
            ok = 0;
            if (agent_device_load(ctx->pg, ctx->cfg, key, 1, &dev, err,
                                  sizeof(err)) == 0)
            {
                /* undo steps run last to first; each one done is dropped */
                for (ok = 1, i = json_array_size(undo); ok && i > 0; i--) {
                    ok = agent_undo_run(ctx, &dev, json_array_get(undo,
                                        i - 1), err, sizeof(err)) == 0;
                    if (ok) {
                        json_array_remove(undo, i - 1);
                    }
                }
                agent_device_release(&dev);
            }
            if (ok && agent_plan_unsettled(ctx->pg, id, key, err,
                                           sizeof(err)))
            {
                ok = 0;
            }
            json_object_set_new(copy, "status", json_string(ok
                                ? "rolled_back" : "rollback_failed"));
            json_object_set_new(copy, "message", json_string(ok ? reason
                                                             : err));
            agent_plan_device_status(ctx->pg, id, key, copy, err,
                                     sizeof(err));
        }
        json_object_set_new(copy, "device_id", json_string(key));
        s = json_string_value(json_object_get(copy, "status"));
        if (s != NULL && strcmp(s, "rollback_failed") == 0) {
            final = "failed";
        }
        json_array_append_new(report, copy);
    }
    agent_plan_transition(ctx->pg, id, "rolling_back", final,
                          "PLAN_ROLLBACK_COMPLETED", actor, reason, err,
                          sizeof(err));
    agent_result(out, strcmp(final, "rolled_back") != 0,
                 json_pack("{s:s, s:s, s:o}", "plan_id", id, "status", final,
                           "devices", report),
                 "Plan %s %s (%s).", id, final, reason);
    agent_plan_release(&plan);
}
