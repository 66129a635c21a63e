/*
 * wait.c: one process-wide condition variable for pausing jobs, signalled
 * on shutdown and local cancel requests; cancellation is also polled so a
 * request arriving through another agent is seen within a second.
 */
#include "wait.h"
#include "../../shared/protocol/keys.h"
#include "../core/clock.h"
#include "../db/pg.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t agent_jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  agent_jobs_cond = PTHREAD_COND_INITIALIZER;
static int             agent_jobs_stop_flag;

void
agent_jobs_stop(void)
{
    pthread_mutex_lock(&agent_jobs_lock);
    agent_jobs_stop_flag = 1;
    pthread_cond_broadcast(&agent_jobs_cond);
    pthread_mutex_unlock(&agent_jobs_lock);
}

int
agent_jobs_stopping(void)
{
    int s;

    pthread_mutex_lock(&agent_jobs_lock);
    s = agent_jobs_stop_flag;
    pthread_mutex_unlock(&agent_jobs_lock);
    return s;
}

void
agent_jobs_poke(void)
{
    pthread_mutex_lock(&agent_jobs_lock);
    pthread_cond_broadcast(&agent_jobs_cond);
    pthread_mutex_unlock(&agent_jobs_lock);
}

int
agent_job_cancel_wanted(agent_ctx_t *ctx, const char *job_id)
{
    char        key[MCP_KEY_MAX], err[256];
    const char *argv[2] = { "GET", key };
    const char *p[1] = { job_id };
    redisReply *reply;
    PGresult   *res;
    int         yes;

    snprintf(key, sizeof(key), MCP_KEY_JOB_CANCEL_FMT, ctx->job->id);
    reply = agent_redis_cmd(ctx->redis, err, sizeof(err), 2, argv);
    yes = reply && reply->type == REDIS_REPLY_STRING &&
          strcmp(reply->str, MCP_CANCEL_BY_DEADLINE) != 0;
    freeReplyObject(reply);
    if (yes) {
        return 1;
    }
    res = agent_pg_exec(ctx->pg, "SELECT cancellation_requested FROM jobs "
                        "WHERE id = $1", 1, p, err, sizeof(err));
    yes = res && PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return yes;
}

agent_wait_t
agent_job_pause(agent_ctx_t *ctx, const char *job_id, int64_t until_ms)
{
    struct timespec ts;
    int64_t         now, slice;
    int             stop;

    for (;;) {
        if (agent_job_cancel_wanted(ctx, job_id)) {
            return AGENT_WAIT_CANCELLED;
        }
        now = agent_now_ms();
        pthread_mutex_lock(&agent_jobs_lock);
        stop = agent_jobs_stop_flag;
        if (!stop && now < until_ms) {
            slice = until_ms - now < 1000 ? until_ms - now : 1000;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += (time_t) (slice / 1000);
            ts.tv_nsec += (long) (slice % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&agent_jobs_cond, &agent_jobs_lock, &ts);
            stop = agent_jobs_stop_flag;
        }
        pthread_mutex_unlock(&agent_jobs_lock);
        if (stop) {
            return AGENT_WAIT_STOPPING;
        }
        if (agent_now_ms() >= until_ms) {
            return agent_job_cancel_wanted(ctx, job_id) ? AGENT_WAIT_CANCELLED
                                                        : AGENT_WAIT_DONE;
        }
    }
}
