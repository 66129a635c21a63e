/*
 * devices.h: the devices and credentials tables: load a device with its
 * decrypted REST credential (SSH secret on demand), list, add, remove,
 * record reachability and the SSH host key.
 */
#ifndef AGENT_DB_DEVICES_H
#define AGENT_DB_DEVICES_H

#include "../core/config.h"

#include <jansson.h>
#include <libpq-fe.h>

typedef struct {
    char  id[65];
    char  name[256];
    char  ip[46];
    char  scheme[6];
    char  environment[33];
    char  status[33];
    int   port;
    int   allow_advanced_writes;
    int   allow_professional_workflows;
    int   allow_routing_writes, allow_firewall_writes, allow_dhcp_writes;
    int   allow_bridge_writes, allow_wireless_writes;
    int   allow_bandwidth_test; /* may be the target of bandwidth_test */
    char  username[256];
    char *password; /* decrypted REST secret; NULL without one */
    int   has_credential;
    int   ssh_port;
    char  ssh_host_key[65];      /* pinned "SHA256:…", "" before first use */
    char  routeros_version[65];  /* as last seen, "" unknown */
    int   has_ssh_credential;    /* an active ssh or ssh_key credential */
    /* HTTPS trust (at most one): the CA file verifying chain and address,
     * or the SHA-256 of the leaf certificate's DER, lowercase hex; "" none */
    char  tls_ca_file[1024];
    char  tls_fingerprint[65];
} agent_device_t;

/* A decrypted SSH credential (ssh_key preferred over ssh password). */
typedef struct {
    char  username[256];
    char *password;     /* NULL when key */
    char *private_key;  /* PEM/OpenSSH text, NULL when password */
} agent_device_ssh_t;

/*
 * Loads device id; with_secret also decrypts its active REST credential
 * (needs cfg->has_key). Returns 0 found, 1 not found, -1 error (err set).
 * Release with agent_device_release (wipes the secret).
 */
int agent_device_load(PGconn *pg, const agent_config_t *cfg, const char *id,
                      int with_secret, agent_device_t *dev, char *err,
                      size_t errlen);

void agent_device_release(agent_device_t *dev);

/* Decrypts the active SSH credential of dev into ssh. 0, 1 when there is
 * none, -1 error (err set). Release with agent_device_ssh_release. */
int agent_device_ssh_secret(PGconn *pg, const agent_config_t *cfg,
                            const char *id, agent_device_ssh_t *ssh, char *err,
                            size_t errlen);

void agent_device_ssh_release(agent_device_ssh_t *ssh);

/* Trust on first use: records fp as the host key of id unless one is
 * pinned already. 0 or -1. */
int agent_device_pin_host_key(PGconn *pg, const char *id, const char *fp,
                              char *err, size_t errlen);

/*
 * Lists devices as JSON objects, filtered by environment (NULL = all) and
 * tags (object, NULL = all; every pair must match), ordered by id, at most
 * limit. *total counts all matches. 0 or -1.
 */
int agent_devices_list(PGconn *pg, const char *environment, const json_t *tags,
                       int limit, json_t **devices, long *total, char *err,
                       size_t errlen);

typedef struct {
    const char *id, *name, *ip, *scheme, *environment, *username;
    int         port;
    int         allow_advanced_writes, allow_professional_workflows;
    json_t     *tags; /* object */
    int         ssh_port;         /* 0: the default 22 */
    const char *routeros_version; /* NULL: unknown */
    /* SSH credential: type "ssh" (password) or "ssh_key" (private key
     * text), NULL for none. */
    const char *ssh_type, *ssh_username, *ssh_secret;
    /* HTTPS trust, NULL for none: an absolute CA file path, or a
     * normalized fingerprint (agent_tls_fingerprint_parse). */
    const char *tls_ca_file, *tls_fingerprint;
} agent_device_new_t;

/* Inserts the device, its encrypted REST credential (password NULL: none)
 * and SSH credential in one transaction. */
int agent_device_add(PGconn *pg, const agent_config_t *cfg,
                     const agent_device_new_t *dev, const char *password,
                     char *err, size_t errlen);

/* Deletes a device (its credentials and history cascade). 0 removed,
 * 1 not found, -1 error. */
int agent_device_remove(PGconn *pg, const char *id, char *err, size_t errlen);

/*
 * Records the outcome of a contact: status healthy|unreachable|degraded,
 * last_seen_at when reachable, and version/identity/model when not NULL.
 */
int agent_device_seen(PGconn *pg, const char *id, const char *status,
                      const char *version, const char *identity,
                      const char *model, char *err, size_t errlen);

#endif
