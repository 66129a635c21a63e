/*
 * apply_device.c: one device of an apply job, step by step: each write
 * recorded before (pending_write) and after (undo step) it touches the
 * device, a write left in flight by a dead agent settled by reading the
 * device, the health gate, revert from the recorded undo steps.
 */
#include "run.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../routeros/values.h"
#include "../tools/resource.h"
#include "../tools/write_guard.h"

#include <stdio.h>
#include <string.h>

#define AGENT_RUN_MAX_RESTORE  24
#define AGENT_RUN_CPU_DEGRADED 90.0
/* Time a device's step may take even when the tools/call's deadline is
 * near or past: a device once started is finished (applied and checked,
 * or restored), never left half-way because the caller's clock ran out. */
#define AGENT_RUN_DEVICE_BUDGET_MS 60000

static void
agent_run_budget(agent_run_t *r)
{
    int64_t until = agent_now_ms() + AGENT_RUN_DEVICE_BUDGET_MS;

    if (r->ctx->deadline < until) {
        r->ctx->deadline = until;
    }
}

/* Stores d's record; a record that cannot be stored stops the job here. */
static int
agent_run_save(agent_run_t *r, agent_job_dev_t *d)
{
    char err[512];

    if (agent_job_dev_save(r->ctx->pg, r->job.id, d, err, sizeof(err)) != 0) {
        agent_error("job %s: step %s of %s not recorded (%s): leaving the "
                    "job to be resumed", r->job.id, d->step, d->device_id,
                    err);
        r->handoff = 1;
        return -1;
    }
    return 0;
}

static void
agent_run_set(agent_job_dev_t *d, const char *step, const char *msg)
{
    snprintf(d->step, sizeof(d->step), "%s", step);
    if (msg != NULL) {
        snprintf(d->message, sizeof(d->message), "%s", msg);
    }
}

void
agent_run_publish(agent_run_t *r, const agent_job_dev_t *d)
{
    static const struct {
        const char *step, *status;
    } map[] = {
        { "pending", "not_started" }, { "skipped", "not_started" },
        { "applying", "applying" },   { "applied", "applied" },
        { "healthy", "applied" },     { "reverting", "rolling_back" },
    };
    const char *status = d->step;
    json_t     *st, *undo = json_array();
    char        err[256];
    size_t      i, left;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(map[i].step, d->step) == 0) {
            status = map[i].status;
        }
    }
    left = json_array_size(d->undo) - (size_t) d->undo_done;
    for (i = 0; i < left; i++) {
        json_array_append(undo, json_array_get(d->undo, i));
    }
    st = json_pack("{s:s, s:s, s:O, s:o, s:s, s:s}", "device_id",
                   d->device_id, "status", status, "snapshot_ids",
                   d->snapshot_ids, "undo", undo, "message", d->message,
                   "job_id", r->job.id);
    if (agent_plan_device_status(r->ctx->pg, r->plan->id, d->device_id, st,
                                 err, sizeof(err)) != 0)
    {
        agent_warn("plan %s: status of %s not recorded: %s", r->plan->id,
                   d->device_id, err);
    }
    json_decref(st);
}

static int
agent_run_load(agent_run_t *r, const char *id, agent_device_t *dev, char *err,
               size_t errlen)
{
    int rc = agent_device_load(r->ctx->pg, r->ctx->cfg, id, 1, dev, err,
                               errlen);

    if (rc == 1) {
        snprintf(err, errlen, "device %s no longer exists", id);
    }
    return rc == 0 ? 0 : -1;
}

/* The write w of the plan as the guard wants it. */
static void
agent_run_write_of(const agent_run_t *r, const json_t *w, const json_t *before,
                   const char **restore, agent_write_t *aw)
{
    static const char *ops[] = { "set", "add", "remove" };
    const char        *op = json_string_value(json_object_get(w, "op"));
    const json_t      *k;
    size_t             i;

    memset(aw, 0, sizeof(*aw));
    for (i = 0; i < 3 && strcmp(ops[i], op) != 0; i++) {
    }
    aw->op = (agent_write_op_t) i;
    aw->tier = MCP_TIER_PROFESSIONAL;
    aw->menu = json_string_value(json_object_get(w, "menu"));
    aw->item_id = json_string_value(json_object_get(w, "id"));
    aw->body = json_object_get(w, "body");
    aw->expect = json_object_get(w, "expect");
    aw->params = json_object_get(r->plan->changes, "params");
    aw->before = before;
    json_array_foreach(json_object_get(w, "restore"), i, k) {
        if (i < AGENT_RUN_MAX_RESTORE) {
            restore[i] = json_string_value(k);
            restore[i + 1] = NULL;
        }
    }
    aw->restore_keys = json_array_size(json_object_get(w, "restore"))
                       ? restore : NULL;
}

