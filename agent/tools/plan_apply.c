/*
 * plan_apply.c: the apply_* tools and config_rollback_plan: thin entries
 * into agent/plans/apply.c, one per plan domain.
 */
#include "../plans/apply.h"

static void
apply_routing_plan(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    agent_plan_apply(ctx, args, AGENT_PLAN_ROUTING, out);
}

static void
apply_firewall_plan(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    agent_plan_apply(ctx, args, AGENT_PLAN_FIREWALL, out);
}

static void
apply_dhcp_plan(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    agent_plan_apply(ctx, args, AGENT_PLAN_DHCP, out);
}

static void
apply_bridge_plan(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    agent_plan_apply(ctx, args, AGENT_PLAN_BRIDGE, out);
}

static void
apply_wireless_plan(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    agent_plan_apply(ctx, args, AGENT_PLAN_WIRELESS, out);
}

static void
config_apply_dns_ntp_rollout(agent_ctx_t *ctx, const json_t *args,
                             agent_outcome_t *out)
{
    agent_plan_apply(ctx, args, AGENT_PLAN_DNS_NTP, out);
}

static void
config_rollback_plan(agent_ctx_t *ctx, const json_t *args, agent_outcome_t *out)
{
    agent_plan_rollback(ctx, args, out);
}

const agent_tool_def_t agent_tools_plan_apply[] = {
    {"apply_routing_plan", apply_routing_plan},
    {"apply_firewall_plan", apply_firewall_plan},
    {"apply_dhcp_plan", apply_dhcp_plan},
    {"apply_bridge_plan", apply_bridge_plan},
    {"apply_wireless_plan", apply_wireless_plan},
    {"config_apply_dns_ntp_rollout", config_apply_dns_ntp_rollout},
    {"config_rollback_plan", config_rollback_plan},
    {NULL, NULL}};
