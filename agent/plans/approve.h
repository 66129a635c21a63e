/*
 * approve.h: approving a pending plan: content hash re-checked, optional
 * separation of creator and approver, token issued and recorded.
 */
#ifndef AGENT_PLANS_APPROVE_H
#define AGENT_PLANS_APPROVE_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Approves plan_id by approver and writes the single-use token (shown only
 * this once) into token. separate: refuse when approver created the plan.
 * workflow: the trusted workflow approving it (audited), or NULL.
 * 0, or -1 with the reason in err (plan missing, not pending, content
 * changed, same person, no approval key).
 */
int agent_plan_issue(PGconn *pg, const char *plan_id, const char *approver,
                     int separate, const char *workflow, char *token,
                     size_t tokenlen, int64_t *expires_at, char *err,
                     size_t errlen);

#endif
