/*
 * workflow.c: trusted workflows: the JSON file named by
 * ROUTEROS_MCP_TRUSTED_WORKFLOWS (read at each use, so an edit needs no
 * restart), the match of a plan against one, and its automatic approval.
 */
#include "workflow.h"
#include "approve.h"
#include "../db/pg.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The workflow named name from the file, or NULL with the reason. */
static json_t *
agent_workflow_find(const char *name, char *err, size_t errlen)
{
    const char   *path = getenv("ROUTEROS_MCP_TRUSTED_WORKFLOWS");
    json_error_t  jerr;
    json_t       *all, *w, *found = NULL;
    const json_t *n;
    size_t        i;

    if (path == NULL || path[0] == '\0') {
        snprintf(err, errlen, "no trusted workflows are configured");
        return NULL;
    }
    all = json_load_file(path, 0, &jerr);
    if (!json_is_array(all)) {
        snprintf(err, errlen, "trusted workflows file %s unreadable: %s",
                 path, all ? "not a JSON array" : jerr.text);
        json_decref(all);
        return NULL;
    }
    json_array_foreach(all, i, w) {
        n = json_object_get(w, "name");
        if (json_is_string(n) && strcmp(json_string_value(n), name) == 0) {
            found = json_incref(w);
            break;
        }
    }
    json_decref(all);
    if (found == NULL) {
        snprintf(err, errlen, "no trusted workflow named %s", name);
    }
    return found;
}

/* 1 when value equals one of the strings of list (fnmatch patterns when
 * glob), 0 when not. */
static int
agent_workflow_listed(const json_t *list, const char *value, int glob)
{
    const json_t *v;
    size_t        i;

    json_array_foreach(list, i, v) {
        if (json_is_string(v)
            && (glob ? fnmatch(json_string_value(v), value, 0) == 0
                     : strcmp(json_string_value(v), value) == 0))
        {
            return 1;
        }
    }
    return 0;
}

/* 0 when wf admits subject and every device of device_ids, else -1. */
static int
agent_workflow_admits(agent_ctx_t *ctx, const json_t *wf,
                      const json_t *device_ids, const char *subject,
                      char *err, size_t errlen)
{
    const char   *env = json_string_value(json_object_get(wf, "environment"));
    const json_t *subjects = json_object_get(wf, "subjects");
    const json_t *id;
    const char   *p[2];
    PGresult     *res;
    size_t        i;
    int           ok;

    if (env == NULL || !json_is_array(json_object_get(wf, "devices"))) {
        snprintf(err, errlen, "workflow has no environment or devices");
        return -1;
    }
    if (subjects != NULL && !agent_workflow_listed(subjects, subject, 0)) {
        snprintf(err, errlen, "%s may not use this workflow", subject);
        return -1;
    }
    json_array_foreach(device_ids, i, id) {
        if (!agent_workflow_listed(json_object_get(wf, "devices"),
                                   json_string_value(id), 1))
        {
            snprintf(err, errlen, "device %s is outside the workflow's scope",
                     json_string_value(id));
            return -1;
        }
        p[0] = json_string_value(id);
        p[1] = env;
        res = agent_pg_exec(ctx->pg, "SELECT 1 FROM devices WHERE id = $1 "
                            "AND environment = $2", 2, p, err, errlen);
        ok = res != NULL && PQntuples(res) == 1;
        PQclear(res);
        if (!ok) {
            snprintf(err, errlen, "device %s is not in the workflow's "
                     "environment %s", p[0], env);
            return -1;
        }
    }
    return 0;
}

void
agent_plan_workflow(agent_ctx_t *ctx, const json_t *args,
                    const char *plan_id, json_t *answer)
{
    const char *name = json_string_value(json_object_get(args, "workflow"));
    const char *subject = ctx->job->subject ? ctx->job->subject : "anonymous";
    char        err[512], token[512], approver[300];
    int64_t     expires;
    json_t     *wf;

    if (name == NULL) {
        return;
    }
    json_object_set_new(answer, "workflow", json_string(name));
    wf = agent_workflow_find(name, err, sizeof(err));
    if (wf != NULL
        && agent_workflow_admits(ctx, wf, json_object_get(args, "device_ids"),
                                 subject, err, sizeof(err)) == 0)
    {
        snprintf(approver, sizeof(approver), "workflow:%s", name);
        if (agent_plan_issue(ctx->pg, plan_id, approver, 0, name, token,
                             sizeof(token), &expires, err, sizeof(err)) == 0)
        {
            json_object_set_new(answer, "status", json_string("approved"));
            json_object_set_new(answer, "auto_approved", json_true());
            json_object_set_new(answer, "approval_token", json_string(token));
            json_object_set_new(answer, "expires_at", json_integer(expires));
            json_object_set_new(answer, "next_step", json_string(
                "apply with approval_token (single use)"));
            json_decref(wf);
            return;
        }
    }
    json_decref(wf);
    json_object_set_new(answer, "auto_approved", json_false());
    json_object_set_new(answer, "workflow_refused", json_string(err));
}
