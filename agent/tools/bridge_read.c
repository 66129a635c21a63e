/*
 * bridge_read.c: the bridge read tools (upstream-catalog §1.12): bridges
 * of /interface/bridge and their ports from /interface/bridge/port.
 */
#include "menu_list.h"
#include "registry.h"

static const agent_field_t agent_bridge_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"name", "name", AGENT_F_STR},
    {"protocol-mode", "protocol_mode", AGENT_F_STR},
    {"vlan-filtering", "vlan_filtering", AGENT_F_FLAG},
    {"mac-address", "mac_address", AGENT_F_STR},
    {"priority", "priority", AGENT_F_INT},
    {"ageing-time", "ageing_time", AGENT_F_STR},
    {"forward-delay", "forward_delay", AGENT_F_STR},
    {"max-message-age", "max_message_age", AGENT_F_STR},
    {"mtu", "mtu", AGENT_F_STR},
    {"actual-mtu", "actual_mtu", AGENT_F_INT},
    {"l2mtu", "l2mtu", AGENT_F_INT},
    {"igmp-snooping", "igmp_snooping", AGENT_F_BOOL},
    {"dhcp-snooping", "dhcp_snooping", AGENT_F_BOOL},
    {"fast-forward", "fast_forward", AGENT_F_BOOL},
    {"comment", "comment", AGENT_F_STR},
    {"running", "running", AGENT_F_FLAG},
    {"disabled", "disabled", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_port_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"interface", "interface", AGENT_F_STR},
    {"bridge", "bridge", AGENT_F_STR},
    {"pvid", "pvid", AGENT_F_INT},
    {"hw", "hw_offload", AGENT_F_BOOL},
    {"status", "status", AGENT_F_STR},
    {"role", "role", AGENT_F_STR},
    {"frame-types", "frame_types", AGENT_F_STR},
    {"ingress-filtering", "ingress_filtering", AGENT_F_BOOL},
    {"edge", "edge", AGENT_F_STR},
    {"horizon", "horizon", AGENT_F_STR},
    {"priority", "priority", AGENT_F_INT},
    {"path-cost", "path_cost", AGENT_F_INT},
    {"trusted", "trusted", AGENT_F_BOOL},
    {"forwarding", "forwarding", AGENT_F_BOOL},
    {"learning", "learning", AGENT_F_BOOL},
    {"comment", "comment", AGENT_F_STR},
    {"inactive", "inactive", AGENT_F_FLAG},
    {"disabled", "disabled", AGENT_F_FLAG},
    {"dynamic", "dynamic", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static void
agent_tool_list_bridges(agent_ctx_t *ctx, const json_t *args,
                        agent_outcome_t *out)
{
    static const agent_menu_list_t spec = {"/interface/bridge", "bridges",
                                           "bridges", agent_bridge_fields, -1};

    agent_menu_list(ctx, args, &spec, out);
}

static void
agent_tool_list_bridge_ports(agent_ctx_t *ctx, const json_t *args,
                             agent_outcome_t *out)
{
    static const agent_menu_list_t spec = {"/interface/bridge/port", "ports",
                                           "bridge ports", agent_port_fields,
                                           500};

    agent_menu_list(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_bridge_read[] = {
    {"list_bridges", agent_tool_list_bridges},
    {"list_bridge_ports", agent_tool_list_bridge_ports},
    {NULL, NULL}};
