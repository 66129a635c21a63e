/*
 * token_budget.h: every tool result carries _meta.estimated_tokens; answers
 * above the configured thresholds are logged or refused with advice.
 */
#ifndef AGENT_TOOLS_TOKEN_BUDGET_H
#define AGENT_TOOLS_TOKEN_BUDGET_H

#include "tool.h"

/* Tokens an LLM would spend on text of len bytes (about 4 bytes a token). */
long agent_estimate_tokens(size_t len);

/*
 * Adds _meta.estimated_tokens to out->result; above cfg->token_warn logs a
 * warning, above cfg->token_max replaces the answer with an error result
 * asking for a narrower call. Protocol errors (no result) are left alone.
 */
void agent_token_budget(const agent_config_t *cfg, const char *tool,
    agent_outcome_t *out);

#endif
