/*
 * apply.c: plan execution. Each device's writes go through the write guard
 * (snapshot, apply, read-back, health, own rollback); the plan keeps an
 * undo list per applied device for halts and config_rollback_plan.
 */
#include "apply.h"
#include "state.h"
#include "store.h"
#include "../../shared/approval/token.h"
#include "../core/clock.h"
#include "../routeros/values.h"
#include "../tools/resource.h"
#include "../tools/write_guard.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define AGENT_PLAN_MAX_RESTORE 24
#define AGENT_PLAN_CPU_DEGRADED 90.0

typedef struct {
    agent_ctx_t  *ctx;
    agent_plan_t *plan;
    json_t       *report; /* array of per-device status objects */
    int           halted;
    int           changed; /* some device was touched */
} agent_apply_t;

static void
agent_apply_record(agent_apply_t *a, const char *device_id, json_t *st)
{
    char err[256], id[65];

    /* device_id may point into st itself: copy it before replacing it */
    snprintf(id, sizeof(id), "%s", device_id);
    json_object_set_new(st, "device_id", json_string(id));
    agent_plan_device_status(a->ctx->pg, a->plan->id, id, st, err,
                             sizeof(err));
    json_array_append(a->report, st);
}

/* .id of the item that followed id in the list before the change (where a
 * removed rule is re-inserted so the chain keeps its order), or NULL. */
static const char *
agent_apply_next_id(const json_t *before, const char *id)
{
    const json_t *item;
    const char   *v;
    size_t        i;

    json_array_foreach(before, i, item)
    {
        v = agent_ros_field_str(item, ".id");
        if (id != NULL && v != NULL && strcmp(v, id) == 0) {
            return agent_ros_field_str(json_array_get(before, i + 1), ".id");
        }
    }
    return NULL;
}

/* Undo step of a verified write, from the snapshot before it; a removed
 * item marked restore_order is re-added before its old successor. */
static json_t *
agent_apply_undo_step(const json_t *w, const json_t *before,
                      const agent_write_report_t *rep)
{
    const char   *menu = json_string_value(json_object_get(w, "menu"));
    const char   *op = json_string_value(json_object_get(w, "op"));
    const char   *id = json_string_value(json_object_get(w, "id"));
    const json_t *old = json_is_object(before)
                            ? before
                            : agent_plan_find(before, ".id", id ? id : "");
    const json_t *keys, *k;
    const char   *key, *v;
    json_t       *body = json_object();
    char          path[512];
    size_t        i;

    if (strcmp(op, "add") == 0) {
        json_decref(body);
        snprintf(path, sizeof(path), "%s/%s", menu, rep->created_id);
        return json_pack("{s:s, s:s}", "method", "DELETE", "path", path);
    }
    if (strcmp(op, "set") == 0) {
        json_object_foreach(json_object_get(w, "body"), key, k)
        {
            v = agent_ros_field_str(old, key);
            json_object_set_new(body, key, json_string(v ? v : ""));
        }
        snprintf(path, sizeof(path), "%s%s%s", menu, id ? "/" : "",
                 id ? id : "");
        return json_pack("{s:s, s:s, s:o}", "method", "PATCH", "path", path,
                         "body", body);
    }
    keys = json_object_get(w, "restore");
    json_array_foreach(keys, i, k)
    {
        v = agent_ros_field_str(old, json_string_value(k));
        if (v != NULL) {
            json_object_set_new(body, json_string_value(k), json_string(v));
        }
    }
    v = json_is_true(json_object_get(w, "restore_order"))
            ? agent_apply_next_id(before, id)
            : NULL;
    if (v != NULL) {
        json_object_set_new(body, "place-before", json_string(v));
    }
    return json_pack("{s:s, s:s, s:o}", "method", "PUT", "path", menu, "body",
                     body);
}

