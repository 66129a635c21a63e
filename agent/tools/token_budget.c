/*
 * token_budget.c: measures each answer as the client will receive it and
 * keeps oversized answers from flooding an LLM's context.
 */
#include "token_budget.h"
#include "../core/log.h"

#include <stdlib.h>
#include <string.h>

long
agent_estimate_tokens(size_t len)
{
    return (long) ((len + 3) / 4);
}

static json_t *
agent_result_meta_object(json_t *result)
{
    json_t *meta = json_object_get(result, "_meta");

    if (!json_is_object(meta)) {
        meta = json_object();
        if (meta == NULL || json_object_set_new(result, "_meta", meta) != 0) {
            return NULL;
        }
    }
    return meta;
}

void
agent_token_budget(const agent_config_t *cfg, const char *tool,
    agent_outcome_t *out)
{
    char   *text;
    long    tokens;
    json_t *meta;

    if (out->result == NULL) {
        return;
    }
    text = json_dumps(out->result, JSON_COMPACT);
    if (text == NULL) {
        agent_fail(out, MCP_ERR_INTERNAL, "out of memory measuring %s", tool);
        return;
    }
    tokens = agent_estimate_tokens(strlen(text));
    free(text);
    if (tokens > cfg->token_max) {
        agent_warn("%s answered about %ld tokens, over the limit of %d: "
                   "refused", tool, tokens, cfg->token_max);
        json_decref(out->result);
        out->result = NULL;
        agent_result(out, 1, NULL, "The answer of %s would be about %ld "
                     "tokens, more than the limit of %d. Ask for less: use "
                     "the tool's limit or filter arguments, or a narrower "
                     "tool.", tool, tokens, cfg->token_max);
        agent_result_meta(out, json_pack("{s:s, s:I, s:i}", "error",
                                         "answer_too_large",
                                         "answer_estimated_tokens",
                                         (json_int_t) tokens,
                                         "token_limit", cfg->token_max));
        if (out->result == NULL) {
            return;
        }
        text = json_dumps(out->result, JSON_COMPACT);
        tokens = text ? agent_estimate_tokens(strlen(text)) : 0;
        free(text);
    } else if (tokens > cfg->token_warn) {
        agent_warn("%s answered about %ld tokens (warning threshold %d)",
                   tool, tokens, cfg->token_warn);
    }
    meta = agent_result_meta_object(out->result);
    if (meta != NULL) {
        json_object_set_new(meta, "estimated_tokens", json_integer(tokens));
    }
}
