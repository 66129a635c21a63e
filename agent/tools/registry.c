/*
 * registry.c: the list of domain tables; adding a domain is one line here
 * plus its tools/<domain>.c file and catalog entries.
 */
#include "registry.h"

#include <stdio.h>
#include <string.h>

static const agent_tool_def_t *const agent_domains[] = {
    agent_tools_platform,
    agent_tools_devices,
    agent_tools_system,
    agent_tools_system_info,
    agent_tools_interfaces,
    agent_tools_ip_read,
    agent_tools_dns_ntp_read,
    agent_tools_routing_read,
    agent_tools_firewall_read,
    agent_tools_dhcp_read,
    agent_tools_bridge_read,
    agent_tools_wireless_read,
    agent_tools_plan_routing,
    agent_tools_plan_dns_ntp,
    agent_tools_plan_apply,
    agent_tools_plan_firewall,
    agent_tools_plan_dhcp,
    agent_tools_plan_bridge,
    agent_tools_plan_wireless,
    agent_tools_plan_approve,
    agent_tools_plan_job,
    agent_tools_writes_system,
    agent_tools_writes_ip,
    agent_tools_writes_dns_ntp,
    agent_tools_writes_firewall,
    agent_tools_diag_ping,
    agent_tools_diag_traceroute,
    agent_tools_diag_btest,
    NULL
};

agent_tool_fn
agent_registry_find(const char *name)
{
    const agent_tool_def_t *t;
    size_t                  d;

    for (d = 0; agent_domains[d]; d++) {
        for (t = agent_domains[d]; t->name; t++) {
            if (strcmp(t->name, name) == 0) {
                return t->run;
            }
        }
    }
    return NULL;
}

static void
agent_append(char *err, size_t errlen, const char *what, const char *name)
{
    size_t n = strlen(err);

    snprintf(err + n, errlen - n, "%s%s %s", n ? "; " : "", what, name);
}

int
agent_registry_check(const mcp_catalog_t *cat, char *err, size_t errlen)
{
    const agent_tool_def_t *t;
    size_t                  i, d;

    err[0] = '\0';
    for (i = 0; i < cat->ntools; i++) {
        if (agent_registry_find(cat->tools[i].name) == NULL) {
            agent_append(err, errlen, "catalog tool without handler:",
                         cat->tools[i].name);
        }
    }
    for (d = 0; agent_domains[d]; d++) {
        for (t = agent_domains[d]; t->name; t++) {
            if (mcp_catalog_find(cat, t->name, strlen(t->name)) == NULL) {
                agent_append(err, errlen, "handler without catalog entry:",
                             t->name);
            }
        }
    }
    return err[0] ? -1 : 0;
}