/* Runs the undo steps of a device in reverse; 0 when all succeeded. */
static int
agent_apply_undo(agent_ctx_t *ctx, const agent_device_t *dev,
                 const json_t *undo, char *err, size_t errlen)
{
    agent_rest_err_t rerr;
    const json_t    *s;
    json_t          *reply = NULL;
    size_t           i = json_array_size(undo);
    int              rc = 0;

    while (i-- > 0) {
        s = json_array_get(undo, i);
        if (agent_rest_call(ctx->rest, dev,
                            json_string_value(json_object_get(s, "method")),
                            json_string_value(json_object_get(s, "path")),
                            json_object_get(s, "body"), ctx->deadline, &reply,
                            &rerr) != 0) {
            snprintf(err, errlen, "undo %s %.200s failed: %.200s",
                     json_string_value(json_object_get(s, "method")),
                     json_string_value(json_object_get(s, "path")),
                     rerr.message);
            rc = -1;
        }
        json_decref(reply);
        reply = NULL;
    }
    return rc;
}

/* One write of the plan through the guard; appends its undo step. */
static int
agent_apply_write(agent_ctx_t *ctx, const agent_device_t *dev,
                  const agent_plan_t *plan, const json_t *w, json_t *undo,
                  json_t *snaps, agent_write_report_t *rep, char *err,
                  size_t errlen)
{
    static const char *ops[] = {"set", "add", "remove"};
    const char        *restore[AGENT_PLAN_MAX_RESTORE + 1];
    const char        *op = json_string_value(json_object_get(w, "op"));
    const json_t      *k;
    agent_write_t      aw;
    json_t            *before = NULL;
    size_t             i;

    memset(&aw, 0, sizeof(aw));
    for (i = 0; i < 3 && strcmp(ops[i], op) != 0; i++) {
    }
    aw.op = (agent_write_op_t)i;
    aw.tier = MCP_TIER_PROFESSIONAL;
    aw.menu = json_string_value(json_object_get(w, "menu"));
    aw.item_id = json_string_value(json_object_get(w, "id"));
    aw.body = json_object_get(w, "body");
    aw.expect = json_object_get(w, "expect");
    aw.params = json_object_get(plan->changes, "params");
    json_array_foreach(json_object_get(w, "restore"), i, k)
    {
        if (i < AGENT_PLAN_MAX_RESTORE) {
            restore[i] = json_string_value(k);
            restore[i + 1] = NULL;
        }
    }
    aw.restore_keys =
        json_array_size(json_object_get(w, "restore")) ? restore : NULL;
    if (agent_plan_read(ctx, dev, aw.menu, &before, err, errlen) != 0) {
        memset(rep, 0, sizeof(*rep));
        return -1;
    }
    aw.before = before;
    agent_write_execute(ctx, dev, &aw, rep);
    if (rep->snapshot_id[0] != '\0') {
        json_array_append_new(snaps, json_string(rep->snapshot_id));
    }
    if (rep->verified) {
        json_array_append_new(undo, agent_apply_undo_step(w, before, rep));
    } else {
        snprintf(err, errlen, "%s", rep->message);
    }
    json_decref(before);
    return rep->verified ? 0 : -1;
}

/* Applies every write of one device; its status object tells the truth. */
static json_t *
agent_apply_device(agent_apply_t *a, const agent_device_t *dev,
                   const json_t *entry)
{
    agent_write_report_t rep;
    const json_t        *w;
    json_t              *undo = json_array(), *snaps = json_array();
    char                 err[1024] = "", uerr[512] = "";
    const char          *status = "applied";
    size_t               i;

    json_array_foreach(json_object_get(entry, "writes"), i, w)
    {
        if (agent_apply_write(a->ctx, dev, a->plan, w, undo, snaps, &rep, err,
                              sizeof(err)) != 0) {
            a->changed |= rep.applied || json_array_size(undo) > 0;
            /* The guard undid this write; earlier ones are undone here. */
            if ((rep.applied && !rep.rolled_back) ||
                agent_apply_undo(a->ctx, dev, undo, uerr, sizeof(uerr)) != 0) {
                status = "rollback_failed";
            } else {
                status = rep.applied || json_array_size(undo) ? "rolled_back"
                                                              : "failed";
            }
            json_array_clear(undo);
            break;
        }
        a->changed = 1;
    }
    return json_pack("{s:s, s:o, s:o, s:s}", "status", status, "snapshot_ids",
                     snaps, "undo", undo, "message", uerr[0] ? uerr : err);
}

