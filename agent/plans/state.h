/*
 * state.h: the one place plan status changes: the allowed transitions,
 * approval (token recorded), start of execution (token spent), each audited.
 */
#ifndef AGENT_PLANS_STATE_H
#define AGENT_PLANS_STATE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

/*
 * pending -> approved | cancelled;  approved -> executing | cancelled;
 * executing -> completed | failed | rolling_back | cancelled;
 * completed | failed -> rolling_back (config_rollback_plan);
 * rolling_back -> rolled_back | failed. 1 when from -> to is allowed.
 */
int agent_plan_transition_allowed(const char *from, const char *to);

/*
 * Moves plan_id from -> to in one transaction with its audit row (action,
 * actor, note in meta). -1 with err when the transition is not allowed or
 * the plan is not in from any more.
 */
int agent_plan_transition(PGconn *pg, const char *plan_id, const char *from,
    const char *to, const char *action, const char *actor, const char *note,
    char *err, size_t errlen);

/*
 * pending -> approved by approver: records the token (id, content hash,
 * expiry) so it can be spent once, and the PLAN_APPROVED audit row (meta
 * auto_approved, and workflow when a trusted workflow approved it; else
 * workflow is NULL).
 */
int agent_plan_approve(PGconn *pg, const char *plan_id,
    const char *approver, const char *content_hash, const char *token_id,
    int64_t expires_at, const char *workflow, char *err, size_t errlen);

/* Work done inside agent_plan_start's transaction (the job row). */
typedef int (*agent_plan_in_tx_fn)(PGconn *pg, void *arg, char *err,
    size_t errlen);

/*
 * approved -> executing, spending token_id and running in_tx (may be NULL)
 * in the same transaction: a token already used (replay) or not issued for
 * this plan is refused, and nothing of it happens unless all of it does.
 */
int agent_plan_start(PGconn *pg, const char *plan_id, const char *token_id,
    const char *actor, agent_plan_in_tx_fn in_tx, void *arg, char *err,
    size_t errlen);

#endif
