/*
 * audit_linker.c: the audit linker thread: woken after each recorded event
 * (or every AGENT_AUDIT_LINK_IDLE_MS), links the pending events in batches.
 */
#include "audit_linker.h"
#include "runtime.h"
#include "../core/log.h"
#include "../db/audit.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t agent_linker_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  agent_linker_cond = PTHREAD_COND_INITIALIZER;
static int             agent_linker_pending;

void
agent_audit_linker_wake(void)
{
    pthread_mutex_lock(&agent_linker_lock);
    agent_linker_pending = 1;
    pthread_cond_signal(&agent_linker_cond);
    pthread_mutex_unlock(&agent_linker_lock);
}

/* Waits for a wake-up or the idle period. */
static void
agent_linker_wait(void)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)AGENT_AUDIT_LINK_IDLE_MS * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
    }
    pthread_mutex_lock(&agent_linker_lock);
    if (!agent_linker_pending) {
        pthread_cond_timedwait(&agent_linker_cond, &agent_linker_lock, &until);
    }
    agent_linker_pending = 0;
    pthread_mutex_unlock(&agent_linker_lock);
}

/* Links until nothing is pending (or the lock is another linker's). */
static void
agent_linker_pass(PGconn *pg, int wait)
{
    char err[512];
    int  linked;

    do {
        if (PQstatus(pg) != CONNECTION_OK) {
            PQreset(pg);
        }
        if (agent_audit_link_pending(pg, AGENT_AUDIT_LINK_BATCH, wait, &linked,
                                     err, sizeof(err)) != 0) {
            agent_warn("audit linker: %s", err);
            return;
        }
    } while (linked == AGENT_AUDIT_LINK_BATCH);
}

static int
agent_linker_exiting(agent_runtime_t *rt)
{
    int yes;

    pthread_mutex_lock(&rt->lock);
    yes = rt->exiting;
    pthread_mutex_unlock(&rt->lock);
    return yes;
}

void *
agent_audit_linker_main(void *arg)
{
    agent_runtime_t *rt = arg;
    PGconn          *pg = PQconnectdb(rt->cfg->database_url);
    struct timespec  gather = {0, AGENT_AUDIT_LINK_GATHER_MS * 1000000L};

    if (pg == NULL) {
        agent_error("audit linker: out of memory");
        return NULL;
    }
    while (!agent_linker_exiting(rt)) {
        agent_linker_wait();
        nanosleep(&gather, NULL);
        agent_linker_pass(pg, 0);
    }
    /* the drained workers' last events, waiting for any other linker */
    agent_linker_pass(pg, 1);
    PQfinish(pg);
    return NULL;
}
