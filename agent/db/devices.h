/*
 * devices.h: the devices and credentials tables: load a device with its
 * decrypted REST credential, list, add, remove, record reachability.
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
} agent_device_t;

/*
 * Loads device id; with_secret also decrypts its active REST credential
 * (needs cfg->has_key). Returns 0 found, 1 not found, -1 error (err set).
 * Release with agent_device_release (wipes the secret).
 */
int agent_device_load(PGconn *pg, const agent_config_t *cfg, const char *id,
                      int with_secret, agent_device_t *dev, char *err,
                      size_t errlen);

void agent_device_release(agent_device_t *dev);

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
} agent_device_new_t;

/* Inserts the device and its encrypted REST credential in one transaction. */
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
