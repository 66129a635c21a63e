/*
 * audit_linker.h: the thread that links recorded audit events into the
 * hash chain shortly after they are written, off the answer path.
 */
#ifndef AGENT_QUEUE_AUDIT_LINKER_H
#define AGENT_QUEUE_AUDIT_LINKER_H

/* Events linked per transaction. */
#define AGENT_AUDIT_LINK_BATCH 500

/* Longest wait between two passes when no event wakes the thread (another
 * agent's or the admin CLI's events, a pass that found the lock taken). */
#define AGENT_AUDIT_LINK_IDLE_MS 200

/* Shortest time between two passes: events recorded meanwhile are linked
 * together, in one transaction. */
#define AGENT_AUDIT_LINK_GATHER_MS 20

/* Thread entry; arg is the agent_runtime_t. Links what is pending once
 * more after the runtime is exiting, then returns. */
void *agent_audit_linker_main(void *arg);

/* Wakes the linker (installed as the audit notify hook). */
void agent_audit_linker_wake(void);

#endif
