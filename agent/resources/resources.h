/*
 * resources.h: the agent's answers to "resource" jobs (resources/read of
 * the URIs in upstream-catalog §2.1) and "completion" jobs.
 */
#ifndef AGENT_RESOURCES_RESOURCES_H
#define AGENT_RESOURCES_RESOURCES_H

#include "../tools/tool.h"

/*
 * A "resource" job: args holds "template" (the matched URI template) and
 * its variable; ctx->job->name is the URI. out->result becomes a
 * ReadResourceResult, or out holds MCP_ERR_RESOURCE_NOT_FOUND.
 */
void agent_resource_read(agent_ctx_t *ctx, const json_t *args,
                         agent_outcome_t *out);

/* A "completion" job: args {ref, argument, context?}; out->result becomes
 * {completion:{values, total, hasMore}}. */
void agent_completion(agent_ctx_t *ctx, const json_t *args,
                      agent_outcome_t *out);

/* One resource: the JSON document it reads, or NULL with out set. */
typedef json_t *(*agent_resource_fn)(agent_ctx_t *ctx, const json_t *args,
                                     agent_outcome_t *out);

/*
 * Runs a query returning at most one row whose first column is JSON text.
 * 0 with *doc (NULL when there is no row or the value is NULL), or -1 with
 * out holding an internal error.
 */
int agent_resource_query(agent_ctx_t *ctx, const char *sql, int nparams,
                         const char *const *params, json_t **doc,
                         agent_outcome_t *out);

/*
 * Runs the catalog tool name with args (its own gates apply) and returns
 * its structuredContent, or {"error": text} for a device-side failure
 * (*is_error set). NULL with out set for a protocol error; an unknown
 * device becomes MCP_ERR_RESOURCE_NOT_FOUND.
 */
json_t *agent_resource_tool(agent_ctx_t *ctx, const char *name,
                            const json_t *args, int *is_error,
                            agent_outcome_t *out);

/* Sets out to resource not found with a message naming what is missing. */
void agent_resource_missing(agent_outcome_t *out, const char *what,
                            const char *id);

json_t *agent_res_device_overview(agent_ctx_t *ctx, const json_t *args,
                                  agent_outcome_t *out);
json_t *agent_res_device_health(agent_ctx_t *ctx, const json_t *args,
                                agent_outcome_t *out);
json_t *agent_res_device_config(agent_ctx_t *ctx, const json_t *args,
                                agent_outcome_t *out);
json_t *agent_res_fleet_health(agent_ctx_t *ctx, const json_t *args,
                               agent_outcome_t *out);
json_t *agent_res_fleet_by_environment(agent_ctx_t *ctx, const json_t *args,
                                       agent_outcome_t *out);
json_t *agent_res_job(agent_ctx_t *ctx, const json_t *args,
                      agent_outcome_t *out);
json_t *agent_res_plan_details(agent_ctx_t *ctx, const json_t *args,
                               agent_outcome_t *out);
json_t *agent_res_plan_history(agent_ctx_t *ctx, const json_t *args,
                               agent_outcome_t *out);
json_t *agent_res_audit_recent(agent_ctx_t *ctx, const json_t *args,
                               agent_outcome_t *out);
json_t *agent_res_audit_by_device(agent_ctx_t *ctx, const json_t *args,
                                  agent_outcome_t *out);

#endif
