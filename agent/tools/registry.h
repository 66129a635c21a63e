/*
 * registry.h: maps catalog tool names to handlers, one table per domain
 * file, and checks the two agree both ways at start-up.
 */
#ifndef AGENT_TOOLS_REGISTRY_H
#define AGENT_TOOLS_REGISTRY_H

#include "tool.h"

/* The handler of name, or NULL. */
agent_tool_fn agent_registry_find(const char *name);

/*
 * 0 when every catalog tool has a handler and every handler a catalog
 * entry; else -1 with the offending names in err.
 */
int agent_registry_check(const mcp_catalog_t *cat, char *err, size_t errlen);

/* Domain tables, each ending with { NULL, NULL }. */
extern const agent_tool_def_t agent_tools_platform[];
extern const agent_tool_def_t agent_tools_devices[];
extern const agent_tool_def_t agent_tools_system[];
extern const agent_tool_def_t agent_tools_system_info[];
extern const agent_tool_def_t agent_tools_interfaces[];
extern const agent_tool_def_t agent_tools_ip_read[];
extern const agent_tool_def_t agent_tools_dns_ntp_read[];
extern const agent_tool_def_t agent_tools_routing_read[];
extern const agent_tool_def_t agent_tools_firewall_read[];
extern const agent_tool_def_t agent_tools_dhcp_read[];
extern const agent_tool_def_t agent_tools_bridge_read[];
extern const agent_tool_def_t agent_tools_wireless_read[];
extern const agent_tool_def_t agent_tools_plan_routing[];
extern const agent_tool_def_t agent_tools_plan_dns_ntp[];
extern const agent_tool_def_t agent_tools_plan_apply[];
extern const agent_tool_def_t agent_tools_plan_firewall[];
extern const agent_tool_def_t agent_tools_plan_dhcp[];
extern const agent_tool_def_t agent_tools_plan_bridge[];
extern const agent_tool_def_t agent_tools_plan_wireless[];
extern const agent_tool_def_t agent_tools_plan_approve[];
extern const agent_tool_def_t agent_tools_plan_job[];
extern const agent_tool_def_t agent_tools_writes_system[];
extern const agent_tool_def_t agent_tools_writes_ip[];
extern const agent_tool_def_t agent_tools_writes_dns_ntp[];
extern const agent_tool_def_t agent_tools_writes_firewall[];
extern const agent_tool_def_t agent_tools_diag_ping[];
extern const agent_tool_def_t agent_tools_diag_traceroute[];
extern const agent_tool_def_t agent_tools_diag_btest[];

#endif
