/*
 * apply_undo.c: undo steps of plan writes: built from the menu as read
 * before each write, and run so that repeating one (after a crash) does
 * no harm.
 */
#include "run.h"
#include "../routeros/values.h"
#include "../tools/write_guard.h"

#include <stdio.h>
#include <string.h>

/* .id of the item that followed id in the list before the change (where a
 * removed rule is re-inserted so the chain keeps its order), or NULL. */
static const char *
agent_undo_next_id(const json_t *before, const char *id)
{
    const json_t *item;
    const char   *v;
    size_t        i;

    json_array_foreach(before, i, item) {
        v = agent_ros_field_str(item, ".id");
        if (id != NULL && v != NULL && strcmp(v, id) == 0) {
            return agent_ros_field_str(json_array_get(before, i + 1), ".id");
        }
    }
    return NULL;
}

json_t *
agent_undo_step(const json_t *w, const json_t *before, const char *created_id)
{
    const char   *menu = json_string_value(json_object_get(w, "menu"));
    const char   *op = json_string_value(json_object_get(w, "op"));
    const char   *id = json_string_value(json_object_get(w, "id"));
    const json_t *old = json_is_object(before)
                        ? before
                        : agent_plan_find(before, ".id", id ? id : "");
    const json_t *k;
    const char   *key, *v;
    json_t       *body;
    char          path[512];
    size_t        i;

    if (strcmp(op, "add") == 0) {
        snprintf(path, sizeof(path), "%s/%s", menu, created_id);
        return json_pack("{s:s, s:s}", "method", "DELETE", "path", path);
    }
    body = json_object();
    if (strcmp(op, "set") == 0) {
        json_object_foreach(json_object_get(w, "body"), key, k) {
            v = agent_ros_field_str(old, key);
            json_object_set_new(body, key, json_string(v ? v : ""));
        }
        snprintf(path, sizeof(path), "%s%s%s", menu, id ? "/" : "",
                 id ? id : "");
        return json_pack("{s:s, s:s, s:o}", "method", "PATCH", "path", path,
                         "body", body);
    }
    json_array_foreach(json_object_get(w, "restore"), i, k) {
        v = agent_ros_field_str(old, json_string_value(k));
        if (v != NULL) {
            json_object_set_new(body, json_string_value(k), json_string(v));
        }
    }
    v = json_is_true(json_object_get(w, "restore_order"))
        ? agent_undo_next_id(before, id)
        : NULL;
    if (v != NULL) {
        json_object_set_new(body, "place-before", json_string(v));
    }
    return json_pack("{s:s, s:s, s:o}", "method", "PUT", "path", menu, "body",
                     body);
}

/* 1 when menu already holds a record with the fields of body (a
 * re-creation that went through before a crash), 0 when not, -1. */
static int
agent_undo_present(agent_ctx_t *ctx, const agent_device_t *dev,
                   const char *menu, const json_t *body, char *err,
                   size_t errlen)
{
    agent_write_report_t scratch;
    const json_t        *item;
    json_t              *list = NULL, *want = json_deep_copy(body);
    size_t               i;
    int                  found = 0;

    json_object_del(want, "place-before");
    if (agent_plan_read(ctx, dev, menu, &list, err, errlen) != 0) {
        json_decref(want);
        return -1;
    }
    json_array_foreach(list, i, item) {
        if (agent_write_matches(item, want, &scratch) == 0) {
            found = 1;
            break;
        }
    }
    json_decref(list);
    json_decref(want);
    return found;
}

int
agent_undo_run(agent_ctx_t *ctx, const agent_device_t *dev, const json_t *s,
               char *err, size_t errlen)
{
    agent_rest_err_t rerr;
    const char      *method = json_string_value(json_object_get(s, "method"));
    const char      *path = json_string_value(json_object_get(s, "path"));
    const json_t    *body = json_object_get(s, "body");
    json_t          *reply = NULL;
    int              rc;

    if (strcmp(method, "PUT") == 0) {
        rc = agent_undo_present(ctx, dev, path, body, err, errlen);
        if (rc != 0) {
            return rc == 1 ? 0 : -1;
        }
    }
    rc = agent_rest_call(ctx->rest, dev, method, path, body, ctx->deadline,
                         &reply, &rerr);
    json_decref(reply);
    if (rc != 0 && strcmp(method, "DELETE") == 0
        && rerr.code == AGENT_REST_NOT_FOUND)
    {
        return 0;
    }
    if (rc != 0) {
        snprintf(err, errlen, "undo %s %.200s failed: %.200s", method, path,
                 rerr.message);
        return -1;
    }
    return 0;
}
