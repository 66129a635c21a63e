/*
 * device_read.c: the transport choice of every device read (REST, SSH for
 * v6 and as the fallback) and host-key trust on first use.
 */
#include "device_read.h"

#include "../core/clock.h"
#include "../core/log.h"
#include "../queue/metrics_export.h"
#include "../routeros/ssh_menu.h"

#include <stdio.h>
#include <string.h>

static void
agent_read_note(agent_ctx_t *ctx, const agent_read_t *r)
{
    if (ctx->transport == NULL || strcmp(r->transport, "ssh") == 0) {
        ctx->transport = r->transport;
    }
    if (r->fallback_used) {
        ctx->fallback_used = 1;
        snprintf(ctx->rest_error, sizeof(ctx->rest_error), "%s: %.200s",
                 agent_rest_reason(r->rest.code), r->rest.message);
    }
}

/* REST failures that SSH may get around (not auth, not a missing menu). */
static int
agent_read_fallback_ok(agent_rest_code_t code)
{
    return code == AGENT_REST_TIMEOUT || code == AGENT_REST_NETWORK
           || code == AGENT_REST_SERVER || code == AGENT_REST_NO_CREDENTIAL;
}

static int
agent_read_ssh(agent_ctx_t *ctx, const agent_device_t *dev, const char *path,
    json_t **reply, agent_read_t *r)
{
    agent_device_ssh_t  cred;
    agent_ssh_target_t  t;
    agent_ssh_result_t  res;
    char                err[512];
    double              t0 = agent_mono_ms();
    int                 rc;

    r->ssh_tried = 1;
    r->transport = "ssh";
    memset(&res, 0, sizeof(res));
    rc = agent_device_ssh_secret(ctx->pg, ctx->cfg, dev->id, &cred, err,
                                 sizeof(err));
    if (rc != 0) {
        r->ssh.code = AGENT_SSH_NO_CREDENTIAL;
        snprintf(r->ssh.message, sizeof(r->ssh.message), "%.500s",
                 rc > 0 ? "the device has no active SSH credential" : err);
        return -1;
    }
    memset(&t, 0, sizeof(t));
    t.host = dev->ip;
    t.port = dev->ssh_port;
    t.username = cred.username;
    t.password = cred.password;
    t.private_key = cred.private_key;
    t.pinned_host_key = dev->ssh_host_key[0] ? dev->ssh_host_key : NULL;
    rc = agent_ssh_menu_read(&t, path, ctx->deadline, reply, &res, &r->ssh);
    agent_device_ssh_release(&cred);
    r->ssh_ms = agent_mono_ms() - t0;
    agent_metrics_device_call(dev->id, "ssh", r->ssh_ms,
                              rc == 0 ? NULL : agent_ssh_reason(r->ssh.code));
    if (rc != 0 && r->ssh.code == AGENT_SSH_HOST_KEY) {
        snprintf(r->ssh.message, sizeof(r->ssh.message),
                 "SSH host key changed: %s:%d presents %s, %.64s pinned %s; "
                 "refusing to connect (clear ssh_host_key_sha256 after "
                 "verifying the device to trust the new key)",
                 dev->ip, dev->ssh_port, res.host_key, dev->id,
                 dev->ssh_host_key);
    } else if (rc == 0 && res.host_key_first_use && res.host_key[0] != '\0'
               && agent_device_pin_host_key(ctx->pg, dev->id, res.host_key,
                                            err, sizeof(err)) != 0)
    {
        agent_warn("device %s: SSH host key %s not recorded: %s", dev->id,
                   res.host_key, err);
    }
    agent_ssh_result_free(&res);
    if (rc == 0) {
        r->ssh.code = AGENT_SSH_OK;
    }
    return rc;
}

int
agent_device_read(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *path, json_t **reply, agent_read_t *r)
{
    double t0;
    int    rc, v6 = strncmp(dev->routeros_version, "6.", 2) == 0;

    memset(r, 0, sizeof(*r));
    r->transport = "rest";
    if ((v6 || !dev->has_credential) && dev->has_ssh_credential) {
        rc = agent_read_ssh(ctx, dev, path, reply, r);
        agent_read_note(ctx, r);
        return rc;
    }
    r->rest_tried = 1;
    t0 = agent_mono_ms();
    rc = agent_rest_get(ctx->rest, dev, path, ctx->deadline, reply, &r->rest);
    r->rest_ms = agent_mono_ms() - t0;
    if (rc != 0 && dev->has_ssh_credential
        && agent_read_fallback_ok(r->rest.code))
    {
        r->fallback_used = 1;
        rc = agent_read_ssh(ctx, dev, path, reply, r);
    } else if (rc == 0) {
        r->rest.code = AGENT_REST_OK;
    }
    agent_read_note(ctx, r);
    return rc;
}

const char *
agent_read_reason(const agent_read_t *r)
{
    return strcmp(r->transport, "ssh") == 0 ? agent_ssh_reason(r->ssh.code)
                                             : agent_rest_reason(r->rest.code);
}

const char *
agent_read_message(const agent_read_t *r)
{
    return strcmp(r->transport, "ssh") == 0 ? r->ssh.message
                                             : r->rest.message;
}

static void
agent_read_set(json_t *o, const agent_ctx_t *ctx)
{
    json_object_set_new(o, "transport", json_string(ctx->transport));
    json_object_set_new(o, "fallback_used", json_boolean(ctx->fallback_used));
    if (ctx->fallback_used) {
        json_object_set_new(o, "rest_error", json_string(ctx->rest_error));
    }
}

void
agent_read_stamp(const agent_ctx_t *ctx, agent_outcome_t *out)
{
    json_t *meta, *sc;

    if (ctx->transport == NULL || out->result == NULL) {
        return;
    }
    meta = json_object_get(out->result, "_meta");
    if (!json_is_object(meta)) {
        meta = json_object();
        json_object_set_new(out->result, "_meta", meta);
    }
    agent_read_set(meta, ctx);
    sc = json_object_get(out->result, "structuredContent");
    if (json_is_object(sc) && strcmp(ctx->transport, "ssh") == 0) {
        agent_read_set(sc, ctx);
    }
}
