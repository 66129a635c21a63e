/*
 * write_guard.c: the write sequence (gate, snapshot, apply, read-back,
 * health, rollback, audit) shared by every tool that changes a device.
 */
#include "write_guard.h"
#include "menu.h"
#include "../routeros/cidr.h"
#include "../routeros/values.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
agent_write_gate(const agent_ctx_t *ctx, const agent_device_t *dev,
    mcp_tier_t tier, char *msg, size_t msglen)
{
    if (strcmp(dev->environment, ctx->cfg->environment) != 0) {
        snprintf(msg, msglen, "device %s is in environment %s, this service "
                 "runs in %s: writes refused", dev->id, dev->environment,
                 ctx->cfg->environment);
        return -1;
    }
    if (tier == MCP_TIER_ADVANCED && !dev->allow_advanced_writes) {
        snprintf(msg, msglen, "device %s does not allow advanced writes "
                 "(allow_advanced_writes is off)", dev->id);
        return -1;
    }
    if (tier == MCP_TIER_PROFESSIONAL && !dev->allow_professional_workflows) {
        snprintf(msg, msglen, "device %s does not allow professional "
                 "workflows (allow_professional_workflows is off)", dev->id);
        return -1;
    }
    return 0;
}

int
agent_write_is_management(const agent_device_t *dev, const char *prefix)
{
    agent_cidr_t net, mgmt;

    return agent_cidr_parse(prefix, &net) == 0
           && agent_cidr_parse(dev->ip, &mgmt) == 0
           && agent_cidr_contains(&net, &mgmt);
}

/* The object of the menu state that w changes: the singleton itself or the
 * list item with .id item_id; NULL when absent. */
static const json_t *
agent_write_item(const json_t *state, const char *item_id)
{
    const json_t *item;
    size_t        i;

    if (json_is_object(state)) {
        return state;
    }
    json_array_foreach(state, i, item) {
        const char *id = agent_ros_field_str(item, ".id");

        if (item_id != NULL && id != NULL && strcmp(id, item_id) == 0) {
            return item;
        }
    }
    return NULL;
}

static void
agent_write_path(const agent_write_t *w, const char *id, char *path,
    size_t len)
{
    if (id != NULL && id[0] != '\0') {
        snprintf(path, len, "%s/%s", w->menu, id);
    } else {
        snprintf(path, len, "%s", w->menu);
    }
}

