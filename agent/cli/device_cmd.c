/*
 * device_cmd.c: `routeros-mcp-admin device add|list|remove|test`. Secrets
 * come from named environment variables, stdin or a key file, never argv,
 * and are never printed.
 */
#include "admin.h"
#include "device_tls.h"
#include "../core/clock.h"
#include "../db/audit.h"
#include "../db/devices.h"
#include "../routeros/rest.h"
#include "../routeros/ssh_menu.h"
#include "../tools/resource.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
admin_opt(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "routeros-mcp-admin: %s needs a value\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* Reads one line from stdin into buf (newline stripped). */
static int
admin_read_password(char *buf, size_t len)
{
    size_t n;

    if (fgets(buf, (int)len, stdin) == NULL) {
        return -1;
    }
    n = strcspn(buf, "\r\n");
    buf[n] = '\0';
    return 0;
}

static int
admin_tag(json_t *tags, const char *kv)
{
    const char *eq = strchr(kv, '=');
    char        key[128];

    if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof(key)) {
        fprintf(stderr, "routeros-mcp-admin: --tag wants KEY=VALUE\n");
        return -1;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    return json_object_set_new(tags, key, json_string(eq + 1));
}

/* DEVICE_ADDED / DEVICE_REMOVED audit event; a failure to record it is
 * reported, the command's own result stands. */
static void
admin_device_audit(PGconn *pg, const char *action, const char *id,
                   const json_t *params, const char *error)
{
    agent_audit_event_t ev = { 0 };
    char                err[1024];

    ev.subject = "admin-cli";
    ev.action = action;
    ev.device_id = id;
    ev.parameters = params;
    ev.outcome = error ? "FAILURE" : "SUCCESS";
    ev.error = error;
    if (agent_audit_append(pg, &ev, err, sizeof(err)) != 0) {
        fprintf(stderr, "routeros-mcp-admin: audit event not written: %s\n",
                err);
    }
}

/* Reads a private key file (at most 64 KiB) into buf. 0 or -1. */
static int
admin_read_key(const char *path, char *buf, size_t len)
{
    FILE  *f = fopen(path, "r");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "routeros-mcp-admin: cannot read %s\n", path);
        return -1;
    }
    n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    if (!feof(f) || n == 0) {
        fprintf(stderr, "routeros-mcp-admin: %s is empty or too large\n",
                path);
        fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

/*
 * Transport detection: REST absent (or --transport ssh) and the SSH console
 * answering /system resource print → the version it reports, into ver.
 */
static void
admin_detect(agent_config_t *cfg, const agent_device_new_t *d,
             const char *password, const char *transport, char *ver,
             size_t len)
{
    agent_device_t     dev;
    agent_rest_t       rest;
    agent_rest_err_t   rerr;
    agent_ssh_target_t t;
    agent_ssh_result_t res;
    agent_ssh_err_t    serr;
    json_t            *reply = NULL;
    const char        *v;
    int                rest_ok = 0;

    ver[0] = '\0';
    if (transport == NULL && password != NULL &&
        agent_rest_init(&rest, cfg) == 0) {
        memset(&dev, 0, sizeof(dev));
        snprintf(dev.id, sizeof(dev.id), "%s", d->id);
        snprintf(dev.ip, sizeof(dev.ip), "%s", d->ip);
        snprintf(dev.scheme, sizeof(dev.scheme), "%s", d->scheme);
        snprintf(dev.username, sizeof(dev.username), "%s", d->username);
        snprintf(dev.tls_ca_file, sizeof(dev.tls_ca_file), "%s",
                 d->tls_ca_file ? d->tls_ca_file : "");
        snprintf(dev.tls_fingerprint, sizeof(dev.tls_fingerprint), "%s",
                 d->tls_fingerprint ? d->tls_fingerprint : "");
        dev.port = d->port;
        dev.password = (char *)password;
        dev.has_credential = 1;
        rest_ok = agent_rest_get(&rest, &dev, "/system/resource", 0, &reply,
                                 &rerr) == 0;
        agent_rest_free(&rest);
        json_decref(reply);
        reply = NULL;
    }
    if (rest_ok) {
        return;
    }
    memset(&t, 0, sizeof(t));
    t.host = d->ip;
    t.port = d->ssh_port;
    t.username = d->ssh_username;
    t.password = strcmp(d->ssh_type, "ssh") == 0 ? d->ssh_secret : NULL;
    t.private_key = strcmp(d->ssh_type, "ssh_key") == 0 ? d->ssh_secret : NULL;
    if (agent_ssh_menu_read(&t, "/system/resource", 0, &reply, &res, &serr) ==
        0) {
        v = json_string_value(json_object_get(reply, "version"));
        if (v != NULL && (transport != NULL || strncmp(v, "6.", 2) == 0)) {
            snprintf(ver, len, "%s", v);
        }
    } else {
        fprintf(stderr,
                "routeros-mcp-admin: SSH probe of %s failed (%s): %s\n",
                d->id, agent_ssh_reason(serr.code), serr.message);
    }
    agent_ssh_result_free(&res);
    json_decref(reply);
}

static int
admin_device_add(PGconn *pg, agent_config_t *cfg, int argc, char **argv)
{
    agent_device_new_t d;
    admin_tls_t        tls;
    json_t            *params;
    const char        *pw_env = NULL, *port = NULL, *v, *transport = NULL;
    const char        *ssh_env = NULL, *key_file = NULL;
    char               password[1024], err[1024], ver[65];
    static char        secret[65536];
    int                i, from_stdin = 0, rc = 1, has_rest;

    memset(&d, 0, sizeof(d));
    memset(&tls, 0, sizeof(tls));
    d.scheme = "https";
    d.environment = "lab";
    d.tags = json_object();
    for (i = 0; i < argc; i++) {
        v = NULL;
        if (strcmp(argv[i], "--allow-advanced-writes") == 0) {
            d.allow_advanced_writes = 1;
        } else if (strcmp(argv[i], "--allow-professional-workflows") == 0) {
            d.allow_professional_workflows = 1;
        } else if (strcmp(argv[i], "--password-stdin") == 0) {
            from_stdin = 1;
        } else if (strncmp(argv[i], "--", 2) != 0 ||
                   (v = admin_opt(argc, argv, &i)) == NULL) {
            goto usage;
        } else if (strcmp(argv[i - 1], "--id") == 0) {
            d.id = v;
        } else if (strcmp(argv[i - 1], "--name") == 0) {
            d.name = v;
        } else if (strcmp(argv[i - 1], "--ip") == 0) {
            d.ip = v;
        } else if (strcmp(argv[i - 1], "--port") == 0) {
            port = v;
        } else if (strcmp(argv[i - 1], "--scheme") == 0) {
            d.scheme = v;
        } else if (strcmp(argv[i - 1], "--environment") == 0) {
            d.environment = v;
        } else if (strcmp(argv[i - 1], "--username") == 0) {
            d.username = v;
        } else if (strcmp(argv[i - 1], "--password-env") == 0) {
            pw_env = v;
        } else if (strcmp(argv[i - 1], "--ssh-port") == 0) {
            d.ssh_port = atoi(v);
        } else if (strcmp(argv[i - 1], "--ssh-username") == 0) {
            d.ssh_username = v;
        } else if (strcmp(argv[i - 1], "--ssh-password-env") == 0) {
            ssh_env = v;
        } else if (strcmp(argv[i - 1], "--ssh-key-file") == 0) {
            key_file = v;
        } else if (strcmp(argv[i - 1], "--transport") == 0) {
            transport = v;
        } else if (strcmp(argv[i - 1], "--tls-ca-file") == 0) {
            tls.ca_arg = v;
        } else if (strcmp(argv[i - 1], "--tls-fingerprint") == 0) {
            tls.fingerprint_arg = v;
        } else if (strcmp(argv[i - 1], "--tag") == 0) {
            if (admin_tag(d.tags, v) != 0) {
                goto done;
            }
        } else {
            goto usage;
        }
    }
    has_rest = pw_env != NULL || from_stdin;
    if (d.id == NULL || d.name == NULL || d.ip == NULL ||
        (pw_env != NULL && from_stdin) || (ssh_env != NULL && key_file) ||
        (has_rest && d.username == NULL) ||
        ((ssh_env != NULL || key_file != NULL) != (d.ssh_username != NULL)) ||
        (!has_rest && d.ssh_username == NULL) ||
        (transport != NULL && strcmp(transport, "rest") != 0 &&
         strcmp(transport, "ssh") != 0) ||
        (transport != NULL && strcmp(transport, "ssh") == 0 &&
         d.ssh_username == NULL) ||
        d.ssh_port < 0 || d.ssh_port > 65535) {
        goto usage;
    }
    if ((rc = admin_device_tls(&tls, d.scheme)) != 0) {
        goto done;
    }
    rc = 1;
    d.tls_ca_file = tls.ca_arg ? tls.ca_file : NULL;
    d.tls_fingerprint = tls.fingerprint_arg ? tls.fingerprint : NULL;
    d.port = port ? atoi(port) : strcmp(d.scheme, "http") == 0 ? 80 : 443;
    if (d.username == NULL) {
        d.username = d.ssh_username;
    }
    if (!cfg->has_key) {
        fprintf(stderr, "routeros-mcp-admin: ROUTEROS_MCP_ENCRYPTION_KEY is "
                        "not set (64 hex characters)\n");
        goto done;
    }
    if (from_stdin) {
        if (admin_read_password(password, sizeof(password)) != 0) {
            fprintf(stderr, "routeros-mcp-admin: no password on stdin\n");
            goto done;
        }
    } else if (pw_env != NULL && (v = getenv(pw_env)) == NULL) {
        fprintf(stderr, "routeros-mcp-admin: %s is not set\n", pw_env);
        goto done;
    } else if (pw_env != NULL) {
        snprintf(password, sizeof(password), "%s", v);
    }
    if (ssh_env != NULL) {
        if ((v = getenv(ssh_env)) == NULL) {
            fprintf(stderr, "routeros-mcp-admin: %s is not set\n", ssh_env);
            goto done;
        }
        snprintf(secret, sizeof(secret), "%s", v);
        d.ssh_type = "ssh";
        d.ssh_secret = secret;
    } else if (key_file != NULL) {
        if (admin_read_key(key_file, secret, sizeof(secret)) != 0) {
            goto done;
        }
        d.ssh_type = "ssh_key";
        d.ssh_secret = secret;
    }
    if (d.ssh_type != NULL &&
        (transport == NULL || strcmp(transport, "ssh") == 0)) {
        admin_detect(cfg, &d, has_rest ? password : NULL, transport, ver,
                     sizeof(ver));
        d.routeros_version = ver[0] ? ver : NULL;
    }
    if (agent_device_add(pg, cfg, &d, has_rest ? password : NULL, err,
                         sizeof(err)) != 0) {
        fprintf(stderr, "routeros-mcp-admin: device add %s: %s\n", d.id, err);
    } else {
        printf("device %s added (%s://%s:%d, %s%s%s%s%s%s%s%s%s)\n", d.id,
               d.scheme, d.ip, d.port, d.environment,
               d.ssh_type ? ", ssh " : "", d.ssh_type ? d.ssh_type : "",
               d.routeros_version ? ", RouterOS " : "",
               d.routeros_version ? d.routeros_version : "",
               d.tls_ca_file ? ", CA file " : "",
               d.tls_ca_file ? d.tls_ca_file : "",
               d.tls_fingerprint ? ", certificate SHA-256 " : "",
               d.tls_fingerprint ? d.tls_fingerprint : "");
        rc = 0;
    }
    /* Secrets go in only to be redacted: the event shows they were set. */
    params = json_pack(
        "{s:s, s:s, s:s, s:i, s:s, s:s, s:s?, s:s?, s:i, "
        "s:s?, s:s?, s:s?, s:s?, s:O, s:b, s:b, s:s?, s:s?}",
        "id", d.id, "name", d.name, "ip", d.ip, "port", d.port, "scheme",
        d.scheme, "environment", d.environment, "username", d.username,
        "password", has_rest ? password : NULL, "ssh_port", d.ssh_port,
        "ssh_username", d.ssh_username, "ssh_type", d.ssh_type, "ssh_secret",
        d.ssh_secret, "transport", transport, "tags", d.tags,
        "allow_advanced_writes", d.allow_advanced_writes,
        "allow_professional_workflows", d.allow_professional_workflows,
        "tls_ca_file", d.tls_ca_file, "tls_fingerprint", d.tls_fingerprint);
    admin_device_audit(pg, "DEVICE_ADDED", d.id, params, rc ? err : NULL);
    json_decref(params);
    goto done;
usage:
    rc = 2;
done:
    OPENSSL_cleanse(password, sizeof(password));
    OPENSSL_cleanse(secret, sizeof(secret));
    json_decref(d.tags);
    return rc;
}

static const char *
admin_str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s ? s : "-";
}

