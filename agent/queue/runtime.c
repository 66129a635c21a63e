/*
 * runtime.c: the mutex-protected hand-off between the reader thread and
 * the worker pool; capacity-bounded so the agent never reads more jobs
 * than it has idle workers (the rest stay in the stream for peers).
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

int
agent_runtime_init(agent_runtime_t *rt, const agent_config_t *cfg,
                   const mcp_catalog_t *catalog)
{
    memset(rt, 0, sizeof(*rt));
    rt->cfg = cfg;
    rt->catalog = catalog;
    rt->pg_ok = 1;
    /* The reader and the reclaimer each take at most the free capacity
     * they saw, so at most 2 * workers entries are ever queued or held. */
    rt->slots = 2 * cfg->workers;
    rt->queue = calloc((size_t)rt->slots, sizeof(agent_work_t));
    rt->held = calloc((size_t)rt->slots, AGENT_ENTRY_ID_MAX);
    if (rt->queue == NULL || rt->held == NULL) {
        free(rt->queue);
        free(rt->held);
        return -1;
    }
    pthread_mutex_init(&rt->lock, NULL);
    pthread_cond_init(&rt->changed, NULL);
    return 0;
}

void
agent_runtime_free(agent_runtime_t *rt)
{
    int i;

    for (i = 0; i < rt->count; i++) {
        free(rt->queue[(rt->head + i) % rt->slots].payload);
    }
    free(rt->queue);
    free(rt->held);
    pthread_mutex_destroy(&rt->lock);
    pthread_cond_destroy(&rt->changed);
}

int
agent_runtime_capacity(agent_runtime_t *rt)
{
    int n;

    pthread_mutex_lock(&rt->lock);
    n = rt->cfg->workers - rt->count - rt->active;
    pthread_mutex_unlock(&rt->lock);
    return n < 0 ? 0 : n;
}

void
agent_runtime_push(agent_runtime_t *rt, const char *entry_id, char *payload)
{
    agent_work_t *w;

    pthread_mutex_lock(&rt->lock);
    w = &rt->queue[(rt->head + rt->count) % rt->slots];
    memset(w->entry_id, 0, sizeof(w->entry_id));
    strncpy(w->entry_id, entry_id, sizeof(w->entry_id) - 1);
    w->payload = payload;
    rt->count++;
    if (rt->nheld < rt->slots) {
        memcpy(rt->held[rt->nheld++], w->entry_id, AGENT_ENTRY_ID_MAX);
    }
    pthread_cond_broadcast(&rt->changed);
    pthread_mutex_unlock(&rt->lock);
}

int
agent_runtime_pop(agent_runtime_t *rt, agent_work_t *w)
{
    pthread_mutex_lock(&rt->lock);
    while (rt->count == 0 && !rt->exiting) {
        pthread_cond_wait(&rt->changed, &rt->lock);
    }
    if (rt->count == 0) {
        pthread_mutex_unlock(&rt->lock);
        return -1;
    }
    *w = rt->queue[rt->head];
    rt->head = (rt->head + 1) % rt->slots;
    rt->count--;
    rt->active++;
    pthread_mutex_unlock(&rt->lock);
    return 0;
}

void
agent_runtime_done(agent_runtime_t *rt, const char *entry_id)
{
    int i;

    pthread_mutex_lock(&rt->lock);
    for (i = 0; i < rt->nheld; i++) {
        if (strcmp(rt->held[i], entry_id) == 0) {
            memcpy(rt->held[i], rt->held[--rt->nheld], AGENT_ENTRY_ID_MAX);
            break;
        }
    }
    rt->active--;
    rt->done++;
    pthread_cond_broadcast(&rt->changed);
    pthread_mutex_unlock(&rt->lock);
}

int
agent_runtime_held(agent_runtime_t *rt, char (*ids)[AGENT_ENTRY_ID_MAX],
                   int              max)
{
    int n;

    pthread_mutex_lock(&rt->lock);
    n = rt->nheld < max ? rt->nheld : max;
    memcpy(ids, rt->held, (size_t)n * AGENT_ENTRY_ID_MAX);
    pthread_mutex_unlock(&rt->lock);
    return n;
}

int
agent_runtime_stopping(agent_runtime_t *rt)
{
    int s;

    pthread_mutex_lock(&rt->lock);
    s = rt->stopping;
    pthread_mutex_unlock(&rt->lock);
    return s;
}
