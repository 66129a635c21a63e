/*
 * worker.c: runs one job end to end: decode, idempotency and deadline
 * checks, the tool handler, the audit row, then result + wake-up + ack in
 * one Redis transaction.
 */
#include "worker.h"
#include "events.h"
#include "../jobs/store.h"
#include "metrics_export.h"
#include "../../shared/protocol/errors.h"
#include "../../shared/protocol/job.h"
#include "../../shared/protocol/keys.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../resources/resources.h"
#include "../tools/audit.h"
#include "../tools/changed.h"
#include "../tools/device_read.h"
#include "../tools/registry.h"
#include "../tools/token_budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AGENT_FINISH_TRIES 30

typedef struct {
    agent_runtime_t *rt;
    PGconn          *pg;
    agent_redis_t    redis;
    agent_rest_t     rest;
} agent_worker_t;

/* JSON-RPC error object for an error record; uri names the resource of a
 * resources/read job (NULL otherwise). */
static char *
agent_error_record(mcp_err_t e, const char *message, const char *uri)
{
    json_t *o = json_pack("{s:i, s:s, s:{s:s, s:s*}}", "code",
                          mcp_err_jsonrpc_code(e), "message", message, "data",
                          "reason", mcp_err_name(e), "uri", uri);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

    json_decref(o);
    return s;
}

static int
agent_job_ack(agent_redis_t *r, const char *entry_id)
{
    char        err[256];
    const char *argv[] = {"XACK", MCP_KEY_JOBS, MCP_JOBS_GROUP, entry_id};
    redisReply *reply = agent_redis_cmd(r, err, sizeof(err), 4, argv);

    if (reply == NULL) {
        agent_error("ack of %s failed: %s", entry_id, err);
        return -1;
    }
    freeReplyObject(reply);
    return 0;
}

int
agent_job_bury(agent_redis_t *r, const char *entry_id, const char *payload,
               long deliveries, const char *why)
{
    char        err[512], msg[512], n[24], *data;
    const char *argv[] = {"XADD",          MCP_KEY_JOBS_DEAD,
                          "MAXLEN",        "~",
                          MCP_JOBS_MAXLEN, "*",
                          MCP_JOB_FIELD,   payload,
                          "entry",         entry_id,
                          "deliveries",    n,
                          "reason",        why};
    redisReply *reply;
    mcp_job_t   job;
    int         rc;

    snprintf(n, sizeof(n), "%ld", deliveries);
    if ((reply = agent_redis_cmd(r, err, sizeof(err), 14, argv)) == NULL) {
        agent_error("cannot move %s to %s: %s", entry_id, MCP_KEY_JOBS_DEAD,
                    err);
        return -1;
    }
    freeReplyObject(reply);
    agent_warn("job entry %s moved to %s: %s", entry_id, MCP_KEY_JOBS_DEAD,
               why);
    if (mcp_job_decode(payload, strlen(payload), &job, err, sizeof(err)) != 0) {
        return agent_job_ack(r, entry_id);
    }
    snprintf(msg, sizeof(msg), "the job was given up: %s", why);
    data = agent_error_record(MCP_ERR_INTERNAL, msg, NULL);
    rc = data ? agent_events_finish(r, job.id, job.notify, MCP_EVENT_ERROR,
                                    data, entry_id, err, sizeof(err))
              : -1;
    free(data);
    mcp_job_release(&job);
    return rc == 0 ? 0 : agent_job_ack(r, entry_id);
}

static int
agent_job_cancelled(agent_worker_t *w, const char *job_id)
{
    char        key[MCP_KEY_MAX], err[256];
    const char *argv[] = {"EXISTS", key};
    redisReply *reply;
    int         yes;

    snprintf(key, sizeof(key), MCP_KEY_JOB_CANCEL_FMT, job_id);
    reply = agent_redis_cmd(&w->redis, err, sizeof(err), 2, argv);
    yes = reply && reply->type == REDIS_REPLY_INTEGER && reply->integer > 0;
    freeReplyObject(reply);
    return yes;
}

/* Runs the tool, resource read or completion of job into out (never
 * fails: errors become out->err). */