/*
 * A write recorded as in flight but not as done: did it reach the device?
 * set: the item reads as asked; add: a record absent before reads as
 * asked; remove: the item is gone. created gets the new record's .id.
 */
static int
agent_run_landed(const json_t *w, const json_t *before, const json_t *now,
                 char *created, size_t createdlen)
{
    agent_write_report_t scratch;
    const char          *op = json_string_value(json_object_get(w, "op"));
    const char          *id = json_string_value(json_object_get(w, "id"));
    const json_t        *want = json_object_get(w, "expect");
    const json_t        *item;
    const char          *iid;
    size_t               i;

    want = want ? want : json_object_get(w, "body");
    if (strcmp(op, "remove") == 0) {
        return agent_plan_find(now, ".id", id ? id : "") == NULL;
    }
    if (strcmp(op, "set") == 0) {
        item = json_is_object(now) ? now
               : agent_plan_find(now, ".id", id ? id : "");
        return item != NULL && agent_write_matches(item, want, &scratch) == 0;
    }
    json_array_foreach(now, i, item) {
        iid = agent_ros_field_str(item, ".id");
        if (iid != NULL && agent_plan_find(before, ".id", iid) == NULL
            && agent_write_matches(item, want, &scratch) == 0)
        {
            snprintf(created, createdlen, "%s", iid);
            return 1;
        }
    }
    return 0;
}

/* Settles d->pending_write after a crash; 0, or -1 (device unreadable). */
static int
agent_run_settle(agent_run_t *r, const agent_device_t *dev,
                 agent_job_dev_t *d, const json_t *writes, char *err,
                 size_t errlen)
{
    const json_t *before = json_object_get(d->pending_write, "before");
    const json_t *w;
    json_t       *now = NULL;
    char          created[64] = "";
    int           idx;

    idx = (int) json_integer_value(json_object_get(d->pending_write,
                                                   "index"));
    w = json_array_get(writes, (size_t) idx);
    if (w == NULL || idx != d->writes_done) {
        json_decref(d->pending_write);
        d->pending_write = NULL;
        return agent_run_save(r, d);
    }
    if (agent_plan_read(r->ctx, dev, json_string_value(json_object_get(w,
                        "menu")), &now, err, errlen) != 0)
    {
        return -1;
    }
    if (agent_run_landed(w, before, now, created, sizeof(created))) {
        agent_info("job %s: write %d of %s had reached the device before "
                   "the crash; not repeated", r->job.id, idx, d->device_id);
        json_array_append_new(d->undo, agent_undo_step(w, before, created));
        d->writes_done = idx + 1;
    } else {
        agent_info("job %s: write %d of %s had not reached the device; "
                   "applying it", r->job.id, idx, d->device_id);
    }
    json_decref(now);
    json_decref(d->pending_write);
    d->pending_write = NULL;
    return agent_run_save(r, d);
}

/* One write: recorded in flight, applied through the guard, recorded
 * done. 0 verified, 1 failed (rep tells), -1 handoff. */
static int
agent_run_write(agent_run_t *r, const agent_device_t *dev, agent_job_dev_t *d,
                const json_t *w, agent_write_report_t *rep, char *err,
                size_t errlen)
{
    const char   *restore[AGENT_RUN_MAX_RESTORE + 1];
    agent_write_t aw;
    json_t       *before = NULL;

    memset(rep, 0, sizeof(*rep));
    if (agent_plan_read(r->ctx, dev, json_string_value(json_object_get(w,
                        "menu")), &before, err, errlen) != 0)
    {
        snprintf(rep->message, sizeof(rep->message), "%s", err);
        return 1;
    }
    d->pending_write = json_pack("{s:i, s:O}", "index", d->writes_done,
                                 "before", before);
    if (agent_run_save(r, d) != 0) {
        json_decref(before);
        return -1;
    }
    agent_run_write_of(r, w, before, restore, &aw);
    agent_write_execute(r->ctx, dev, &aw, rep);
    if (rep->snapshot_id[0] != '\0') {
        json_array_append_new(d->snapshot_ids,
                              json_string(rep->snapshot_id));
    }
    if (rep->verified) {
        json_array_append_new(d->undo,
                              agent_undo_step(w, before, rep->created_id));
        d->writes_done++;
    }
    json_decref(before);
    json_decref(d->pending_write);
    d->pending_write = NULL;
    if (agent_run_save(r, d) != 0) {
        return -1;
    }
    return rep->verified ? 0 : 1;
}

