/*
 * store.c: the plans table: immutable content with its hash, loading,
 * per-device status updates.
 */
#include "store.h"
#include "../db/audit.h"
#include "../db/pg.h"
#include "../../shared/util/hex.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
agent_plan_hash(const json_t *changes, char hex[65])
{
    char *text;
    int   rc;

    text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL) {
        return -1;
    }
    rc = mcp_sha256_hex(text, strlen(text), hex);
    free(text);
    return rc;
}

int
agent_plan_create(PGconn *pg, const agent_plan_new_t *p, char *id,
    char *hash, char *err, size_t errlen)
{
    unsigned char       rnd[4];
    char                rhex[9], stamp[16], batch[16], pause[16];
    char               *changes, *devices;
    const char         *params[10];
    struct tm           tm;
    time_t              now = time(NULL);
    agent_audit_event_t ev = { 0 };
    json_t             *meta;
    int                 rc;

    if (RAND_bytes(rnd, sizeof(rnd)) != 1
        || agent_plan_hash(p->changes, hash) != 0)
    {
        snprintf(err, errlen, "cannot name or hash the plan");
        return -1;
    }
    mcp_hex_encode(rnd, sizeof(rnd), rhex);
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
    snprintf(id, 65, "plan-%s-%s", stamp, rhex);
    snprintf(batch, sizeof(batch), "%d", p->batch_size);
    snprintf(pause, sizeof(pause), "%d", p->pause_seconds);
    changes = json_dumps(p->changes, JSON_COMPACT | JSON_SORT_KEYS);
    devices = json_dumps(p->device_ids, JSON_COMPACT);
    params[0] = id;
    params[1] = p->created_by;
    params[2] = p->tool_name;
    params[3] = devices;
    params[4] = p->summary;
    params[5] = changes;
    params[6] = hash;
    params[7] = p->risk_level;
    params[8] = batch;
    params[9] = pause;
    meta = json_pack("{s:s, s:s, s:O}", "risk_level", p->risk_level,
                     "content_hash", hash, "device_ids", p->device_ids);
    ev.subject = p->created_by;
    ev.action = "PLAN_CREATED";
    ev.tool = p->tool_name;
    ev.tier = "professional";
    ev.plan_id = id;
    ev.outcome = "SUCCESS";
    ev.meta = meta;
    rc = agent_audit_append_with(pg,
        "INSERT INTO plans (id, created_by, tool_name, device_ids, "
        "summary, changes, content_hash, risk_level, batch_size, "
        "pause_seconds_between_batches) VALUES ($1, $2, $3, $4::jsonb, $5, "
        "$6::jsonb, $7, $8, $9::int, $10::int)",
        10, params, &ev, err, errlen);
    json_decref(meta);
    free(changes);
    free(devices);
    return rc;
}

static void
agent_plan_copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

int
agent_plan_load(PGconn *pg, const char *id, agent_plan_t *plan, char *err,
    size_t errlen)
{
    const char *params[1] = { id };
    PGresult   *res;

    memset(plan, 0, sizeof(*plan));
    res = agent_pg_exec(pg,
        "SELECT id, status, tool_name, created_by, coalesce(approved_by, ''), "
        "content_hash, risk_level, batch_size, pause_seconds_between_batches, "
        "rollback_on_failure, changes::text, device_ids::text, "
        "device_statuses::text FROM plans WHERE id = $1",
        1, params, err, errlen);
    if (res == NULL) {
        return -1;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 1;
    }
    agent_plan_copy(plan->id, sizeof(plan->id), PQgetvalue(res, 0, 0));
    agent_plan_copy(plan->status, sizeof(plan->status), PQgetvalue(res, 0, 1));
    agent_plan_copy(plan->tool_name, sizeof(plan->tool_name),
                    PQgetvalue(res, 0, 2));
    agent_plan_copy(plan->created_by, sizeof(plan->created_by),
                    PQgetvalue(res, 0, 3));
    agent_plan_copy(plan->approved_by, sizeof(plan->approved_by),
                    PQgetvalue(res, 0, 4));
    agent_plan_copy(plan->content_hash, sizeof(plan->content_hash),
                    PQgetvalue(res, 0, 5));
    agent_plan_copy(plan->risk_level, sizeof(plan->risk_level),
                    PQgetvalue(res, 0, 6));
    plan->batch_size = atoi(PQgetvalue(res, 0, 7));
    plan->pause_seconds = atoi(PQgetvalue(res, 0, 8));
    plan->rollback_on_failure = PQgetvalue(res, 0, 9)[0] == 't';
    plan->changes = json_loads(PQgetvalue(res, 0, 10), 0, NULL);
    plan->device_ids = json_loads(PQgetvalue(res, 0, 11), 0, NULL);
    plan->device_statuses = json_loads(PQgetvalue(res, 0, 12), 0, NULL);
    PQclear(res);
    if (plan->changes == NULL || plan->device_ids == NULL
        || plan->device_statuses == NULL)
    {
        snprintf(err, errlen, "plan %s holds unreadable JSON", id);
        agent_plan_release(plan);
        return -1;
    }
    return 0;
}

void
agent_plan_release(agent_plan_t *plan)
{
    json_decref(plan->changes);
    json_decref(plan->device_ids);
    json_decref(plan->device_statuses);
    plan->changes = plan->device_ids = plan->device_statuses = NULL;
}

int
agent_plan_device_status(PGconn *pg, const char *plan_id,
    const char *device_id, const json_t *status, char *err, size_t errlen)
{
    const char *params[3];
    char       *text = json_dumps(status, JSON_COMPACT);
    PGresult   *res;

    params[0] = plan_id;
    params[1] = device_id;
    params[2] = text;
    res = agent_pg_exec(pg,
        "UPDATE plans SET device_statuses = jsonb_set(device_statuses, "
        "ARRAY[$2::text], $3::jsonb), updated_at = now() WHERE id = $1",
        3, params, err, errlen);
    PQclear(res);
    free(text);
    return res == NULL ? -1 : 0;
}
