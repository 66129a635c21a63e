/*
 * events.c: the agent side of the per-job event stream; the final record,
 * the wake-up and the ack are one transaction so a crash never leaves a
 * result without its ack or an ack without its result.
 */
#include "events.h"
#include "../../shared/protocol/keys.h"
#include "../core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
agent_events_emit(agent_redis_t *r, const char *job_id, const char *notify,
                  const char *type, const char *data, char *err, size_t errlen)
{
    char        key[MCP_KEY_MAX], ttl[16];
    redisReply *reply;
    const char *xadd[] = {
        "XADD", key, "*", MCP_EVENT_FIELD_TYPE, type, MCP_EVENT_FIELD_DATA,
        data};
    const char *expire[] = {"EXPIRE", key, ttl};
    const char *publish[] = {"PUBLISH", notify, job_id};

    snprintf(key, sizeof(key), MCP_KEY_JOB_EVENTS_FMT, job_id);
    snprintf(ttl, sizeof(ttl), "%d", MCP_JOB_EVENTS_TTL_S);
    if ((reply = agent_redis_cmd(r, err, errlen, 7, xadd)) == NULL) {
        return -1;
    }
    freeReplyObject(reply);
    if ((reply = agent_redis_cmd(r, err, errlen, 3, expire)) == NULL) {
        return -1;
    }
    freeReplyObject(reply);
    if ((reply = agent_redis_cmd(r, err, errlen, 3, publish)) == NULL) {
        return -1;
    }
    freeReplyObject(reply);
    return 0;
}

void
agent_events_emit_json(agent_redis_t *r, const mcp_job_t *job, const char *type,
                       json_t *data)
{
    char *text, err[256];

    text = data ? json_dumps(data, JSON_COMPACT) : NULL;
    json_decref(data);
    if (text == NULL || agent_events_emit(r, job->id, job->notify, type, text,
                                          err, sizeof(err)) != 0) {
        agent_warn("job %s: %s record lost: %s", job->id, type,
                   text ? err : "out of memory");
    }
    free(text);
}

int
agent_events_finished(agent_redis_t *r, const char *job_id, char *err,
                      size_t errlen)
{
    char        key[MCP_KEY_MAX];
    redisReply *reply, *fields;
    const char *argv[] = {"XREVRANGE", key, "+", "-", "COUNT", "1"};
    size_t      i;
    int         done = 0;

    snprintf(key, sizeof(key), MCP_KEY_JOB_EVENTS_FMT, job_id);
    if ((reply = agent_redis_cmd(r, err, errlen, 6, argv)) == NULL) {
        return -1;
    }
    if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 1 &&
        reply->element[0]->type == REDIS_REPLY_ARRAY &&
        reply->element[0]->elements == 2) {
        fields = reply->element[0]->element[1];
        for (i = 0; i + 1 < fields->elements; i += 2) {
            if (strcmp(fields->element[i]->str, MCP_EVENT_FIELD_TYPE) == 0 &&
                (strcmp(fields->element[i + 1]->str, MCP_EVENT_RESULT) == 0 ||
                 strcmp(fields->element[i + 1]->str, MCP_EVENT_ERROR) == 0)) {
                done = 1;
            }
        }
    }
    freeReplyObject(reply);
    return done;
}

/* Sends the MULTI .. EXEC of a final record and reads its six replies;
 * *io is set when the connection failed (rather than Redis refusing). */
static int
agent_events_finish_once(agent_redis_t *r, const char *const *xadd,
                         const char *const *expire, const char *const *publish,
                         const char *const *xack, int *io, char *err,
                         size_t errlen)
{
    const char *multi[] = {"MULTI"};
    const char *exec[] = {"EXEC"};
    redisReply *reply;
    int         i, rc = 0;

    *io = 1;
    if (agent_redis_ensure(r, err, errlen) != 0) {
        return -1;
    }
    redisAppendCommandArgv(r->ctx, 1, multi, NULL);
    redisAppendCommandArgv(r->ctx, 7, (const char **)xadd, NULL);
    redisAppendCommandArgv(r->ctx, 3, (const char **)expire, NULL);
    redisAppendCommandArgv(r->ctx, 3, (const char **)publish, NULL);
    redisAppendCommandArgv(r->ctx, 4, (const char **)xack, NULL);
    redisAppendCommandArgv(r->ctx, 1, exec, NULL);
    for (i = 0; i < 6; i++) {
        if (redisGetReply(r->ctx, (void **)&reply) != REDIS_OK) {
            snprintf(err, errlen, "Redis at %s: %s", r->addr, r->ctx->errstr);
            return -1;
        }
        if (reply->type == REDIS_REPLY_ERROR ||
            (i == 5 && reply->type != REDIS_REPLY_ARRAY)) {
            snprintf(err, errlen, "Redis transaction failed: %s",
                     reply->type == REDIS_REPLY_ERROR ? reply->str
                                                      : "EXEC aborted");
            rc = -1;
        }
        freeReplyObject(reply);
    }
    *io = 0;
    return rc;
}

int
agent_events_finish(agent_redis_t *r, const char *job_id, const char *notify,
                    const char *type, const char *data, const char *entry_id,
                    char *err, size_t errlen)
{
    char        key[MCP_KEY_MAX], ttl[16];
    const char *xadd[] = {
        "XADD", key, "*", MCP_EVENT_FIELD_TYPE, type, MCP_EVENT_FIELD_DATA,
        data};
    const char *expire[] = {"EXPIRE", key, ttl};
    const char *publish[] = {"PUBLISH", notify, job_id};
    const char *xack[] = {"XACK", MCP_KEY_JOBS, MCP_JOBS_GROUP, entry_id};
    int         io, rc;

    snprintf(key, sizeof(key), MCP_KEY_JOB_EVENTS_FMT, job_id);
    snprintf(ttl, sizeof(ttl), "%d", MCP_JOB_EVENTS_TTL_S);
    rc = agent_events_finish_once(r, xadd, expire, publish, xack, &io, err,
                                  errlen);
    /* a connection Redis dropped since the last command (a restart) shows
     * only now: reconnect and send once more (a duplicate final record,
     * if the first one landed, is ignored by readers) */
    if (rc != 0 && io) {
        agent_redis_close(r);
        rc = agent_events_finish_once(r, xadd, expire, publish, xack, &io, err,
                                      errlen);
    }
    return rc;
}
