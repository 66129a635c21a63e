/*
 * platform.c: the platform helper tools (upstream-catalog §1.2): echo,
 * service_health (live checks of Redis, PostgreSQL and agent heartbeats)
 * and device_health (tools/device_health.c).
 */
#include "registry.h"
#include "../../shared/protocol/keys.h"
#include "../core/clock.h"
#include "../db/pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void agent_tool_device_health(agent_ctx_t *ctx, const json_t *args,
                              agent_outcome_t *out);

static void
agent_tool_echo(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const char *msg = json_string_value(json_object_get(args, "message"));

    if (msg == NULL) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "arguments.message is "
                   "required");
        return;
    }
    agent_result(out, 0,
                 json_pack("{s:s, s:s}", "message", msg, "environment",
                           ctx->cfg->environment),
                 "Echo: %s", msg);
}

static json_t *
agent_check_redis(agent_ctx_t *ctx, int *healthy)
{
    char        err[256];
    double      t0 = agent_mono_ms(), ms;
    redisReply *r = agent_redis_cmdf(ctx->redis, err, sizeof(err), "PING");

    ms = agent_mono_ms() - t0;
    *healthy = r != NULL && r->type == REDIS_REPLY_STATUS &&
               strcmp(r->str, "PONG") == 0;
    freeReplyObject(r);
    return json_pack("{s:b, s:f, s:s}", "healthy", *healthy, "duration_ms", ms,
                     "message", *healthy ? "PONG" : err);
}

static json_t *
agent_check_database(agent_ctx_t *ctx, int *healthy)
{
    char      err[256];
    double    t0 = agent_mono_ms(), ms;
    PGresult *res =
        agent_pg_exec(ctx->pg, "SELECT 1", 0, NULL, err, sizeof(err));
    int version;

    ms = agent_mono_ms() - t0;
    *healthy = res != NULL && PQntuples(res) == 1;
    PQclear(res);
    version =
        *healthy ? agent_pg_schema_version(ctx->pg, err, sizeof(err)) : -1;
    return json_pack("{s:b, s:f, s:s, s:i}", "healthy", *healthy, "duration_ms",
                     ms, "message", *healthy ? "SELECT 1 ok" : err,
                     "schema_version", version);
}

/* Agents whose heartbeat arrived within its TTL, with their own view of
 * PostgreSQL and their job counts. */
static json_t *
agent_check_agents(agent_ctx_t *ctx, int *alive, int *pg_down)
{
    char        err[256], min[32];
    redisReply *ids, *hb;
    json_t     *list = json_array(), *beat;
    int64_t     now = agent_now_ms();
    size_t      i;

    *alive = 0;
    *pg_down = 0;
    snprintf(min, sizeof(min), "%lld",
             (long long)(now - MCP_AGENT_HEARTBEAT_TTL_S * 1000));
    ids = agent_redis_cmdf(ctx->redis, err, sizeof(err),
                           "ZRANGEBYSCORE %s %s +inf", MCP_KEY_AGENTS, min);
    for (i = 0; ids && ids->type == REDIS_REPLY_ARRAY && i < ids->elements;
         i++) {
        hb = agent_redis_cmdf(ctx->redis, err, sizeof(err),
                              "GET " MCP_KEY_AGENT_FMT, ids->element[i]->str);
        beat = hb && hb->type == REDIS_REPLY_STRING
                   ? json_loads(hb->str, 0, NULL)
                   : NULL;
        freeReplyObject(hb);
        if (beat == NULL) {
            continue;
        }
        (*alive)++;
        if (!json_is_string(json_object_get(beat, "pg")) ||
            strcmp(json_string_value(json_object_get(beat, "pg")), "ok")) {
            (*pg_down)++;
        }
        json_object_set_new(beat, "id", json_string(ids->element[i]->str));
        json_array_append_new(list, beat);
    }
    freeReplyObject(ids);
    return json_pack("{s:b, s:i, s:o, s:s}", "healthy", *alive > 0, "alive",
                     *alive, "agents", list, "message",
                     *alive > 0 ? "heartbeats current" : "no agent heartbeat");
}

static void
agent_tool_service_health(agent_ctx_t *ctx, const json_t *args,
                          agent_outcome_t *out)
{
    json_t     *redis, *db, *agents;
    int         redis_ok, db_ok, alive, pg_down;
    const char *status;

    (void)args;
    redis = agent_check_redis(ctx, &redis_ok);
    db = agent_check_database(ctx, &db_ok);
    agents = agent_check_agents(ctx, &alive, &pg_down);
    status = !redis_ok || alive == 0 ? "unhealthy"
             : !db_ok || pg_down > 0 ? "degraded"
                                     : "healthy";
    agent_result(out, 0,
                 json_pack("{s:s, s:s, s:{s:o, s:o, s:o}}", "status", status,
                           "environment", ctx->cfg->environment, "components",
                           "redis", redis, "database", db, "agents", agents),
                 "Service %s: Redis %s, PostgreSQL %s, %d agent%s alive",
                 status, redis_ok ? "ok" : "DOWN", db_ok ? "ok" : "DOWN", alive,
                 alive == 1 ? "" : "s");
}

const agent_tool_def_t agent_tools_platform[] = {
    {"echo", agent_tool_echo},
    {"service_health", agent_tool_service_health},
    {"device_health", agent_tool_device_health},
    {NULL, NULL}};
