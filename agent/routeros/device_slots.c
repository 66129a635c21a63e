/*
 * device_slots.c: the per-device concurrency cap: a counter per address
 * under one mutex, waiters parked on a condition variable.
 */
#include "device_slots.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct agent_slot_s agent_slot_t;

struct agent_slot_s {
    agent_slot_t *next;
    int           busy, waiting;
    char          host[64];
};

static pthread_mutex_t agent_slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  agent_slots_freed = PTHREAD_COND_INITIALIZER;
static agent_slot_t   *agent_slots;
static int             agent_slots_cap;

void
agent_slots_configure(int per_device)
{
    pthread_mutex_lock(&agent_slots_lock);
    if (agent_slots_cap == 0) {
        agent_slots_cap = per_device > 0 ? per_device : 1;
    }
    pthread_mutex_unlock(&agent_slots_lock);
}

/* The entry of host, created when absent (NULL when out of memory). */
static agent_slot_t *
agent_slot_find(const char *host, int create)
{
    agent_slot_t *s;

    for (s = agent_slots; s != NULL; s = s->next) {
        if (strcmp(s->host, host) == 0) {
            return s;
        }
    }
    if (!create || (s = calloc(1, sizeof(*s))) == NULL) {
        return NULL;
    }
    strncpy(s->host, host, sizeof(s->host) - 1);
    s->next = agent_slots;
    agent_slots = s;
    return s;
}

/* Frees the entry of an idle address so the list holds busy ones only. */
static void
agent_slot_drop(agent_slot_t *gone)
{
    agent_slot_t **p;

    for (p = &agent_slots; *p != NULL; p = &(*p)->next) {
        if (*p == gone) {
            *p = gone->next;
            free(gone);
            return;
        }
    }
}

int
agent_slot_acquire(const char *host, int64_t deadline_ms)
{
    struct timespec ts = {deadline_ms / 1000, (deadline_ms % 1000) * 1000000L};
    agent_slot_t   *s;
    int             rc = 0;

    pthread_mutex_lock(&agent_slots_lock);
    s = agent_slot_find(host, 1);
    if (s == NULL) {
        /* no memory for bookkeeping: let the call through uncounted */
        pthread_mutex_unlock(&agent_slots_lock);
        return 0;
    }
    s->waiting++;
    while (agent_slots_cap > 0 && s->busy >= agent_slots_cap && rc == 0) {
        if (deadline_ms > 0) {
            rc = pthread_cond_timedwait(&agent_slots_freed, &agent_slots_lock,
                                        &ts) == ETIMEDOUT ? -1 : 0;
        } else {
            pthread_cond_wait(&agent_slots_freed, &agent_slots_lock);
        }
    }
    s->waiting--;
    if (rc == 0) {
        s->busy++;
    } else if (s->busy == 0 && s->waiting == 0) {
        agent_slot_drop(s);
    }
    pthread_mutex_unlock(&agent_slots_lock);
    return rc;
}

void
agent_slot_release(const char *host)
{
    agent_slot_t *s;

    pthread_mutex_lock(&agent_slots_lock);
    s = agent_slot_find(host, 0);
    if (s != NULL && s->busy > 0) {
        s->busy--;
        if (s->busy == 0 && s->waiting == 0) {
            agent_slot_drop(s);
        }
    }
    pthread_cond_broadcast(&agent_slots_freed);
    pthread_mutex_unlock(&agent_slots_lock);
}
