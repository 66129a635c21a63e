/*
 * maintenance.c: heartbeat, idle-time refresh of held jobs and recovery of
 * jobs of dead agents. A running job is protected by XCLAIM ... JUSTID
 * (which resets its idle time without counting a delivery) every tick,
 * rather than by a reclaim idle longer than any tool timeout: tools may be
 * long-running, and a crashed agent's jobs are then recovered within
 * ROUTEROS_MCP_RECLAIM_IDLE_MS (15 s) plus one 5 s reclaim period.
 */
#include "maintenance.h"
#include "metrics_export.h"
#include "reader.h"
#include "runtime.h"
#include "worker.h"
#include "../../shared/protocol/keys.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../db/pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AGENT_TICK_MS 1000

typedef struct {
    agent_runtime_t *rt;
    agent_redis_t    redis;
    PGconn          *pg;
} agent_maint_t;

static void
agent_heartbeat(agent_maint_t *m)
{
    agent_runtime_t *rt = m->rt;
    PGresult        *res;
    char             err[512], body[256], ttl[16], score[32];
    redisReply      *reply;
    int64_t          now = agent_now_ms();
    long             done;
    int              pg_ok, active, queued;

    res = agent_pg_exec(m->pg, "SELECT 1", 0, NULL, err, sizeof(err));
    pg_ok = res != NULL;
    PQclear(res);
    pthread_mutex_lock(&rt->lock);
    if (rt->pg_ok != pg_ok) {
        agent_log(pg_ok ? AGENT_LOG_INFO : AGENT_LOG_ERROR,
                  "PostgreSQL is %s%s%s", pg_ok ? "back" : "down",
                  pg_ok ? "" : ": ", pg_ok ? "" : err);
    }
    rt->pg_ok = pg_ok;
    done = rt->done;
    active = rt->active + rt->count;
    queued = rt->count;
    pthread_mutex_unlock(&rt->lock);
    /* like the heartbeat, retried on the next tick when Redis is away */
    (void)agent_metrics_export(&m->redis, rt->cfg->agent_id, queued,
                               active - queued, err, sizeof(err));

    snprintf(body, sizeof(body),
             "{\"pg\":\"%s\",\"ts\":%lld,\"jobs\":%d,"
             "\"done\":%ld,\"workers\":%d}",
             pg_ok ? "ok" : "down", (long long)now, active, done,
             rt->cfg->workers);
    snprintf(ttl, sizeof(ttl), "%d", MCP_AGENT_HEARTBEAT_TTL_S);
    snprintf(score, sizeof(score), "%lld", (long long)now);
    reply = agent_redis_cmdf(&m->redis, err, sizeof(err),
                             "SET " MCP_KEY_AGENT_FMT " %s EX %s",
                             rt->cfg->agent_id, body, ttl);
    freeReplyObject(reply);
    if (reply) {
        reply = agent_redis_cmdf(&m->redis, err, sizeof(err), "ZADD %s %s %s",
                                 MCP_KEY_AGENTS, score, rt->cfg->agent_id);
        freeReplyObject(reply);
        /* forget agents silent for an hour */
        reply = agent_redis_cmdf(&m->redis, err, sizeof(err),
                                 "ZREMRANGEBYSCORE %s -inf %lld",
                                 MCP_KEY_AGENTS, (long long)now - 3600000);
        freeReplyObject(reply);
    }
}

static void
agent_refresh_held(agent_maint_t *m)
{
    char        ids[256][AGENT_ENTRY_ID_MAX], err[256], idle[16];
    const char *argv[256 + 6];
    redisReply *reply;
    int         n, i, argc = 0;

    n = agent_runtime_held(m->rt, ids, 256);
    if (n == 0) {
        return;
    }
    snprintf(idle, sizeof(idle), "%d", AGENT_REFRESH_MIN_IDLE_MS);
    argv[argc++] = "XCLAIM";
    argv[argc++] = MCP_KEY_JOBS;
    argv[argc++] = MCP_JOBS_GROUP;
    argv[argc++] = m->rt->cfg->agent_id;
    argv[argc++] = idle;
    for (i = 0; i < n; i++) {
        argv[argc++] = ids[i];
    }
    argv[argc++] = "JUSTID";
    reply = agent_redis_cmd(&m->redis, err, sizeof(err), argc, argv);
    freeReplyObject(reply);
}

