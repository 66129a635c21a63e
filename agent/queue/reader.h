/*
 * reader.h: the thread that reads new jobs from the mcp:jobs consumer
 * group, only as many as there are idle workers.
 */
#ifndef AGENT_QUEUE_READER_H
#define AGENT_QUEUE_READER_H

#include "redis_conn.h"
#include "runtime.h"

#include <stddef.h>

/* XGROUP CREATE mcp:jobs agents $ MKSTREAM; an existing group is fine. */
int agent_group_ensure(agent_redis_t *r, char *err, size_t errlen);

/* Queues one stream entry [id, [field, value...]] (others are skipped). */
void agent_queue_entry(agent_runtime_t *rt, const redisReply *entry);

/* Queues the entries of an XREADGROUP/XAUTOCLAIM entry array. */
void agent_queue_entries(agent_runtime_t *rt, const redisReply *entries);

/* Thread entry; arg is the agent_runtime_t. Returns when stopping. */
void *agent_reader_main(void *arg);

#endif
