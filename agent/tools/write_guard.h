/*
 * write_guard.h: the one path every device write takes: gates, management
 * path protection, dry run, snapshot, apply, read-back + health, rollback.
 */
#ifndef AGENT_TOOLS_WRITE_GUARD_H
#define AGENT_TOOLS_WRITE_GUARD_H

#include "tool.h"

typedef enum {
    AGENT_WRITE_SET = 0,   /* PATCH menu (singleton) or menu/item_id */
    AGENT_WRITE_ADD,       /* PUT menu, body is the new record */
    AGENT_WRITE_REMOVE,    /* DELETE menu/item_id */
    AGENT_WRITE_COMMAND    /* POST command; cannot be undone */
} agent_write_op_t;

typedef struct {
    agent_write_op_t   op;
    mcp_tier_t         tier;       /* whose device flag the gate demands */
    const char        *menu;       /* snapshotted menu, "/ip/address" */
    const char        *item_id;    /* SET of a list item, REMOVE */
    const char        *command;    /* COMMAND path, "/ip/dns/cache/flush" */
    const json_t      *body;       /* SET fields, ADD record, COMMAND args */
    const json_t      *expect;     /* must read back after SET/ADD; NULL =
                                      body */
    const char *const *restore_keys; /* REMOVE: fields re-created on
                                        rollback, NULL-terminated */
    const json_t      *before;     /* menu as read before (borrowed): the
                                      snapshot */
    const json_t      *params;     /* tool arguments for the audit row */
    int                dry_run;    /* report, touch nothing */
    int                unchanged;  /* already as asked: nothing to do */
} agent_write_t;

typedef struct {
    int  refused;           /* a gate said no; nothing touched */
    int  applied;           /* the device accepted the change */
    int  verified;          /* read-back and health check passed */
    int  rolled_back;       /* the snapshot state was put back */
    char snapshot_id[64];   /* "" when no snapshot was stored */
    char created_id[64];    /* ADD: .id of the new record */
    char message[768];      /* why it failed, "" on success */
} agent_write_report_t;

/*
 * The environment and tier gates for dev: 0 when the write may proceed,
 * else -1 with the reason in msg.
 */
int agent_write_gate(const agent_ctx_t *ctx, const agent_device_t *dev,
    mcp_tier_t tier, char *msg, size_t msglen);

/* 1 when the network of prefix (e.g. "127.0.0.2/8") holds the address the
 * service uses to reach dev: changing it could cut management. */
int agent_write_is_management(const agent_device_t *dev, const char *prefix);

/*
 * Runs w on dev: gate, snapshot row, apply, read-back, GET /system/resource,
 * automatic rollback when any check fails, and the audit row. Never touches
 * the device for dry_run / unchanged. Fills rep; the caller answers with
 * agent_write_answer.
 */
void agent_write_execute(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, agent_write_report_t *rep);

/*
 * A refusal decided before anything was touched (management path, overlap,
 * missing record): fills rep with the reason and writes the audit row.
 */
void agent_write_refuse(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, agent_write_report_t *rep, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Answers the call: structured (stolen) gains changed, dry_run,
 * rolled_back, snapshot_id (and planned_changes for a dry run); isError when the write was refused or failed,
 * with the guard's message; otherwise the tool's text.
 */
void agent_write_answer(const agent_write_t *w,
    const agent_write_report_t *rep, json_t *structured, agent_outcome_t *out,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* 0 when every string field of want reads back the same on item (booleans
 * compared as booleans, "" matching an absent field); else -1 with the
 * first difference in rep->message. */
int agent_write_matches(const json_t *item, const json_t *want,
    agent_write_report_t *rep);

/* "set", "add", "remove", "command". */
const char *agent_write_op_name(agent_write_op_t op);

/* Stores the snapshot row (kind = menu, data = JSON, sha256); 0 or -1. */
int agent_write_snapshot(agent_ctx_t *ctx, const agent_device_t *dev,
    const char *menu, const json_t *data, char *id, size_t idlen, char *err,
    size_t errlen);

/* Writes the DEVICE_WRITE audit row of w with its outcome. */
void agent_write_audit(agent_ctx_t *ctx, const agent_device_t *dev,
    const agent_write_t *w, const agent_write_report_t *rep);

#endif
