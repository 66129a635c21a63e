/*
 * devices.c: SQL for the device registry; the only code that turns a
 * credentials row back into a password, and only into memory.
 */
#include "devices.h"
#include "pg.h"
#include "../crypto/aead.h"
#include "../../shared/util/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
agent_copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

/* Decodes a bytea column in hex output format ("\x0a1b..."). */
static unsigned char *
agent_bytea(PGresult *res, int row, int col, size_t *len)
{
    return PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, col),
                           len);
}

/*
 * Decrypts the active credential of id whose type is one of types (first
 * match in that order wins) into *secret and username. 0, 1 when there
 * is none, -1 error.
 */
static int
agent_device_decrypt(PGconn *pg, const agent_config_t *cfg, const char *id,
                     const char *types, char *username, size_t ulen,
                     char **secret, char **type, char *err, size_t errlen)
{
    const char    *params[2] = {id, types};
    PGresult      *res;
    unsigned char *sealed = NULL, *nonce = NULL;
    size_t         sealedlen = 0, noncelen = 0;
    int            rc = -1;

    res = agent_pg_exec(pg,
                        "SELECT username, secret_ciphertext, nonce, "
                        "credential_type FROM credentials "
                        "WHERE device_id = $1 AND active AND credential_type "
                        "= ANY (string_to_array($2, ',')) ORDER BY "
                        "array_position(string_to_array($2, ','), "
                        "credential_type::text) LIMIT 1",
                        2, params, err, errlen);
    if (res == NULL) {
        return -1;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 1;
    }
    if (!cfg->has_key) {
        snprintf(err, errlen,
                 "ROUTEROS_MCP_ENCRYPTION_KEY is not set; "
                 "cannot decrypt the credential of %s",
                 id);
        goto done;
    }
    agent_copy(username, ulen, PQgetvalue(res, 0, 0));
    sealed = agent_bytea(res, 0, 1, &sealedlen);
    nonce = agent_bytea(res, 0, 2, &noncelen);
    if (sealed == NULL || nonce == NULL || noncelen != AGENT_AEAD_NONCE_LEN ||
        agent_aead_open(cfg->key, id, nonce, sealed, sealedlen, secret) !=
            0) {
        snprintf(err, errlen,
                 "the stored credential of %s does not decrypt "
                 "with ROUTEROS_MCP_ENCRYPTION_KEY (wrong key?)",
                 id);
        goto done;
    }
    if (type != NULL) {
        *type = strcmp(PQgetvalue(res, 0, 3), "ssh_key") == 0 ? "ssh_key"
                                                              : "ssh";
    }
    rc = 0;
done:
    PQfreemem(sealed);
    PQfreemem(nonce);
    PQclear(res);
    return rc;
}

static int
agent_device_secret(PGconn *pg, const agent_config_t *cfg, agent_device_t *dev,
                    char *err, size_t errlen)
{
    int rc = agent_device_decrypt(pg, cfg, dev->id, "rest", dev->username,
                                  sizeof(dev->username), &dev->password, NULL,
                                  err, errlen);

    dev->has_credential = rc == 0;
    return rc < 0 ? -1 : 0;
}

int
agent_device_ssh_secret(PGconn *pg, const agent_config_t *cfg, const char *id,
                        agent_device_ssh_t *ssh, char *err, size_t errlen)
{
    char *secret = NULL, *type = NULL;
    int   rc;

    memset(ssh, 0, sizeof(*ssh));
    rc = agent_device_decrypt(pg, cfg, id, "ssh_key,ssh", ssh->username,
                              sizeof(ssh->username), &secret, &type, err,
                              errlen);
    if (rc == 0 && strcmp(type, "ssh_key") == 0) {
        ssh->private_key = secret;
    } else if (rc == 0) {
        ssh->password = secret;
    }
    return rc;
}

void
agent_device_ssh_release(agent_device_ssh_t *ssh)
{
    agent_aead_free(ssh->password);
    agent_aead_free(ssh->private_key);
    ssh->password = NULL;
    ssh->private_key = NULL;
}

