/*
 * write_record.c: what a device write leaves in PostgreSQL: the
 * pre-change snapshot (JSON + sha256) and the DEVICE_WRITE audit event.
 */
#include "write_guard.h"
#include "../core/log.h"
#include "../db/audit.h"
#include "../db/pg.h"
#include "../../shared/util/hex.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
agent_write_snapshot(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *menu, const json_t *data, char *id, size_t idlen, char *err,
    size_t errlen)
{
    unsigned char rnd[4];
    char          sum[65], rhex[9], stamp[16], *text;
    const char   *params[6];
    struct tm     tm;
    time_t        now = time(NULL);
    json_t       *doc, *meta;
    char         *metatext;
    PGresult     *res;

    doc = json_pack("{s:s, s:s, s:O}", "device_id", dev->id, "menu", menu,
                    "data", data ? (json_t *) data : json_null());
    text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    if (text == NULL || RAND_bytes(rnd, sizeof(rnd)) != 1
        || mcp_sha256_hex(text, strlen(text), sum) != 0)
    {
        snprintf(err, errlen, "cannot encode or hash the snapshot");
        free(text);
        return -1;
    }
    mcp_hex_encode(rnd, sizeof(rnd), rhex);
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
    snprintf(id, idlen, "snap-%s-%s", stamp, rhex);
    meta = json_pack("{s:s, s:s, s:s, s:I, s:s}", "source", "rest",
                     "tool", ctx->job->name, "job_id", ctx->job->id,
                     "size_bytes", (json_int_t) strlen(text),
                     "checksum_algorithm", "sha256");
    metatext = meta ? json_dumps(meta, JSON_COMPACT) : NULL;
    json_decref(meta);
    params[0] = id;
    params[1] = dev->id;
    params[2] = menu;
    params[3] = text;
    params[4] = sum;
    params[5] = metatext ? metatext : "{}";
    res = agent_pg_exec(ctx->pg,
        "INSERT INTO snapshots (id, device_id, kind, data, checksum, meta) "
        "VALUES ($1, $2, $3, convert_to($4, 'UTF8'), $5, $6::jsonb)",
        6, params, err, errlen);
    PQclear(res);
    free(metatext);
    free(text);
    return res == NULL ? -1 : 0;
}

const char *
agent_write_op_name(agent_write_op_t op)
{
    static const char *names[] = { "set", "add", "remove", "command" };

    return names[op];
}

void
agent_write_audit(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, const agent_write_report_t *rep)
{
    agent_audit_event_t ev = { 0 };
    char                err[512];
    json_t             *m;
    int                 ok = rep->message[0] == '\0';

    m = json_pack("{s:O?, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:s?, s:s?}",
                  "parameters", (json_t *) w->params, "operation",
                  agent_write_op_name(w->op), "menu", w->menu, "dry_run",
                  w->dry_run, "changed", rep->applied && !rep->rolled_back,
                  "refused", rep->refused, "verified", rep->verified,
                  "rolled_back", rep->rolled_back, "snapshot_id",
                  rep->snapshot_id[0] ? rep->snapshot_id : NULL,
                  "created_id", rep->created_id[0] ? rep->created_id : NULL);
    ev.subject = ctx->job->subject;
    ev.action = "DEVICE_WRITE";
    ev.tool = ctx->job->name;
    ev.tier = mcp_tier_name(w->tier);
    ev.device_id = dev->id;
    ev.environment = ctx->cfg->environment;
    ev.job_id = ctx->job->id;
    ev.parameters = w->params;
    ev.outcome = ok ? "SUCCESS" : "FAILURE";
    ev.error = ok ? NULL : rep->message;
    ev.meta = m;
    if (agent_audit_append(ctx->pg, &ev, err, sizeof(err)) != 0) {
        agent_warn("job %s: write audit event not written: %s", ctx->job->id,
                   err);
    }
    json_decref(m);
}
