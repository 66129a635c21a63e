/*
 * store.h: plans in PostgreSQL: create (immutable content and its sha256),
 * load, recompute the content hash, record per-device apply status.
 */
#ifndef AGENT_PLANS_STORE_H
#define AGENT_PLANS_STORE_H

#include <jansson.h>
#include <libpq-fe.h>

typedef struct {
    char    id[65];
    char    status[33];
    char    tool_name[129];
    char    created_by[256];
    char    approved_by[256];    /* "" when not approved */
    char    content_hash[65];    /* as stored at creation */
    char    risk_level[17];
    int     batch_size;
    int     pause_seconds;
    int     rollback_on_failure;
    json_t *changes;             /* the content */
    json_t *device_ids;
    json_t *device_statuses;
} agent_plan_t;

typedef struct {
    const char   *created_by;
    const char   *tool_name;
    const char   *summary;
    const char   *risk_level;
    const json_t *changes;
    const json_t *device_ids;
    int           batch_size;      /* 1..50 */
    int           pause_seconds;
} agent_plan_new_t;

/* sha256 hex of the canonical text (sorted keys, compact) of changes. */
int agent_plan_hash(const json_t *changes, char hex[65]);

/* Inserts the plan (status pending) and its PLAN_CREATED audit row in one
 * transaction; id gets "plan-<UTC stamp>-<8 hex>". 0 or -1. */
int agent_plan_create(PGconn *pg, const agent_plan_new_t *p, char *id,
    char *hash, char *err, size_t errlen);

/* 0 loaded, 1 not found, -1 error. Release with agent_plan_release. */
int agent_plan_load(PGconn *pg, const char *id, agent_plan_t *plan,
    char *err, size_t errlen);

void agent_plan_release(agent_plan_t *plan);

/* Sets device_statuses[device_id] = status (object, borrowed). */
int agent_plan_device_status(PGconn *pg, const char *plan_id,
    const char *device_id, const json_t *status, char *err, size_t errlen);

#endif
