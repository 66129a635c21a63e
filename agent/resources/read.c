/*
 * read.c: resources/read in the agent: picks the handler of the matched
 * URI template and wraps its JSON document as a ReadResourceResult.
 */
#include "resources.h"
#include "../core/log.h"
#include "../db/pg.h"
#include "../tools/registry.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char       *template; /* as the module sends it */
    agent_resource_fn read;
} agent_resource_def_t;

static const agent_resource_def_t agent_resources[] = {
    {"fleet://health-summary", agent_res_fleet_health},
    {"fleet://devices-by-environment", agent_res_fleet_by_environment},
    {"audit://events/recent", agent_res_audit_recent},
    {"device://{device_id}/overview", agent_res_device_overview},
    {"device://{device_id}/health", agent_res_device_health},
    {"device://{device_id}/config", agent_res_device_config},
    {"plan://{plan_id}/details", agent_res_plan_details},
    {"job://{job_id}", agent_res_job},
    {"plan://{plan_id}/history", agent_res_plan_history},
    {"audit://events/by-device/{device_id}", agent_res_audit_by_device},
    {NULL, NULL}};

void
agent_resource_missing(agent_outcome_t *out, const char *what, const char *id)
{
    agent_fail(out, MCP_ERR_RESOURCE_NOT_FOUND, "Resource not found: %s%s%s",
               what, id ? " " : "", id ? id : "");
}

int
agent_resource_query(agent_ctx_t *ctx, const char *sql, int nparams,
                     const char *const *params, json_t **doc,
                     agent_outcome_t *out)
{
    char          err[512];
    PGresult     *res;
    json_error_t  jerr;

    *doc = NULL;
    res = agent_pg_exec(ctx->pg, sql, nparams, params, err, sizeof(err));
    if (res == NULL) {
        agent_error("job %s: resource query failed: %s", ctx->job->id, err);
        agent_fail(out, MCP_ERR_INTERNAL, "database error: %s", err);
        return -1;
    }
    if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
        *doc = json_loads(PQgetvalue(res, 0, 0), JSON_DECODE_ANY, &jerr);
        if (*doc == NULL) {
            agent_fail(out, MCP_ERR_INTERNAL, "database returned bad JSON: %s",
                       jerr.text);
            PQclear(res);
            return -1;
        }
    }
    PQclear(res);
    return 0;
}

json_t *
agent_resource_tool(agent_ctx_t *ctx, const char *name, const json_t *args,
                    int *is_error, agent_outcome_t *out)
{
    agent_outcome_t   sub;
    agent_tool_fn     fn;
    const mcp_tool_t *saved = ctx->tool;
    json_t           *doc;

    memset(&sub, 0, sizeof(sub));
    ctx->tool = mcp_catalog_find(ctx->catalog, name, strlen(name));
    fn = ctx->tool ? agent_registry_find(name) : NULL;
    if (fn == NULL) {
        ctx->tool = saved;
        agent_fail(out, MCP_ERR_INTERNAL, "tool %s is not available", name);
        return NULL;
    }
    fn(ctx, args, &sub);
    ctx->tool = saved;
    if (sub.result == NULL) {
        if (sub.err == MCP_ERR_DEVICE_NOT_FOUND) {
            agent_fail(out, MCP_ERR_RESOURCE_NOT_FOUND, "Resource not found: %s",
                       sub.message);
        } else {
            agent_fail(out, sub.err, "%s", sub.message);
        }
        return NULL;
    }
    *is_error = json_is_true(json_object_get(sub.result, "isError"));
    doc = json_object_get(sub.result, "structuredContent");
    if (doc != NULL) {
        json_incref(doc);
    } else {
        doc = json_pack(
            "{s:O?}", "error",
            json_object_get(
                json_array_get(json_object_get(sub.result, "content"), 0),
                "text"));
    }
    json_decref(sub.result);
    if (doc == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "out of memory");
    }
    return doc;
}

void
agent_resource_read(agent_ctx_t *ctx, const json_t *args,
                    agent_outcome_t *out)
{
    const char                 *tpl;
    const agent_resource_def_t *def;
    json_t                     *doc;
    char                       *text;

    tpl = json_string_value(json_object_get(args, "template"));
    for (def = agent_resources; def->template != NULL; def++) {
        if (tpl != NULL && strcmp(def->template, tpl) == 0) {
            break;
        }
    }
    if (def->template == NULL) {
        agent_resource_missing(out, ctx->job->name, NULL);
        return;
    }
    doc = def->read(ctx, args, out);
    if (doc == NULL) {
        return;
    }
    text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(doc);
    out->result = text ? json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri",
                                   ctx->job->name, "mimeType",
                                   "application/json", "text", text)
                       : NULL;
    free(text);
    if (out->result == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "out of memory building %s",
                   ctx->job->name);
    }
}