/* Health gate after a batch: resource readable and CPU below 90 %. */
static int
agent_apply_healthy(agent_ctx_t *ctx, const agent_device_t *dev, char *err,
                    size_t errlen)
{
    agent_resource_t r;
    json_t          *res = NULL;

    if (agent_plan_read(ctx, dev, "/system/resource", &res, err, errlen) != 0) {
        return 0;
    }
    agent_resource_parse(res, &r);
    json_decref(res);
    if (r.has_cpu_load && r.cpu_load >= AGENT_PLAN_CPU_DEGRADED) {
        snprintf(err, errlen,
                 "device %s degraded after the change: CPU %.0f "
                 "%%",
                 dev->id, r.cpu_load);
        return 0;
    }
    return 1;
}

/* Undoes one applied device from its recorded undo list. */
static void
agent_apply_revert(agent_apply_t *a, const agent_device_t *dev, json_t *st,
                   const char *why)
{
    char err[512] = "";
    int  rc;

    rc = agent_apply_undo(a->ctx, dev, json_object_get(st, "undo"), err,
                          sizeof(err));
    json_object_set_new(
        st, "status", json_string(rc == 0 ? "rolled_back" : "rollback_failed"));
    json_object_set_new(st, "message", json_string(rc == 0 ? why : err));
    if (rc == 0) {
        json_array_clear(json_object_get(st, "undo"));
    }
}

static int
agent_apply_load(agent_apply_t *a, const char *id, agent_device_t *dev,
                 char *err, size_t errlen)
{
    int rc =
        agent_device_load(a->ctx->pg, a->ctx->cfg, id, 1, dev, err, errlen);

    if (rc == 1) {
        snprintf(err, errlen, "device %s no longer exists", id);
    }
    return rc == 0 ? 0 : -1;
}

/* One batch: apply each device, then the health gate over the batch. */
static void
agent_apply_batch(agent_apply_t *a, agent_plan_domain_t domain, size_t from,
                  size_t to, size_t total)
{
    agent_device_t dev;
    const char    *id;
    json_t        *st, *batch = json_array();
    char           err[512], msg[128];
    size_t         i;

    for (i = from; i < to && !a->halted; i++) {
        id = json_string_value(json_array_get(a->plan->device_ids, i));
        snprintf(msg, sizeof(msg), "applying to %s", id);
        agent_progress(a->ctx, (double)i, (double)total, msg);
        if (agent_apply_load(a, id, &dev, err, sizeof(err)) != 0) {
            st = json_pack("{s:s, s:s}", "status", "failed", "message", err);
        } else if (!agent_plan_domain_allowed(&dev, domain)) {
            st = json_pack("{s:s, s:s}", "status", "failed", "message",
                           "the device no longer allows these writes");
        } else {
            st = agent_apply_device(
                a, &dev,
                json_object_get(json_object_get(a->plan->changes, "devices"),
                                id));
        }
        if (dev.id[0] != '\0') {
            agent_device_release(&dev);
        }
        a->halted = strcmp(json_string_value(json_object_get(st, "status")),
                           "applied") != 0;
        agent_apply_record(a, id, st);
        json_array_append_new(batch, st);
    }
    /* Health gate: a degraded device halts the plan and is put back. */
    json_array_foreach(batch, i, st)
    {
        if (strcmp(json_string_value(json_object_get(st, "status")),
                   "applied") != 0) {
            continue;
        }
        id = json_string_value(json_object_get(st, "device_id"));
        if (agent_apply_load(a, id, &dev, err, sizeof(err)) == 0) {
            if (!agent_apply_healthy(a->ctx, &dev, err, sizeof(err))) {
                a->halted = 1;
                agent_apply_revert(a, &dev, st, err);
                agent_apply_record(a, id, st);
                json_array_remove(a->report, json_array_size(a->report) - 1);
            }
            agent_device_release(&dev);
        }
    }
    json_decref(batch);
}

/* After a halt: reverts every device still applied. 0 when none is left
 * changed. */
static int
agent_apply_unwind(agent_apply_t *a)
{
    agent_device_t dev;
    json_t        *st;
    const char    *id, *s;
    char           err[512];
    size_t         i;
    int            clean = 1;

    json_array_foreach(a->report, i, st)
    {
        s = json_string_value(json_object_get(st, "status"));
        id = json_string_value(json_object_get(st, "device_id"));
        if (strcmp(s, "applied") == 0 && a->plan->rollback_on_failure &&
            agent_apply_load(a, id, &dev, err, sizeof(err)) == 0) {
            agent_apply_revert(a, &dev, st, "rolled back: the plan halted");
            agent_device_release(&dev);
            agent_apply_record(a, id, st);
            json_array_remove(a->report, json_array_size(a->report) - 1);
            s = json_string_value(json_object_get(st, "status"));
        }
        if (strcmp(s, "rolled_back") != 0 && strcmp(s, "failed") != 0) {
            clean = 0;
        }
    }
    return clean ? 0 : -1;
}

