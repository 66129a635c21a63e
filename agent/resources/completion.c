/*
 * completion.c: completion/complete in the agent: device and plan ids by
 * prefix from PostgreSQL, other prompt arguments from their enum.
 */
#include "resources.h"
#include "../../shared/prompts/prompts.h"
#include "../core/log.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define AGENT_COMPLETION_MAX 100

static pthread_mutex_t agent_prompts_lock = PTHREAD_MUTEX_INITIALIZER;
static mcp_prompts_t   agent_prompts; /* read-only once loaded */
static int             agent_prompts_tried, agent_prompts_ok;

/*
 * The prompts live beside the catalog: <shared>/catalog/tools and
 * <shared>/prompts/templates (the fixed layout of shared/). Loaded once,
 * kept for the life of the process.
 */
static void
agent_prompts_load(const char *catalog_dir)
{
    char   dir[PATH_MAX], err[512], *slash;
    size_t n;
    int    i;

    snprintf(dir, sizeof(dir), "%s", catalog_dir ? catalog_dir : "");
    n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') {
        dir[--n] = '\0';
    }
    for (i = 0; i < 2; i++) { /* strip "catalog/tools" */
        if ((slash = strrchr(dir, '/')) != NULL) {
            *slash = '\0';
        }
    }
    n = strlen(dir);
    snprintf(dir + n, sizeof(dir) - n, "/prompts/templates");
    if (mcp_prompts_load(dir, &agent_prompts, err, sizeof(err)) != 0) {
        agent_warn("completion: prompts not loaded from %s: %s", dir, err);
        return;
    }
    agent_prompts_ok = 1;
}

static const mcp_prompts_t *
agent_prompts_get(const agent_config_t *cfg)
{
    int ok;

    pthread_mutex_lock(&agent_prompts_lock);
    if (!agent_prompts_tried) {
        agent_prompts_tried = 1;
        agent_prompts_load(cfg->catalog_dir);
    }
    ok = agent_prompts_ok;
    pthread_mutex_unlock(&agent_prompts_lock);
    return ok ? &agent_prompts : NULL;
}

/* The definition of argument arg of prompt name; NULL with out set. */
static json_t *
agent_completion_prompt_arg(agent_ctx_t *ctx, const char *name,
                            const char *arg, agent_outcome_t *out)
{
    const mcp_prompts_t *p = agent_prompts_get(ctx->cfg);
    json_t              *def, *a;
    size_t               i, j;

    if (p == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "the prompt definitions are not "
                                          "available to this agent");
        return NULL;
    }
    json_array_foreach(p->prompts, i, def) {
        if (strcmp(json_string_value(json_object_get(def, "name")), name)
            != 0) {
            continue;
        }
        json_array_foreach(json_object_get(def, "arguments"), j, a) {
            if (strcmp(json_string_value(json_object_get(a, "name")), arg)
                == 0) {
                return a;
            }
        }
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "prompt %s has no argument %s", name, arg);
        return NULL;
    }
    agent_fail(out, MCP_ERR_INVALID_PARAMS, "unknown prompt: %s", name);
    return NULL;
}

/* Ids of devices or plans starting with prefix, at most 100, by id. */
static json_t *
agent_completion_ids(agent_ctx_t *ctx, int plans, const char *prefix,
                     agent_outcome_t *out)
{
    const char *p[1] = {prefix};
    json_t     *doc;

    if (agent_resource_query(
            ctx,
            plans ? "SELECT json_build_object('values', coalesce((SELECT "
                    "json_agg(id ORDER BY id) FROM (SELECT id FROM plans "
                    "WHERE starts_with(id, $1) ORDER BY id LIMIT 100) s), "
                    "'[]'::json), 'total', (SELECT count(*) FROM plans "
                    "WHERE starts_with(id, $1)))"
                  : "SELECT json_build_object('values', coalesce((SELECT "
                    "json_agg(id ORDER BY id) FROM (SELECT id FROM devices "
                    "WHERE starts_with(id, $1) ORDER BY id LIMIT 100) s), "
                    "'[]'::json), 'total', (SELECT count(*) FROM devices "
                    "WHERE starts_with(id, $1)))",
            1, p, &doc, out) != 0) {
        return NULL;
    }
    return doc;
}

/* Enum values of a prompt argument starting with prefix. */
static json_t *
agent_completion_enum(const json_t *def, const char *prefix)
{
    json_t *values = json_array(), *e;
    size_t  i;

    json_array_foreach(json_object_get(def, "enum"), i, e) {
        if (json_is_string(e)
            && strncmp(json_string_value(e), prefix, strlen(prefix)) == 0
            && json_array_size(values) < AGENT_COMPLETION_MAX) {
            json_array_append(values, e);
        }
    }
    return json_pack("{s:o, s:I}", "values", values, "total",
                     (json_int_t)json_array_size(values));
}

void
agent_completion(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    const json_t *ref = json_object_get(args, "ref");
    const char   *type = json_string_value(json_object_get(ref, "type"));
    const char   *arg, *prefix;
    json_t       *def = NULL, *doc;
    json_int_t    total;

    arg = json_string_value(
        json_object_get(json_object_get(args, "argument"), "name"));
    prefix = json_string_value(
        json_object_get(json_object_get(args, "argument"), "value"));
    if (type == NULL || arg == NULL || prefix == NULL) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "completion needs ref.type, argument.name and "
                   "argument.value");
        return;
    }
    if (strcmp(type, "ref/prompt") == 0
        && (def = agent_completion_prompt_arg(ctx, ctx->job->name, arg, out))
               == NULL) {
        return;
    }
    if (strcmp(arg, "device_id") == 0 || strcmp(arg, "plan_id") == 0) {
        doc = agent_completion_ids(ctx, strcmp(arg, "plan_id") == 0, prefix,
                                   out);
    } else {
        /* resource template variables other than ids have no values */
        doc = agent_completion_enum(def, prefix);
    }
    if (doc == NULL) {
        if (out->err == MCP_OK) {
            agent_fail(out, MCP_ERR_INTERNAL, "out of memory");
        }
        return;
    }
    total = json_integer_value(json_object_get(doc, "total"));
    json_object_set_new(doc, "hasMore",
                        json_boolean(total > (json_int_t)json_array_size(
                                                 json_object_get(doc,
                                                                 "values"))));
    out->result = json_pack("{s:o}", "completion", doc);
    if (out->result == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "out of memory");
    }
}
