/*
 * reader.c: XREADGROUP GROUP agents <agent id> COUNT <idle workers>
 * BLOCK 1000 on a dedicated connection; the 1 s block bounds how long a
 * stop request waits for the reader.
 */
#include "reader.h"
#include "../../shared/protocol/keys.h"
#include "../core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
agent_group_ensure(agent_redis_t *r, char *err, size_t errlen)
{
    const char *argv[] = {"XGROUP",       "CREATE", MCP_KEY_JOBS,
                          MCP_JOBS_GROUP, "$",      "MKSTREAM"};
    redisReply *reply = agent_redis_cmd(r, err, errlen, 6, argv);

    if (reply == NULL) {
        return strstr(err, "BUSYGROUP") != NULL ? 0 : -1;
    }
    freeReplyObject(reply);
    return 0;
}

/* The value of field "job" in a stream entry's field list, or NULL. */
static const char *
agent_entry_job(const redisReply *fields)
{
    size_t i;

    if (fields == NULL || fields->type != REDIS_REPLY_ARRAY) {
        return NULL;
    }
    for (i = 0; i + 1 < fields->elements; i += 2) {
        if (fields->element[i]->type == REDIS_REPLY_STRING &&
            strcmp(fields->element[i]->str, MCP_JOB_FIELD) == 0 &&
            fields->element[i + 1]->type == REDIS_REPLY_STRING) {
            return fields->element[i + 1]->str;
        }
    }
    return NULL;
}

void
agent_queue_entry(agent_runtime_t *rt, const redisReply *e)
{
    const char *job;
    char       *copy;

    /* Redis 6.2 reports entries deleted by MAXLEN as nil */
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
        e->element[0]->type != REDIS_REPLY_STRING ||
        e->element[0]->len >= AGENT_ENTRY_ID_MAX) {
        return;
    }
    job = agent_entry_job(e->element[1]);
    copy = strdup(job ? job : "");
    if (copy == NULL) {
        agent_error("out of memory queueing entry %s", e->element[0]->str);
        return;
    }
    agent_runtime_push(rt, e->element[0]->str, copy);
}

void
agent_queue_entries(agent_runtime_t *rt, const redisReply *entries)
{
    size_t i;

    for (i = 0; entries && i < entries->elements; i++) {
        agent_queue_entry(rt, entries->element[i]);
    }
}

static void
agent_reader_wait(agent_runtime_t *rt)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_mutex_lock(&rt->lock);
    if (rt->count + rt->active >= rt->cfg->workers && !rt->stopping) {
        pthread_cond_timedwait(&rt->changed, &rt->lock, &until);
    }
    pthread_mutex_unlock(&rt->lock);
}

void *
agent_reader_main(void *arg)
{
    agent_runtime_t *rt = arg;
    agent_redis_t    r;
    redisReply      *reply;
    char             err[512], count[16];
    const char      *argv[] = {"XREADGROUP",      "GROUP", MCP_JOBS_GROUP,
                               rt->cfg->agent_id, "COUNT", count,
                               "BLOCK",           "1000",  "STREAMS",
                               MCP_KEY_JOBS,      ">"};
    int              cap, down = 0;
    struct timespec  pause = {1, 0};

    if (agent_redis_open(&r, rt->cfg->redis, 5000, err, sizeof(err)) != 0) {
        agent_warn("reader: %s", err);
        down = 1;
    }
    while (!agent_runtime_stopping(rt)) {
        cap = agent_runtime_capacity(rt);
        if (cap == 0) {
            agent_reader_wait(rt);
            continue;
        }
        snprintf(count, sizeof(count), "%d", cap);
        reply = agent_redis_cmd(&r, err, sizeof(err), 11, argv);
        if (reply == NULL) {
            /* Redis restarted without persistence: the group is gone */
            if (strstr(err, "NOGROUP") != NULL &&
                agent_group_ensure(&r, err, sizeof(err)) == 0) {
                agent_warn("reader: consumer group recreated");
                continue;
            }
            if (!down) {
                agent_error("reader: %s; retrying every second", err);
                down = 1;
            }
            nanosleep(&pause, NULL);
            continue;
        }
        if (down) {
            agent_info("reader: Redis is back");
            down = 0;
        }
        if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 1 &&
            reply->element[0]->elements == 2) {
            agent_queue_entries(rt, reply->element[0]->element[1]);
        }
        freeReplyObject(reply);
    }
    agent_redis_close(&r);
    return NULL;
}
