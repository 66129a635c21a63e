/*
 * worker.h: a worker thread: takes jobs from the runtime queue and runs
 * them with its own PostgreSQL connection, Redis connection and curl handle.
 */
#ifndef AGENT_QUEUE_WORKER_H
#define AGENT_QUEUE_WORKER_H

#include "runtime.h"
#include "redis_conn.h"

/* Thread entry; arg is the agent_runtime_t. */
void *agent_worker_main(void *arg);

/*
 * Ends a job the agent will not run (undecodable, delivered too often):
 * copies it to mcp:jobs:dead, answers its client with an error record when
 * the job names one, and acks it. 0 or -1.
 */
int agent_job_bury(agent_redis_t *r, const char *entry_id, const char *payload,
                   long deliveries, const char *why);

#endif
