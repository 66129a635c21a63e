/*
 * maintenance.h: the housekeeping thread: heartbeat every 5 s, keeps the
 * jobs this agent holds from looking idle, and claims jobs left pending by
 * dead agents (XAUTOCLAIM), burying those delivered too often.
 */
#ifndef AGENT_QUEUE_MAINTENANCE_H
#define AGENT_QUEUE_MAINTENANCE_H

/* Held jobs idle longer than this get their idle time reset (every
 * second), so any reclaim idle time above a few seconds is safe. */
#define AGENT_REFRESH_MIN_IDLE_MS 500

/* Thread entry; arg is the agent_runtime_t. Returns after exiting is set. */
void *agent_maintenance_main(void *arg);

#endif
