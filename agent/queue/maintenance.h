/*
 * maintenance.h: the housekeeping thread: heartbeat every 5 s, keeps the
 * jobs this agent holds from looking idle, and claims jobs left pending by
 * dead agents (XAUTOCLAIM), burying those delivered too often.
 */
#ifndef AGENT_QUEUE_MAINTENANCE_H
#define AGENT_QUEUE_MAINTENANCE_H

/* A pending job idle this long belongs to a dead agent. */
#define AGENT_RECLAIM_MIN_IDLE_MS 15000
/* Held jobs idle longer than this get their idle time reset. */
#define AGENT_REFRESH_MIN_IDLE_MS 2000

/* Thread entry; arg is the agent_runtime_t. Returns after exiting is set. */
void *agent_maintenance_main(void *arg);

#endif