/* "sha256:<pin>", "ca:<file>" or "-" (system store, or plain HTTP). */
static const char *
admin_tls_column(const json_t *d)
{
    static char col[1100];
    const char *pin =
        json_string_value(json_object_get(d, "tls_fingerprint_sha256"));
    const char *ca = json_string_value(json_object_get(d, "tls_ca_file"));

    if (pin == NULL && ca == NULL) {
        return "-";
    }
    snprintf(col, sizeof(col), "%s%s", pin ? "sha256:" : "ca:", pin ? pin : ca);
    return col;
}

static int
admin_device_list(PGconn *pg, int argc, char **argv)
{
    json_t *devs, *d;
    char    err[1024], *s;
    long    total;
    size_t  i;
    int     as_json = argc == 1 && strcmp(argv[0], "--json") == 0;

    if (argc > 1 || (argc == 1 && !as_json)) {
        return 2;
    }
    if (agent_devices_list(pg, NULL, NULL, 100000, &devs, &total, err,
                           sizeof(err)) != 0) {
        fprintf(stderr, "routeros-mcp-admin: device list: %s\n", err);
        return 1;
    }
    if (as_json) {
        s = json_dumps(devs, JSON_INDENT(2));
        printf("%s\n", s ? s : "[]");
        free(s);
    } else {
        printf("%-20s %-16s %-22s %-8s %-12s %-16s %s\n", "ID", "NAME",
               "ADDRESS", "ENV", "STATUS", "ROUTEROS", "TLS");
        json_array_foreach(devs, i, d)
        {
            char addr[80];

            snprintf(addr, sizeof(addr), "%s://%s:%lld",
                     admin_str(d, "rest_scheme"), admin_str(d, "management_ip"),
                     (long long)json_integer_value(
                         json_object_get(d, "management_port")));
            printf("%-20s %-16s %-22s %-8s %-12s %-16s %s\n",
                   admin_str(d, "id"), admin_str(d, "name"), addr,
                   admin_str(d, "environment"), admin_str(d, "status"),
                   admin_str(d, "routeros_version"), admin_tls_column(d));
        }
    }
    json_decref(devs);
    return 0;
}

