/*
 * workflow.h: trusted workflows (ROUTEROS_MCP_TRUSTED_WORKFLOWS): named
 * workflows whose plans, within their device scope and environment, are
 * approved automatically; off unless the file is configured.
 */
#ifndef AGENT_PLANS_WORKFLOW_H
#define AGENT_PLANS_WORKFLOW_H

#include "../tools/tool.h"

/*
 * A plan just created (pending) by ctx's caller with args.workflow: when
 * the configured workflow of that name admits the caller, every device of
 * the plan (scope patterns) and their environment, the plan is approved by
 * "workflow:<name>" (audited auto_approved=true with the workflow) and
 * answer gains status approved, approval_token and expires_at. Otherwise
 * answer gains workflow_refused with the reason and the plan stays
 * pending. Nothing happens without args.workflow.
 */
void agent_plan_workflow(agent_ctx_t *ctx, const json_t *args,
                         const char *plan_id, json_t *answer);

#endif