static void
agent_job_run(agent_worker_t *w, const mcp_job_t *job, agent_outcome_t *out)
{
    agent_ctx_t   ctx;
    agent_tool_fn fn = NULL;
    int           is_tool = strcmp(job->kind, "tool") == 0;

    memset(&ctx, 0, sizeof(ctx));
    ctx.cfg = w->rt->cfg;
    ctx.pg = w->pg;
    ctx.redis = &w->redis;
    ctx.rest = &w->rest;
    ctx.job = job;
    ctx.deadline = job->deadline;
    ctx.catalog = w->rt->catalog;
    if (is_tool) {
        ctx.tool =
            mcp_catalog_find(w->rt->catalog, job->name, strlen(job->name));
        fn = ctx.tool ? agent_registry_find(job->name) : NULL;
    } else if (strcmp(job->kind, "resource") == 0) {
        fn = agent_resource_read;
    } else if (strcmp(job->kind, "completion") == 0) {
        fn = agent_completion;
    }
    if (!is_tool && fn == NULL) {
        agent_fail(out, MCP_ERR_METHOD_NOT_FOUND,
                   "job kind %s is not "
                   "served by this agent",
                   job->kind);
    } else if (fn == NULL) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS, "unknown tool: %s", job->name);
    } else if (agent_now_ms() > job->deadline
               && !agent_job_started(w->pg, job->id)) {
        agent_fail(out, MCP_ERR_TIMEOUT,
                   "the deadline of %s passed before "
                   "an agent could start it",
                   job->name);
    } else if (agent_job_cancelled(w, job->id)
               && !agent_job_started(w->pg, job->id)) {
        agent_fail(out, MCP_ERR_CANCELLED, "%s was cancelled by the client",
                   job->name);
    } else {
        fn(&ctx, job->arguments, out);
    }
    if (is_tool) {
        agent_read_stamp(&ctx, out);
        agent_token_budget(w->rt->cfg, job->name, out);
        agent_audit_tool(&ctx, job->name, out);
        agent_resources_changed(&ctx, out);
    }
}

/* Writes the final record; retried while Redis is away so the result is
 * not lost, bounded so a long outage leaves the job to XAUTOCLAIM. */
static void
agent_job_answer(agent_worker_t *w, const mcp_job_t *job, const char *entry_id,
                 const agent_outcome_t *out)
{
    char           *data, err[512];
    const char     *type;
    int             i;
    struct timespec pause = {1, 0};

    if (out->result) {
        type = MCP_EVENT_RESULT;
        data = json_dumps(out->result, JSON_COMPACT | JSON_REAL_PRECISION(10));
    } else {
        type = MCP_EVENT_ERROR;
        data = agent_error_record(
            out->err, out->message,
            strcmp(job->kind, "resource") == 0 ? job->name : NULL);
    }
    if (data == NULL) {
        agent_error("job %s: cannot encode the answer", job->id);
        return;
    }
    for (i = 0; i < AGENT_FINISH_TRIES; i++) {
        if (agent_events_finish(&w->redis, job->id, job->notify, type, data,
                                entry_id, err, sizeof(err)) == 0) {
            break;
        }
        agent_warn("job %s: writing the %s failed (%s), retrying", job->id,
                   type, err);
        nanosleep(&pause, NULL);
    }
    free(data);
}

static void
agent_job_process(agent_worker_t *w, const agent_work_t *work)
{
    mcp_job_t       job;
    agent_outcome_t out;
    char            err[512];
    double          t0;
    int             fin;

    if (mcp_job_decode(work->payload, strlen(work->payload), &job, err,
                       sizeof(err)) != 0) {
        agent_job_bury(&w->redis, work->entry_id, work->payload, 1, err);
        return;
    }
    /* at-least-once delivery: a job whose answer exists is only acked */
    fin = agent_events_finished(&w->redis, job.id, err, sizeof(err));
    if (fin == 1) {
        agent_info("job %s (%s) was already answered; acking entry %s", job.id,
                   job.name, work->entry_id);
        agent_job_ack(&w->redis, work->entry_id);
        mcp_job_release(&job);
        return;
    }
    memset(&out, 0, sizeof(out));
    t0 = agent_mono_ms();
    agent_job_run(w, &job, &out);
    agent_info("job %s %s by %s: %s in %.1f ms", job.id, job.name, job.subject,
               out.result ? "result" : mcp_err_name(out.err),
               agent_mono_ms() - t0);
    agent_metrics_job(strcmp(job.kind, "tool") == 0 ? job.name : job.kind,
                      out.result, out.err);
    /* handed off: left unacked for another agent (agent/jobs/) */
    if (!out.handed_off) {
        agent_job_answer(w, &job, work->entry_id, &out);
    }
    json_decref(out.result);
    mcp_job_release(&job);
}

void *
agent_worker_main(void *arg)
{
    agent_worker_t w;
    agent_work_t   work;
    char           err[512];

    memset(&w, 0, sizeof(w));
    w.rt = arg;
    /* PQconnectdb always returns an object; a failed one is reset on use */
    w.pg = PQconnectdb(w.rt->cfg->database_url);
    if (w.pg && PQstatus(w.pg) != CONNECTION_OK) {
        agent_warn("worker: PostgreSQL not reachable yet: %s",
                   PQerrorMessage(w.pg));
    }
    if (agent_redis_open(&w.redis, w.rt->cfg->redis, 5000, err, sizeof(err)) !=
        0) {
        agent_warn("worker: %s", err);
    }
    if (w.pg == NULL || agent_rest_init(&w.rest, w.rt->cfg) != 0) {
        agent_error("worker: out of memory");
        PQfinish(w.pg);
        agent_redis_close(&w.redis);
        return NULL;
    }
    while (agent_runtime_pop(w.rt, &work) == 0) {
        agent_job_process(&w, &work);
        agent_runtime_done(w.rt, work.entry_id);
        free(work.payload);
    }
    agent_rest_free(&w.rest);
    agent_redis_close(&w.redis);
    PQfinish(w.pg);
    return NULL;
}