/* Delivery count of one pending entry (after XAUTOCLAIM counted it). */
static long
agent_deliveries(agent_maint_t *m, const char *id)
{
    char        err[256];
    const char *argv[] = {"XPENDING", MCP_KEY_JOBS, MCP_JOBS_GROUP,
                          id,         id,           "1"};
    redisReply *reply = agent_redis_cmd(&m->redis, err, sizeof(err), 6, argv);
    long        n = 0;

    if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 1 &&
        reply->element[0]->elements == 4) {
        n = (long)reply->element[0]->element[3]->integer;
    }
    freeReplyObject(reply);
    return n;
}

static void
agent_reclaim(agent_maint_t *m)
{
    char        err[512], idle[16], count[16], why[128];
    const char *argv[] = {
        "XAUTOCLAIM", MCP_KEY_JOBS, MCP_JOBS_GROUP, m->rt->cfg->agent_id,
        idle,         "0-0",        "COUNT",        count};
    redisReply *reply, *entries, *e, *fields;
    size_t      i, j;
    long        n;
    int         cap = agent_runtime_capacity(m->rt);

    if (cap == 0 || agent_runtime_stopping(m->rt)) {
        return;
    }
    snprintf(idle, sizeof(idle), "%d", m->rt->cfg->reclaim_idle_ms);
    snprintf(count, sizeof(count), "%d", cap);
    reply = agent_redis_cmd(&m->redis, err, sizeof(err), 8, argv);
    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY ||
        reply->elements < 2) {
        freeReplyObject(reply);
        return;
    }
    entries = reply->element[1];
    for (i = 0; i < entries->elements; i++) {
        e = entries->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements != 2) {
            continue;
        }
        n = agent_deliveries(m, e->element[0]->str);
        agent_warn("claimed job entry %s left by a dead agent (delivery %ld)",
                   e->element[0]->str, n);
        if (n > MCP_JOB_MAX_DELIVERIES) {
            fields = e->element[1];
            snprintf(why, sizeof(why),
                     "delivered %ld times without an "
                     "answer (limit %d)",
                     n, MCP_JOB_MAX_DELIVERIES);
            for (j = 0; j + 1 < fields->elements; j += 2) {
                if (strcmp(fields->element[j]->str, MCP_JOB_FIELD) == 0) {
                    agent_job_bury(&m->redis, e->element[0]->str,
                                   fields->element[j + 1]->str, n, why);
                }
            }
            continue;
        }
        agent_queue_entry(m->rt, e);
    }
    freeReplyObject(reply);
}

void *
agent_maintenance_main(void *arg)
{
    agent_maint_t   m;
    char            err[512];
    struct timespec tick = {AGENT_TICK_MS / 1000,
                            (AGENT_TICK_MS % 1000) * 1000000L};
    int             t = 0, exiting;

    memset(&m, 0, sizeof(m));
    m.rt = arg;
    m.pg = PQconnectdb(m.rt->cfg->database_url);
    if (agent_redis_open(&m.redis, m.rt->cfg->redis, 3000, err, sizeof(err)) !=
        0) {
        agent_warn("maintenance: %s", err);
    }
    for (;;) {
        pthread_mutex_lock(&m.rt->lock);
        exiting = m.rt->exiting;
        pthread_mutex_unlock(&m.rt->lock);
        if (exiting) {
            break;
        }
        agent_refresh_held(&m);
        if (t % (MCP_AGENT_HEARTBEAT_EVERY_MS / AGENT_TICK_MS) == 0) {
            agent_heartbeat(&m);
            agent_reclaim(&m);
        }
        t++;
        nanosleep(&tick, NULL);
    }
    freeReplyObject(agent_redis_cmdf(&m.redis, err, sizeof(err),
                                     "DEL " MCP_KEY_AGENT_FMT,
                                     m.rt->cfg->agent_id));
    freeReplyObject(agent_redis_cmdf(&m.redis, err, sizeof(err), "ZREM %s %s",
                                     MCP_KEY_AGENTS, m.rt->cfg->agent_id));
    agent_redis_close(&m.redis);
    PQfinish(m.pg);
    return NULL;
}