int
agent_device_pin_host_key(PGconn *pg, const char *id, const char *fp,
                          char *err, size_t errlen)
{
    const char *params[2] = {id, fp};
    PGresult   *res;

    res = agent_pg_exec(pg,
                        "UPDATE devices SET ssh_host_key_sha256 = $2, "
                        "ssh_host_key_recorded_at = now(), updated_at = now() "
                        "WHERE id = $1 AND ssh_host_key_sha256 IS NULL",
                        2, params, err, errlen);
    if (res == NULL) {
        return -1;
    }
    PQclear(res);
    return 0;
}

int
agent_device_load(PGconn *pg, const agent_config_t *cfg, const char *id,
                  int with_secret, agent_device_t *dev, char *err,
                  size_t errlen)
{
    const char *params[1] = {id};
    PGresult   *res;

    memset(dev, 0, sizeof(*dev));
    res = agent_pg_exec(pg,
                        "SELECT id, name, management_ip, "
                        "management_port, rest_scheme, environment, status, "
                        "allow_advanced_writes, allow_professional_workflows, "
                        "allow_routing_writes, allow_firewall_writes, "
                        "allow_dhcp_writes, allow_bridge_writes, "
                        "allow_wireless_writes, allow_bandwidth_test, "
                        "ssh_port, coalesce(ssh_host_key_sha256, ''), "
                        "coalesce(routeros_version, ''), EXISTS (SELECT 1 "
                        "FROM credentials c WHERE c.device_id = devices.id "
                        "AND c.active AND c.credential_type IN "
                        "('ssh', 'ssh_key')), coalesce(tls_ca_file, ''), "
                        "coalesce(tls_fingerprint_sha256, '') "
                        "FROM devices WHERE id = $1",
                        1, params, err, errlen);
    if (res == NULL) {
        return -1;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 1;
    }
    agent_copy(dev->id, sizeof(dev->id), PQgetvalue(res, 0, 0));
    agent_copy(dev->name, sizeof(dev->name), PQgetvalue(res, 0, 1));
    agent_copy(dev->ip, sizeof(dev->ip), PQgetvalue(res, 0, 2));
    dev->port = atoi(PQgetvalue(res, 0, 3));
    agent_copy(dev->scheme, sizeof(dev->scheme), PQgetvalue(res, 0, 4));
    agent_copy(dev->environment, sizeof(dev->environment),
               PQgetvalue(res, 0, 5));
    agent_copy(dev->status, sizeof(dev->status), PQgetvalue(res, 0, 6));
    dev->allow_advanced_writes = PQgetvalue(res, 0, 7)[0] == 't';
    dev->allow_professional_workflows = PQgetvalue(res, 0, 8)[0] == 't';
    dev->allow_routing_writes = PQgetvalue(res, 0, 9)[0] == 't';
    dev->allow_firewall_writes = PQgetvalue(res, 0, 10)[0] == 't';
    dev->allow_dhcp_writes = PQgetvalue(res, 0, 11)[0] == 't';
    dev->allow_bridge_writes = PQgetvalue(res, 0, 12)[0] == 't';
    dev->allow_wireless_writes = PQgetvalue(res, 0, 13)[0] == 't';
    dev->allow_bandwidth_test = PQgetvalue(res, 0, 14)[0] == 't';
    dev->ssh_port = atoi(PQgetvalue(res, 0, 15));
    agent_copy(dev->ssh_host_key, sizeof(dev->ssh_host_key),
               PQgetvalue(res, 0, 16));
    agent_copy(dev->routeros_version, sizeof(dev->routeros_version),
               PQgetvalue(res, 0, 17));
    dev->has_ssh_credential = PQgetvalue(res, 0, 18)[0] == 't';
    agent_copy(dev->tls_ca_file, sizeof(dev->tls_ca_file),
               PQgetvalue(res, 0, 19));
    agent_copy(dev->tls_fingerprint, sizeof(dev->tls_fingerprint),
               PQgetvalue(res, 0, 20));
    PQclear(res);
    if (with_secret && agent_device_secret(pg, cfg, dev, err, errlen) != 0) {
        agent_device_release(dev);
        return -1;
    }
    return 0;
}

