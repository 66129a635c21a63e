/*
 * redis_conn.h: synchronous hiredis connections of the agent ("ip:port" or
 * "unix:/path", never a hostname) that reconnect after an I/O error.
 */
#ifndef AGENT_QUEUE_REDIS_CONN_H
#define AGENT_QUEUE_REDIS_CONN_H

#include <hiredis/hiredis.h>
#include <stddef.h>

typedef struct {
    redisContext *ctx;
    const char   *addr;
    int           timeout_ms; /* socket timeout for every command */
} agent_redis_t;

/* Connects (or fails with err set); on failure the struct is still usable
 * and the next command tries again. */
int agent_redis_open(agent_redis_t *r, const char *addr, int timeout_ms,
                     char *err, size_t errlen);

void agent_redis_close(agent_redis_t *r);

/* (Re)connects when there is no connection or the last one failed; for
 * callers that pipeline with the context directly. 0, or -1 with err. */
int agent_redis_ensure(agent_redis_t *r, char *err, size_t errlen);

/*
 * Runs a command (argv form), reconnecting once when the connection broke.
 * Returns the reply (caller frees with freeReplyObject) or NULL with err set
 * — including for REDIS_REPLY_ERROR replies, whose text goes into err.
 */
redisReply *agent_redis_cmd(agent_redis_t *r, char *err, size_t errlen,
                            int argc, const char **argv);

/* printf-style convenience around agent_redis_cmd. */
redisReply *agent_redis_cmdf(agent_redis_t *r, char *err, size_t errlen,
                             const char *fmt, ...);

#endif
