/*
 * main.c: routeros-mcp-agent: checks its configuration, schema and tool
 * catalog, then runs the job reader, the worker pool and the maintenance
 * thread until SIGTERM/SIGINT, draining in-flight jobs (30 s cap).
 */
#include "../shared/catalog/catalog.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/pg.h"
#include "jobs/wait.h"
#include "queue/audit_linker.h"
#include "queue/maintenance.h"
#include "queue/reader.h"
#include "queue/runtime.h"
#include "queue/worker.h"
#include "tools/registry.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AGENT_DRAIN_MS 30000

/* Everything that can refuse the start: schema, catalog, Redis. */
static int
agent_preflight(const agent_config_t *cfg, mcp_catalog_t *cat)
{
    char          err[2048];
    PGconn       *pg;
    agent_redis_t r;
    int           rc;

    if (cfg->catalog_dir == NULL || *cfg->catalog_dir == '\0') {
        agent_error("ROUTEROS_MCP_CATALOG is not set (the directory "
                    "shared/catalog/tools)");
        return -1;
    }
    if (mcp_catalog_load(cfg->catalog_dir, cat, err, sizeof(err)) != 0) {
        agent_error("tool catalog %s: %s", cfg->catalog_dir, err);
        return -1;
    }
    if (agent_registry_check(cat, err, sizeof(err)) != 0) {
        agent_error("tool catalog and handlers disagree: %s", err);
        return -1;
    }
    pg = agent_pg_connect(cfg->database_url, err, sizeof(err));
    if (pg == NULL) {
        agent_error("PostgreSQL: %s", err);
        return -1;
    }
    rc = agent_pg_check_schema(pg, err, sizeof(err));
    PQfinish(pg);
    if (rc != 0) {
        agent_error("%s", err);
        return -1;
    }
    if (agent_redis_open(&r, cfg->redis, 3000, err, sizeof(err)) != 0) {
        agent_error("%s", err);
        return -1;
    }
    rc = agent_group_ensure(&r, err, sizeof(err));
    agent_redis_close(&r);
    if (rc != 0) {
        agent_error("creating the consumer group: %s", err);
        return -1;
    }
    return 0;
}

/* Waits for the queue to empty and the workers to go idle, up to the cap;
 * returns the number of jobs still unfinished. */
static int
agent_drain(agent_runtime_t *rt)
{
    struct timespec until;
    int             left;
    double          end = agent_mono_ms() + AGENT_DRAIN_MS;

    pthread_mutex_lock(&rt->lock);
    while ((rt->count > 0 || rt->active > 0) && agent_mono_ms() < end) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&rt->changed, &rt->lock, &until);
    }
    left = rt->count + rt->active;
    rt->exiting = 1;
    pthread_cond_broadcast(&rt->changed);
    pthread_mutex_unlock(&rt->lock);
    return left;
}

static int
agent_run(agent_runtime_t *rt)
{
    pthread_t *workers, reader, maint, linker;
    sigset_t   sigs;
    int        i, sig, started = 0, left;

    workers = calloc((size_t)rt->cfg->workers, sizeof(pthread_t));
    if (workers == NULL) {
        return -1;
    }
    for (i = 0; i < rt->cfg->workers; i++) {
        if (pthread_create(&workers[i], NULL, agent_worker_main, rt) != 0) {
            break;
        }
        started++;
    }
    pthread_create(&maint, NULL, agent_maintenance_main, rt);
    agent_audit_set_notify(agent_audit_linker_wake);
    pthread_create(&linker, NULL, agent_audit_linker_main, rt);
    pthread_create(&reader, NULL, agent_reader_main, rt);
    agent_info("agent %s running: %d workers, environment %s, %zu tools",
               rt->cfg->agent_id, started, rt->cfg->environment,
               rt->catalog->ntools);

    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigwait(&sigs, &sig);
    agent_info("%s: no new jobs; finishing in-flight ones (up to %d s)",
               sig == SIGTERM ? "SIGTERM" : "SIGINT", AGENT_DRAIN_MS / 1000);
    pthread_mutex_lock(&rt->lock);
    rt->stopping = 1;
    pthread_cond_broadcast(&rt->changed);
    pthread_mutex_unlock(&rt->lock);
    agent_jobs_stop();
    pthread_join(reader, NULL);
    left = agent_drain(rt);
    pthread_join(maint, NULL);
    if (left > 0) {
        /* still running past the cap: stay pending for another agent */
        agent_warn("%d job(s) unfinished after %d s; left to other agents",
                   left, AGENT_DRAIN_MS / 1000);
        fflush(stderr);
        _exit(0);
    }
    for (i = 0; i < started; i++) {
        pthread_join(workers[i], NULL);
    }
    agent_audit_linker_wake();
    pthread_join(linker, NULL);
    free(workers);
    agent_info("agent %s stopped", rt->cfg->agent_id);
    return 0;
}

int
main(void)
{
    agent_config_t  cfg;
    mcp_catalog_t   cat;
    agent_runtime_t rt;
    char            err[512];
    sigset_t        sigs;
    int             rc = 1;

    memset(&cat, 0, sizeof(cat));
    if (agent_config_load(&cfg, 1, err, sizeof(err)) != 0) {
        agent_error("%s", err);
        return 1;
    }
    /* every thread inherits this mask; main collects the signals */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        agent_error("libcurl initialisation failed");
        goto done;
    }
    if (agent_preflight(&cfg, &cat) != 0) {
        goto curl;
    }
    if (agent_runtime_init(&rt, &cfg, &cat) != 0) {
        agent_error("out of memory");
        goto curl;
    }
    rc = agent_run(&rt) == 0 ? 0 : 1;
    agent_runtime_free(&rt);
curl:
    curl_global_cleanup();
done:
    mcp_catalog_free(&cat);
    agent_config_clear(&cfg);
    return rc;
}