void
agent_device_release(agent_device_t *dev)
{
    agent_aead_free(dev->password);
    dev->password = NULL;
    dev->has_credential = 0;
}

int
agent_devices_list(PGconn *pg, const char *environment, const json_t *tags,
                   int limit, json_t **devices, long *total, char *err,
                   size_t errlen)
{
    char        lim[16], *tagjson = NULL;
    const char *params[3];
    PGresult   *res;
    json_t     *arr, *row;
    int         i;

    snprintf(lim, sizeof(lim), "%d", limit);
    if (tags != NULL) {
        tagjson = json_dumps(tags, JSON_COMPACT);
        if (tagjson == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    params[0] = environment;
    params[1] = tagjson;
    params[2] = lim;
    res = agent_pg_exec(
        pg,
        "SELECT count(*) OVER (), jsonb_build_object("
        "'id', id, 'name', name, 'management_ip', management_ip, "
        "'management_port', management_port, 'rest_scheme', rest_scheme, "
        "'environment', environment, 'status', status, "
        "'health_status', health_status, "
        "'routeros_version', routeros_version, "
        "'hardware_model', hardware_model, "
        "'system_identity', system_identity, 'tags', tags, "
        "'allow_advanced_writes', allow_advanced_writes, "
        "'allow_professional_workflows', allow_professional_workflows, "
        "'critical', critical, 'last_seen_at', last_seen_at, "
        "'tls_ca_file', tls_ca_file, "
        "'tls_fingerprint_sha256', tls_fingerprint_sha256)::text "
        "FROM devices WHERE ($1::text IS NULL OR environment = $1) "
        "AND ($2::jsonb IS NULL OR tags @> $2::jsonb) "
        "ORDER BY id LIMIT $3::int",
        3, params, err, errlen);
    free(tagjson);
    if (res == NULL) {
        return -1;
    }
    arr = json_array();
    *total = PQntuples(res) ? atol(PQgetvalue(res, 0, 0)) : 0;
    for (i = 0; arr != NULL && i < PQntuples(res); i++) {
        row = json_loads(PQgetvalue(res, i, 1), 0, NULL);
        if (row == NULL || json_array_append_new(arr, row) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    PQclear(res);
    if (arr == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *devices = arr;
    return 0;
}

static char *
agent_hex_bytea(const unsigned char *p, size_t n)
{
    char *s = malloc(2 * n + 3);

    if (s == NULL) {
        return NULL;
    }
    s[0] = '\\';
    s[1] = 'x';
    mcp_hex_encode(p, n, s + 2);
    return s;
}

/* Inserts one encrypted credential of device id. 0 or -1. */
static int
agent_credential_insert(PGconn *pg, const agent_config_t *cfg, const char *id,
                        const char *type, const char *username,
                        const char *secret, char *err, size_t errlen)
{
    unsigned char nonce[AGENT_AEAD_NONCE_LEN], *sealed = NULL;
    size_t        sealedlen;
    char         *hexsealed = NULL, *hexnonce = NULL;
    const char   *p[5];
    PGresult     *res = NULL;

    if (agent_aead_seal(cfg->key, id, (const unsigned char *)secret,
                        strlen(secret), nonce, &sealed, &sealedlen) != 0 ||
        (hexsealed = agent_hex_bytea(sealed, sealedlen)) == NULL ||
        (hexnonce = agent_hex_bytea(nonce, sizeof(nonce))) == NULL) {
        snprintf(err, errlen, "cannot encrypt the credential");
    } else {
        p[0] = id;
        p[1] = type;
        p[2] = username;
        p[3] = hexsealed;
        p[4] = hexnonce;
        res = agent_pg_exec(pg,
                            "INSERT INTO credentials (device_id, "
                            "credential_type, username, secret_ciphertext, "
                            "nonce) VALUES ($1, $2, $3, $4::bytea, $5::bytea)",
                            5, p, err, errlen);
    }
    free(sealed);
    free(hexsealed);
    free(hexnonce);
    if (res == NULL) {
        return -1;
    }
    PQclear(res);
    return 0;
}

static int
agent_device_run(PGconn *pg, const char *sql, char *err, size_t errlen)
{
    PGresult *res = agent_pg_exec(pg, sql, 0, NULL, err, errlen);

    if (res == NULL) {
        return -1;
    }
    PQclear(res);
    return 0;
}

int
agent_device_add(PGconn *pg, const agent_config_t *cfg,
                 const agent_device_new_t *dev, const char *password, char *err,
                 size_t errlen)
{
    char        port[16], sshport[16], *tags;
    const char *p[13];
    PGresult   *res;
    int         rc = -1;
    char        ignore[64];

    tags = json_dumps(dev->tags, JSON_COMPACT);
    if (tags == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(port, sizeof(port), "%d", dev->port);
    snprintf(sshport, sizeof(sshport), "%d", dev->ssh_port ? dev->ssh_port : 22);
    p[0] = dev->id;
    p[1] = dev->name;
    p[2] = dev->ip;
    p[3] = port;
    p[4] = dev->scheme;
    p[5] = dev->environment;
    p[6] = tags;
    p[7] = dev->allow_advanced_writes ? "t" : "f";
    p[8] = dev->allow_professional_workflows ? "t" : "f";
    p[9] = sshport;
    p[10] = dev->routeros_version;
    p[11] = dev->tls_ca_file;
    p[12] = dev->tls_fingerprint;
    /* One transaction, so the device never exists without its credentials. */
    if (agent_device_run(pg, "BEGIN", err, errlen) != 0) {
        goto done;
    }
    res = agent_pg_exec(
        pg,
        "INSERT INTO devices (id, name, management_ip, management_port, "
        "rest_scheme, environment, tags, allow_advanced_writes, "
        "allow_professional_workflows, ssh_port, routeros_version, "
        "tls_ca_file, tls_fingerprint_sha256) VALUES "
        "($1, $2, $3, $4::int, $5, $6, $7::jsonb, $8::bool, $9::bool, "
        "$10::int, $11, $12, $13)",
        13, p, err, errlen);
    if (res != NULL) {
        PQclear(res);
    }
    if (res != NULL &&
        (password == NULL ||
         agent_credential_insert(pg, cfg, dev->id, "rest", dev->username,
                                 password, err, errlen) == 0) &&
        (dev->ssh_type == NULL ||
         agent_credential_insert(pg, cfg, dev->id, dev->ssh_type,
                                 dev->ssh_username, dev->ssh_secret, err,
                                 errlen) == 0) &&
        agent_device_run(pg, "COMMIT", err, errlen) == 0) {
        rc = 0;
    } else {
        agent_device_run(pg, "ROLLBACK", ignore, sizeof(ignore));
    }
done:
    free(tags);
    return rc;
}

int
agent_device_remove(PGconn *pg, const char *id, char *err, size_t errlen)
{
    const char *params[1] = {id};
    PGresult   *res;
    int         n;

    res = agent_pg_exec(pg, "DELETE FROM devices WHERE id = $1", 1, params, err,
                        errlen);
    if (res == NULL) {
        return -1;
    }
    n = atoi(PQcmdTuples(res));
    PQclear(res);
    return n > 0 ? 0 : 1;
}

int
agent_device_seen(PGconn *pg, const char *id, const char *status,
                  const char *version, const char *identity, const char *model,
                  char *err, size_t errlen)
{
    const char *params[5] = {id, status, version, identity, model};
    PGresult   *res;

    res = agent_pg_exec(
        pg,
        "UPDATE devices SET status = $2::text, updated_at = now(), "
        "last_seen_at = CASE WHEN $2::text <> 'unreachable' THEN now() "
        "ELSE last_seen_at END, "
        "routeros_version = coalesce($3, routeros_version), "
        "system_identity = coalesce($4, system_identity), "
        "hardware_model = coalesce($5, hardware_model) WHERE id = $1",
        5, params, err, errlen);
    if (res == NULL) {
        return -1;
    }
    PQclear(res);
    return 0;
}
