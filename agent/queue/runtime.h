/*
 * runtime.h: state shared by the agent's threads: the bounded hand-off
 * queue from the reader to the workers, the set of entries this agent
 * holds (kept from being re-claimed), and the stop flag.
 */
#ifndef AGENT_QUEUE_RUNTIME_H
#define AGENT_QUEUE_RUNTIME_H

#include "../../shared/catalog/catalog.h"
#include "../core/config.h"

#include <pthread.h>

#define AGENT_ENTRY_ID_MAX 48

typedef struct {
    char  entry_id[AGENT_ENTRY_ID_MAX]; /* mcp:jobs stream entry id */
    char *payload;                      /* job JSON, malloc'ed */
} agent_work_t;

typedef struct {
    const agent_config_t *cfg;
    const mcp_catalog_t  *catalog;

    pthread_mutex_t lock;
    pthread_cond_t  changed; /* queue or counters changed */
    int             slots;   /* size of queue and held */
    agent_work_t   *queue;   /* ring of slots entries */
    int             head, count;
    int             active;           /* jobs being run by workers */
    long            done;             /* jobs finished since start */
    char (*held)[AGENT_ENTRY_ID_MAX]; /* entries we hold */
    int nheld;
    int stopping; /* no new jobs are read */
    int exiting;  /* workers leave when idle */
    int pg_ok;    /* last PostgreSQL probe */
} agent_runtime_t;

int  agent_runtime_init(agent_runtime_t *rt, const agent_config_t *cfg,
                        const mcp_catalog_t *catalog);
void agent_runtime_free(agent_runtime_t *rt);

/* Free worker capacity: workers - (queued + active). */
int agent_runtime_capacity(agent_runtime_t *rt);

/* Queues a job (takes payload) and records the entry as held. The caller
 * checked capacity, so this never blocks. */
void agent_runtime_push(agent_runtime_t *rt, const char *entry_id,
                        char *payload);

/* Waits for a job; 0 with *w filled, -1 when the workers must exit. */
int agent_runtime_pop(agent_runtime_t *rt, agent_work_t *w);

/* A worker finished (or gave up on) an entry. */
void agent_runtime_done(agent_runtime_t *rt, const char *entry_id);

/* Copies the held entry ids into ids (at most max); returns the count. */
int agent_runtime_held(agent_runtime_t *rt, char (*ids)[AGENT_ENTRY_ID_MAX],
                       int              max);

int agent_runtime_stopping(agent_runtime_t *rt);

#endif