void
agent_run_device(agent_run_t *r, agent_job_dev_t *d)
{
    agent_write_report_t rep;
    agent_device_t       dev;
    const json_t        *writes;
    char                 err[768] = "";
    int                  rc = 0;

    agent_run_budget(r);
    if (strcmp(d->step, "pending") == 0) {
        agent_run_set(d, "applying", "");
        if (agent_run_save(r, d) != 0) {
            return;
        }
    }
    if (agent_run_load(r, d->device_id, &dev, err, sizeof(err)) != 0) {
        agent_run_set(d, json_array_size(d->undo) ? "rollback_failed"
                      : "failed", err);
        agent_run_save(r, d);
        return;
    }
    writes = json_object_get(json_object_get(json_object_get(r->plan->changes,
             "devices"), d->device_id), "writes");
    if (!agent_plan_domain_allowed(&dev, r->domain)) {
        agent_device_release(&dev);
        agent_run_set(d, "failed", "the device no longer allows these writes");
        agent_run_save(r, d);
        return;
    }
    if (d->pending_write != NULL
        && agent_run_settle(r, &dev, d, writes, err, sizeof(err)) != 0)
    {
        /* unreadable now: the next resume settles it */
        agent_device_release(&dev);
        if (!r->handoff) {
            agent_run_set(d, "rollback_failed", err);
            agent_run_save(r, d);
        }
        return;
    }
    while (!r->handoff && (size_t) d->writes_done < json_array_size(writes)) {
        rc = agent_run_write(r, &dev, d, json_array_get(writes,
                             (size_t) d->writes_done), &rep, err,
                             sizeof(err));
        if (rc != 0) {
            break;
        }
    }
    if (rc == 1) {
        if (rep.applied && !rep.rolled_back) {
            /* the guard could not undo this write: it stays on the device */
            agent_run_set(d, "rollback_failed", rep.message);
            agent_run_save(r, d);
        } else if (json_array_size(d->undo) > 0) {
            agent_device_release(&dev);
            agent_run_revert(r, d, rep.message);
            return;
        } else {
            agent_run_set(d, rep.applied ? "rolled_back" : "failed",
                          rep.message);
            agent_run_save(r, d);
        }
    } else if (rc == 0 && !r->handoff) {
        agent_run_set(d, "applied", "");
        agent_run_save(r, d);
    }
    agent_device_release(&dev);
}

/* Resource readable and CPU below 90 %. */
static int
agent_run_healthy(agent_ctx_t *ctx, const agent_device_t *dev, char *err,
                  size_t errlen)
{
    agent_resource_t res;
    json_t          *doc = NULL;

    if (agent_plan_read(ctx, dev, "/system/resource", &doc, err, errlen)
        != 0)
    {
        return 0;
    }
    agent_resource_parse(doc, &res);
    json_decref(doc);
    if (res.has_cpu_load && res.cpu_load >= AGENT_RUN_CPU_DEGRADED) {
        snprintf(err, errlen, "device %s degraded after the change: CPU "
                 "%.0f %%", dev->id, res.cpu_load);
        return 0;
    }
    return 1;
}

void
agent_run_health(agent_run_t *r, agent_job_dev_t *d)
{
    agent_device_t dev;
    char           err[512] = "";
    int            ok;

    agent_run_budget(r);
    if (agent_run_load(r, d->device_id, &dev, err, sizeof(err)) != 0) {
        ok = 0;
    } else {
        ok = agent_run_healthy(r->ctx, &dev, err, sizeof(err));
        agent_device_release(&dev);
    }
    if (ok) {
        agent_run_set(d, "healthy", "");
        agent_run_save(r, d);
        return;
    }
    r->halted = 1;
    agent_run_revert(r, d, err);
}

void
agent_run_revert(agent_run_t *r, agent_job_dev_t *d, const char *why)
{
    agent_device_t dev;
    char           err[512] = "";
    size_t         n = json_array_size(d->undo);

    agent_run_budget(r);
    if (strcmp(d->step, "reverting") != 0) {
        agent_run_set(d, "reverting", why);
        if (agent_run_save(r, d) != 0) {
            return;
        }
    }
    if (agent_run_load(r, d->device_id, &dev, err, sizeof(err)) != 0) {
        agent_run_set(d, "rollback_failed", err);
        agent_run_save(r, d);
        return;
    }
    while ((size_t) d->undo_done < n) {
        if (agent_undo_run(r->ctx, &dev, json_array_get(d->undo,
                           n - 1 - (size_t) d->undo_done), err, sizeof(err))
            != 0)
        {
            agent_run_set(d, "rollback_failed", err);
            break;
        }
        d->undo_done++;
        if (agent_run_save(r, d) != 0) {
            agent_device_release(&dev);
            return;
        }
    }
    agent_device_release(&dev);
    if ((size_t) d->undo_done == n) {
        agent_run_set(d, "rolled_back", why);
    }
    agent_run_save(r, d);
}