static int
admin_device_remove(PGconn *pg, int argc, char **argv)
{
    json_t *params;
    char    err[1024];
    int     rc;

    if (argc != 1) {
        return 2;
    }
    rc = agent_device_remove(pg, argv[0], err, sizeof(err));
    if (rc == 0 || rc < 0) {
        params = json_pack("{s:s}", "id", argv[0]);
        admin_device_audit(pg, "DEVICE_REMOVED", argv[0], params,
                           rc < 0 ? err : NULL);
        json_decref(params);
    }
    if (rc < 0) {
        fprintf(stderr, "routeros-mcp-admin: device remove: %s\n", err);
        return 1;
    }
    if (rc == 1) {
        fprintf(stderr, "routeros-mcp-admin: no device %s\n", argv[0]);
        return 1;
    }
    printf("device %s removed\n", argv[0]);
    return 0;
}

static int
admin_device_test(PGconn *pg, agent_config_t *cfg, int argc, char **argv)
{
    agent_device_t   dev;
    agent_rest_t     rest;
    agent_rest_err_t rerr;
    agent_resource_t r;
    json_t          *reply = NULL;
    char             err[1024];
    double           t0, ms;
    int              rc, ok;

    if (argc != 1) {
        return 2;
    }
    rc = agent_device_load(pg, cfg, argv[0], 1, &dev, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "routeros-mcp-admin: device test: %s\n",
                rc == 1 ? "no such device" : err);
        return 1;
    }
    if (agent_rest_init(&rest, cfg) != 0) {
        agent_device_release(&dev);
        return 1;
    }
    t0 = agent_mono_ms();
    ok = agent_rest_get(&rest, &dev, "/system/resource", 0, &reply, &rerr) == 0;
    ms = agent_mono_ms() - t0;
    agent_rest_free(&rest);
    agent_device_release(&dev);
    agent_resource_parse(reply, &r);
    agent_device_seen(pg, argv[0], ok ? "healthy" : "unreachable",
                      ok ? r.version : NULL, NULL, ok ? r.board : NULL, err,
                      sizeof(err));
    if (ok) {
        printf("%s: reachable in %.0f ms, RouterOS %s, board %s\n", argv[0], ms,
               r.version ? r.version : "?", r.board ? r.board : "?");
    } else {
        printf("%s: not reachable (%s): %s\n", argv[0],
               agent_rest_reason(rerr.code), rerr.message);
    }
    json_decref(reply);
    return ok ? 0 : 1;
}

int
admin_device(PGconn *pg, agent_config_t *cfg, int argc, char **argv)
{
    if (argc < 1) {
        return 2;
    }
    if (strcmp(argv[0], "add") == 0) {
        return admin_device_add(pg, cfg, argc - 1, argv + 1);
    }
    if (strcmp(argv[0], "list") == 0) {
        return admin_device_list(pg, argc - 1, argv + 1);
    }
    if (strcmp(argv[0], "remove") == 0) {
        return admin_device_remove(pg, argc - 1, argv + 1);
    }
    if (strcmp(argv[0], "test") == 0) {
        return admin_device_test(pg, cfg, argc - 1, argv + 1);
    }
    return 2;
}