/* Appends to rep->message. */
static void agent_write_say(agent_write_report_t *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
agent_write_say(agent_write_report_t *rep, const char *fmt, ...)
{
    size_t  n = strlen(rep->message);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(rep->message + n, sizeof(rep->message) - n, fmt, ap);
    va_end(ap);
}

/* 0 when every field of want reads back with the same value in item;
 * RouterOS answers booleans as "true"/"false", so yes/no compare equal. */
int
agent_write_matches(const json_t *item, const json_t *want,
    agent_write_report_t *rep)
{
    const char   *key;
    const json_t *v;
    int           hb, wb;

    json_object_foreach((json_t *) want, key, v) {
        const char *expect = json_string_value(v);
        const char *have = agent_ros_field_str(item, key);

        if (expect == NULL) {
            continue;
        }
        if (have == NULL && expect[0] == '\0') {
            continue;
        }
        if (have != NULL
            && (strcmp(have, expect) == 0
                || (agent_ros_bool(have, &hb) == 0
                    && agent_ros_bool(expect, &wb) == 0 && hb == wb)))
        {
            continue;
        }
        agent_write_say(rep, "read-back: %s is \"%s\", expected \"%s\"", key,
                        have ? have : "(absent)", expect);
        return -1;
    }
    return 0;
}

static int
agent_write_apply(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, agent_write_report_t *rep, agent_rest_err_t *rerr)
{
    static const char *methods[] = { "PATCH", "PUT", "DELETE", "POST" };
    const char        *id;
    char               path[512];
    json_t            *reply = NULL;
    int                rc;

    if (w->op == AGENT_WRITE_COMMAND) {
        snprintf(path, sizeof(path), "%s", w->command);
    } else {
        agent_write_path(w, w->op == AGENT_WRITE_ADD ? NULL : w->item_id,
                         path, sizeof(path));
    }
    rc = agent_rest_call(ctx->rest, dev, methods[w->op], path,
                         w->op == AGENT_WRITE_REMOVE ? NULL : w->body,
                         ctx->deadline, &reply, rerr);
    if (rc != 0) {
        agent_write_say(rep, "%s %s refused by the device: %s", methods[w->op],
                        path, rerr->message);
        return -1;
    }
    id = agent_ros_field_str(reply, ".id");
    if (w->op == AGENT_WRITE_ADD && id != NULL) {
        snprintf(rep->created_id, sizeof(rep->created_id), "%s", id);
    }
    json_decref(reply);
    return 0;
}

/* Reads back what w changed and checks it is as intended. */
static int
agent_write_verify(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, agent_write_report_t *rep)
{
    agent_read_t rd;
    char         path[512];
    json_t      *now = NULL;
    int          rc;

    if (w->op == AGENT_WRITE_COMMAND) {
        return 0;
    }
    if (w->op == AGENT_WRITE_ADD && rep->created_id[0] == '\0') {
        agent_write_say(rep, "read-back: the device did not return the .id "
                        "of the new record");
        return -1;
    }
    agent_write_path(w, w->op == AGENT_WRITE_ADD ? rep->created_id
                     : w->item_id, path, sizeof(path));
    rc = agent_device_read(ctx, dev, path, &now, &rd);
    if (w->op == AGENT_WRITE_REMOVE) {
        json_decref(now);
        if (rc != 0 && agent_menu_item_absent(&rd)) {
            return 0;
        }
        agent_write_say(rep, "read-back: %s %s%s", path,
                        rc == 0 ? "still exists" : "cannot be read: ",
                        rc == 0 ? "" : agent_read_message(&rd));
        return -1;
    }
    if (rc != 0) {
        agent_write_say(rep, "read-back of %s failed: %s", path,
                        agent_read_message(&rd));
        return -1;
    }
    rc = agent_write_matches(now, w->expect ? w->expect : w->body, rep);
    json_decref(now);
    return rc;
}

/* The device still answers its resource menu after the change. */
static int
agent_write_health(agent_ctx_t *ctx, const agent_device_t *dev,
    agent_write_report_t *rep)
{
    agent_read_t rd;
    json_t      *res = NULL;
    int          rc;

    rc = agent_device_read(ctx, dev, "/system/resource", &res, &rd);
    if (rc == 0 && !json_is_object(res)) {
        agent_write_say(rep, "health check after the change failed: "
                        "/system/resource is not an object");
        rc = -1;
    } else if (rc != 0) {
        agent_write_say(rep, "health check after the change failed: "
                        "/system/resource: %s", agent_read_message(&rd));
    }
    json_decref(res);
    return rc;
}

/* Body putting back the snapshot values of the fields w changed. */
static json_t *
agent_write_undo_set(const agent_write_t *w, const json_t *old)
{
    const char   *key;
    const json_t *ignored;
    json_t       *body = json_object();

    json_object_foreach((json_t *) w->body, key, ignored) {
        const char *v = agent_ros_field_str(old, key);

        json_object_set_new(body, key, json_string(v ? v : ""));
    }
    return body;
}

/* Body re-creating a removed record from its snapshot. */
static json_t *
agent_write_undo_remove(const agent_write_t *w, const json_t *old)
{
    const char *const *k;
    json_t            *body = json_object();

    for (k = w->restore_keys; k != NULL && *k != NULL; k++) {
        const char *v = agent_ros_field_str(old, *k);

        if (v != NULL) {
            json_object_set_new(body, *k, json_string(v));
        }
    }
    return body;
}

/* Puts the snapshot state back; 0 when the device confirmed it. */
static int
agent_write_rollback(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, agent_write_report_t *rep)
{
    agent_rest_err_t rerr;
    const json_t    *old = agent_write_item(w->before, w->item_id);
    const char      *method;
    char             path[512];
    json_t          *body = NULL, *reply = NULL;
    int              rc;

    if (w->op == AGENT_WRITE_COMMAND) {
        agent_write_say(rep, "; %s cannot be undone, nothing rolled back",
                        w->command);
        return -1;
    }
    if (w->op == AGENT_WRITE_ADD) {
        if (rep->created_id[0] == '\0') {
            agent_write_say(rep, "; rollback impossible: the new record's .id "
                            "is unknown");
            return -1;
        }
        method = "DELETE";
        agent_write_path(w, rep->created_id, path, sizeof(path));
    } else if (old == NULL) {
        agent_write_say(rep, "; rollback impossible: %s %s is not in the "
                        "snapshot", w->menu, w->item_id ? w->item_id : "");
        return -1;
    } else if (w->op == AGENT_WRITE_SET) {
        method = "PATCH";
        body = agent_write_undo_set(w, old);
        agent_write_path(w, w->item_id, path, sizeof(path));
    } else {
        method = "PUT";
        body = agent_write_undo_remove(w, old);
        agent_write_path(w, NULL, path, sizeof(path));
    }
    rc = agent_rest_call(ctx->rest, dev, method, path, body, ctx->deadline,
                         &reply, &rerr);
    json_decref(body);
    json_decref(reply);
    if (rc != 0) {
        agent_write_say(rep, "; ROLLBACK FAILED (%s %s: %s): the device may "
                        "keep the new state", method, path, rerr.message);
        return -1;
    }
    agent_write_say(rep, "; rolled back to snapshot %s", rep->snapshot_id);
    return 0;
}

void
agent_write_execute(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, agent_write_report_t *rep)
{
    agent_rest_err_t rerr;
    char             err[512];

    memset(rep, 0, sizeof(*rep));
    if (agent_write_gate(ctx, dev, w->tier, rep->message,
                         sizeof(rep->message)) != 0)
    {
        rep->refused = 1;
    } else if (!w->dry_run && !w->unchanged) {
        if (agent_write_snapshot(ctx, dev, w->menu, w->before,
                                 rep->snapshot_id, sizeof(rep->snapshot_id),
                                 err, sizeof(err)) != 0)
        {
            rep->refused = 1;
            agent_write_say(rep, "no pre-change snapshot of %s could be "
                            "stored (%s), nothing changed", w->menu, err);
        } else if (agent_write_apply(ctx, dev, w, rep, &rerr) != 0) {
            /* A lost answer may hide an applied change: a SET is put back
             * (idempotent) so the device is known to hold the snapshot. */
            if (w->op == AGENT_WRITE_SET
                && (rerr.code == AGENT_REST_TIMEOUT
                    || rerr.code == AGENT_REST_NETWORK))
            {
                rep->rolled_back = agent_write_rollback(ctx, dev, w, rep) == 0;
            }
        } else {
            rep->applied = 1;
            if (agent_write_verify(ctx, dev, w, rep) == 0
                && agent_write_health(ctx, dev, rep) == 0)
            {
                rep->verified = 1;
            } else {
                rep->rolled_back = agent_write_rollback(ctx, dev, w, rep) == 0;
            }
        }
    }
    agent_write_audit(ctx, dev, w, rep);
}

void
agent_write_refuse(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, agent_write_report_t *rep, const char *fmt, ...)
{
    va_list ap;

    memset(rep, 0, sizeof(*rep));
    rep->refused = 1;
    va_start(ap, fmt);
    vsnprintf(rep->message, sizeof(rep->message), fmt, ap);
    va_end(ap);
    agent_write_audit(ctx, dev, w, rep);
}