/* The token check: key, content hash recomputed, MAC, then the spend. */
static int
agent_apply_authorize(agent_ctx_t *ctx, agent_plan_t *plan, const char *token,
                      char *err, size_t errlen)
{
    mcp_token_key_t key;
    char            hash[65], token_id[MCP_TOKEN_ID_LEN + 1];
    int64_t         expires;
    int             rc;

    if (mcp_token_key_from_env(&key, err, errlen) != 0) {
        return -1;
    }
    if (agent_plan_hash(plan->changes, hash) != 0 ||
        strcmp(hash, plan->content_hash) != 0) {
        snprintf(err, errlen,
                 "plan %s content no longer matches the hash it "
                 "was created and approved with: refused",
                 plan->id);
        memset(&key, 0, sizeof(key));
        return -1;
    }
    if (plan->approved_by[0] == '\0') {
        snprintf(err, errlen, "plan %s is %s and has not been approved",
                 plan->id, plan->status);
        memset(&key, 0, sizeof(key));
        return -1;
    }
    rc = mcp_token_verify(&key, token, plan->id, hash, plan->approved_by,
                          (int64_t)time(NULL), token_id, &expires, err, errlen);
    memset(&key, 0, sizeof(key));
    if (rc != 0) {
        return -1;
    }
    return agent_plan_start(ctx->pg, plan->id, token_id,
                            ctx->job->subject ? ctx->job->subject : "anonymous",
                            err, errlen);
}

static void
agent_apply_pause(agent_ctx_t *ctx, int seconds)
{
    struct timespec ts = {1, 0};
    int64_t         end = agent_now_ms() + (int64_t)seconds * 1000;

    while (seconds > 0 && agent_now_ms() < end &&
           agent_now_ms() + 1000 < ctx->deadline) {
        nanosleep(&ts, NULL);
    }
}

static void
agent_apply_finish(agent_apply_t *a, agent_outcome_t *out)
{
    const char *final = "completed", *actor;
    char        err[512];

    actor = a->ctx->job->subject ? a->ctx->job->subject : "anonymous";
    if (!a->halted) {
        agent_plan_transition(a->ctx->pg, a->plan->id, "executing", "completed",
                              "PLAN_EXECUTION_COMPLETED", actor,
                              "all devices applied", err, sizeof(err));
    } else if (!a->changed) {
        final = "failed";
        agent_plan_transition(a->ctx->pg, a->plan->id, "executing", "failed",
                              "PLAN_EXECUTION_FAILED", actor,
                              "nothing was changed", err, sizeof(err));
    } else {
        agent_plan_transition(a->ctx->pg, a->plan->id, "executing",
                              "rolling_back", "PLAN_ROLLBACK_INITIATED", actor,
                              "halted", err, sizeof(err));
        final = agent_apply_unwind(a) == 0 ? "rolled_back" : "failed";
        agent_plan_transition(a->ctx->pg, a->plan->id, "rolling_back", final,
                              "PLAN_ROLLBACK_COMPLETED", actor, final, err,
                              sizeof(err));
    }
    agent_result(out, a->halted,
                 json_pack("{s:s, s:s, s:O}", "plan_id", a->plan->id, "status",
                           final, "devices", a->report),
                 "Plan %s %s on %zu device(s).", a->plan->id, final,
                 json_array_size(a->report));
}

