/*
 * build.h: what every plan_* tool shares: the device validator, the
 * per-device preparation (current values read now, the writes to make),
 * storing the plan and answering.
 */
#ifndef AGENT_PLANS_BUILD_H
#define AGENT_PLANS_BUILD_H

#include "../tools/tool.h"

typedef enum {
    AGENT_PLAN_ROUTING = 0,
    AGENT_PLAN_FIREWALL,
    AGENT_PLAN_DHCP,
    AGENT_PLAN_BRIDGE,
    AGENT_PLAN_WIRELESS,
    AGENT_PLAN_DNS_NTP
} agent_plan_domain_t;

/* "routing", "firewall", ... as stored in changes.domain. */
const char *agent_plan_domain_name(agent_plan_domain_t d);

/* 1 when dev allows writes of domain d (DNS/NTP needs no extra flag). */
int agent_plan_domain_allowed(const agent_device_t *dev, agent_plan_domain_t d);

/*
 * Fills entry (an object the caller created) for dev: "current" (what the
 * device holds now) and "writes" (array of {menu, op add|set|remove, id?,
 * body?, restore?, restore_order?, expect?}: restore lists the fields a
 * removed item is re-created with, restore_order re-inserts it before its
 * old successor, expect is what must read back when it differs from body).
 * *risk may be raised to 2 (high). 0, or -1 with a message for the operator
 * in err.
 */
typedef int (*agent_plan_prepare_fn)(agent_ctx_t          *ctx,
                                     const agent_device_t *dev,
                                     const json_t *args, json_t *entry,
                                     int *risk, char *err, size_t errlen);

typedef struct {
    agent_plan_domain_t   domain;
    const char           *operation;  /* "add_static_route", ... */
    const char           *summary;    /* human one-liner */
    int                   risk;       /* 1 medium, 2 high at least */
    int                   batch_size; /* 0: all devices in one batch */
    int                   pause_seconds;
    agent_plan_prepare_fn prepare;
} agent_plan_spec_t;

/*
 * Validates args.device_ids (exist, lab/staging, the service environment,
 * not unreachable/decommissioned, professional workflows, domain flag),
 * prepares each device, stores the pending plan and answers with plan_id,
 * status, risk_level, device_count, devices, content_hash.
 */
void agent_plan_build(agent_ctx_t *ctx, const json_t *args,
                      const agent_plan_spec_t *spec, agent_outcome_t *out);

/* Appends a write {menu, op, id?, body (stolen, may be NULL)} to entry. */
json_t *agent_plan_write(json_t *entry, const char *menu, const char *op,
                         const char *id, json_t *body);

/* Reads path into *reply (caller owns) like agent_device_read: REST, SSH
 * when REST fails and the device has SSH; -1 with err on failure. */
int agent_plan_read(agent_ctx_t *ctx, const agent_device_t *dev,
                    const char *path, json_t **reply, char *err, size_t errlen);

/* JSON array of the NULL-terminated keys (for a write's "restore"). */
json_t *agent_plan_keys(const char *const *keys);

/* The string argument name of args, or NULL when absent. */
const char *agent_plan_arg(const json_t *args, const char *name);

/* The item of list whose key equals value (borrowed), or NULL. */
const json_t *agent_plan_find(const json_t *list, const char *key,
                              const char *value);

#endif
