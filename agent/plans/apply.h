/*
 * apply.h: executing an approved plan: token check and spend, batches of
 * devices through the write guard, health gate, rollback, truthful status.
 */
#ifndef AGENT_PLANS_APPLY_H
#define AGENT_PLANS_APPLY_H

#include "build.h"

/* apply_<domain>_plan / config_apply_dns_ntp_rollout: args plan_id and
 * approval_token; the plan must be of domain. */
void agent_plan_apply(agent_ctx_t *ctx, const json_t *args,
    agent_plan_domain_t domain, agent_outcome_t *out);

/* config_rollback_plan: undoes the devices a completed or failed plan left
 * applied. */
void agent_plan_rollback(agent_ctx_t *ctx, const json_t *args,
    agent_outcome_t *out);

#endif
