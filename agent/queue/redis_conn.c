/*
 * redis_conn.c: connects to Redis by IP:port or unix socket and retries a
 * command once on a fresh connection, so a Redis restart costs one error.
 */
#include "redis_conn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
agent_redis_connect(agent_redis_t *r, char *err, size_t errlen)
{
    struct timeval tv = {r->timeout_ms / 1000, (r->timeout_ms % 1000) * 1000};
    char           host[64];
    const char    *colon;
    size_t         hl;

    if (r->ctx) {
        redisFree(r->ctx);
        r->ctx = NULL;
    }
    if (strncmp(r->addr, "unix:", 5) == 0) {
        r->ctx = redisConnectUnixWithTimeout(r->addr + 5, tv);
    } else {
        colon = strrchr(r->addr, ':');
        hl = colon ? (size_t)(colon - r->addr) : 0;
        if (colon == NULL || hl == 0 || hl >= sizeof(host)) {
            snprintf(err, errlen,
                     "ROUTEROS_MCP_REDIS \"%s\" is not "
                     "IP:port or unix:/path",
                     r->addr);
            return -1;
        }
        memcpy(host, r->addr, hl);
        host[hl] = '\0';
        r->ctx = redisConnectWithTimeout(host, atoi(colon + 1), tv);
    }
    if (r->ctx == NULL || r->ctx->err) {
        snprintf(err, errlen, "cannot connect to Redis at %s: %s", r->addr,
                 r->ctx ? r->ctx->errstr : "out of memory");
        if (r->ctx) {
            redisFree(r->ctx);
            r->ctx = NULL;
        }
        return -1;
    }
    redisSetTimeout(r->ctx, tv);
    return 0;
}

int
agent_redis_open(agent_redis_t *r, const char *addr, int timeout_ms, char *err,
                 size_t errlen)
{
    r->ctx = NULL;
    r->addr = addr;
    r->timeout_ms = timeout_ms;
    return agent_redis_connect(r, err, errlen);
}

int
agent_redis_ensure(agent_redis_t *r, char *err, size_t errlen)
{
    if (r->ctx != NULL && r->ctx->err == 0) {
        return 0;
    }
    return agent_redis_connect(r, err, errlen);
}

void
agent_redis_close(agent_redis_t *r)
{
    if (r->ctx) {
        redisFree(r->ctx);
        r->ctx = NULL;
    }
}

redisReply *
agent_redis_cmd(agent_redis_t *r, char *err, size_t errlen, int argc,
                const char **argv)
{
    redisReply *reply = NULL;
    int         attempt;

    for (attempt = 0; attempt < 2 && reply == NULL; attempt++) {
        if ((r->ctx == NULL || r->ctx->err) &&
            agent_redis_connect(r, err, errlen) != 0) {
            continue;
        }
        reply = redisCommandArgv(r->ctx, argc, argv, NULL);
        if (reply == NULL) {
            snprintf(err, errlen, "Redis at %s: %s", r->addr, r->ctx->errstr);
        }
    }
    if (reply && reply->type == REDIS_REPLY_ERROR) {
        snprintf(err, errlen, "Redis: %s", reply->str);
        freeReplyObject(reply);
        return NULL;
    }
    return reply;
}

redisReply *
agent_redis_cmdf(agent_redis_t *r, char *err, size_t errlen, const char *fmt,
                 ...)
{
    redisReply *reply = NULL;
    va_list     ap;
    int         attempt;

    for (attempt = 0; attempt < 2 && reply == NULL; attempt++) {
        if ((r->ctx == NULL || r->ctx->err) &&
            agent_redis_connect(r, err, errlen) != 0) {
            continue;
        }
        va_start(ap, fmt);
        reply = redisvCommand(r->ctx, fmt, ap);
        va_end(ap);
        if (reply == NULL) {
            snprintf(err, errlen, "Redis at %s: %s", r->addr, r->ctx->errstr);
        }
    }
    if (reply && reply->type == REDIS_REPLY_ERROR) {
        snprintf(err, errlen, "Redis: %s", reply->str);
        freeReplyObject(reply);
        return NULL;
    }
    return reply;
}