void
agent_plan_apply(agent_ctx_t *ctx, const json_t *args,
                 agent_plan_domain_t domain, agent_outcome_t *out)
{
    const char *id = json_string_value(json_object_get(args, "plan_id"));
    const char *token =
        json_string_value(json_object_get(args, "approval_token"));
    const char   *pd;
    agent_plan_t  plan;
    agent_apply_t a;
    char          err[768];
    size_t        n, i, step;
    int           rc;

    rc = agent_plan_load(ctx->pg, id, &plan, err, sizeof(err));
    if (rc != 0) {
        agent_result(
            out, 1,
            json_pack("{s:s, s:s}", "plan_id", id, "status", "not_found"), "%s",
            rc == 1 ? "plan not found" : err);
        return;
    }
    pd = json_string_value(json_object_get(plan.changes, "domain"));
    if (pd == NULL || strcmp(pd, agent_plan_domain_name(domain)) != 0) {
        agent_result(
            out, 1,
            json_pack("{s:s, s:s}", "plan_id", id, "status", plan.status),
            "plan %s is a %s plan, not %s", id, pd ? pd : "?",
            agent_plan_domain_name(domain));
        agent_plan_release(&plan);
        return;
    }
    if (agent_apply_authorize(ctx, &plan, token, err, sizeof(err)) != 0) {
        agent_result(
            out, 1,
            json_pack("{s:s, s:s}", "plan_id", id, "status", plan.status),
            "Plan %s not applied: %s", id, err);
        agent_plan_release(&plan);
        return;
    }
    memset(&a, 0, sizeof(a));
    a.ctx = ctx;
    a.plan = &plan;
    a.report = json_array();
    n = json_array_size(plan.device_ids);
    step = plan.batch_size > 0 ? (size_t)plan.batch_size : n;
    for (i = 0; i < n && !a.halted; i += step) {
        if (i > 0) {
            agent_apply_pause(ctx, plan.pause_seconds);
        }
        agent_apply_batch(&a, domain, i, i + step < n ? i + step : n, n);
    }
    agent_progress(ctx, (double)n, (double)n, "plan finished");
    agent_apply_finish(&a, out);
    json_decref(a.report);
    agent_plan_release(&plan);
}

void
agent_plan_rollback(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char    *id = json_string_value(json_object_get(args, "plan_id"));
    const char    *reason = json_string_value(json_object_get(args, "reason"));
    const char    *actor, *key, *final;
    const json_t  *st;
    agent_plan_t   plan;
    agent_apply_t  a;
    agent_device_t dev;
    json_t        *copy;
    char           err[768];
    int            rc;

    rc = agent_plan_load(ctx->pg, id, &plan, err, sizeof(err));
    if (rc != 0) {
        agent_result(
            out, 1,
            json_pack("{s:s, s:s}", "plan_id", id, "status", "not_found"), "%s",
            rc == 1 ? "plan not found" : err);
        return;
    }
    actor = ctx->job->subject ? ctx->job->subject : "anonymous";
    if (agent_plan_transition(ctx->pg, id, plan.status, "rolling_back",
                              "PLAN_ROLLBACK_INITIATED", actor, reason, err,
                              sizeof(err)) != 0) {
        agent_result(
            out, 1,
            json_pack("{s:s, s:s}", "plan_id", id, "status", plan.status),
            "Plan %s not rolled back: %s", id, err);
        agent_plan_release(&plan);
        return;
    }
    memset(&a, 0, sizeof(a));
    a.ctx = ctx;
    a.plan = &plan;
    a.report = json_array();
    final = "rolled_back";
    json_object_foreach(plan.device_statuses, key, st)
    {
        copy = json_deep_copy(st);
        if (strcmp(json_string_value(json_object_get(copy, "status")),
                   "applied") == 0) {
            if (agent_apply_load(&a, key, &dev, err, sizeof(err)) == 0) {
                agent_apply_revert(&a, &dev, copy, reason);
                agent_device_release(&dev);
            } else {
                json_object_set_new(copy, "status",
                                    json_string("rollback_failed"));
                json_object_set_new(copy, "message", json_string(err));
            }
            agent_apply_record(&a, key, copy);
        } else {
            json_object_set_new(copy, "device_id", json_string(key));
            json_array_append(a.report, copy);
        }
        if (strcmp(json_string_value(json_object_get(copy, "status")),
                   "rollback_failed") == 0) {
            final = "failed";
        }
        json_decref(copy);
    }
    agent_plan_transition(ctx->pg, id, "rolling_back", final,
                          "PLAN_ROLLBACK_COMPLETED", actor, reason, err,
                          sizeof(err));
    agent_result(out, strcmp(final, "rolled_back") != 0,
                 json_pack("{s:s, s:s, s:O}", "plan_id", id, "status", final,
                           "devices", a.report),
                 "Plan %s %s (%s).", id, final, reason);
    json_decref(a.report);
    agent_plan_release(&plan);
}
