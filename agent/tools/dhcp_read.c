/*
 * dhcp_read.c: the DHCP read tools (upstream-catalog §1.11): the servers
 * of /ip/dhcp-server and the leases of /ip/dhcp-server/lease.
 */
#include "menu_list.h"
#include "registry.h"

static const agent_field_t agent_server_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"name", "name", AGENT_F_STR},
    {"interface", "interface", AGENT_F_STR},
    {"address-pool", "address_pool", AGENT_F_STR},
    {"lease-time", "lease_time", AGENT_F_STR},
    {"lease-time", "lease_time_seconds", AGENT_F_SECONDS},
    {"authoritative", "authoritative", AGENT_F_STR},
    {"lease-script", "lease_script", AGENT_F_STR},
    {"use-radius", "use_radius", AGENT_F_STR},
    {"comment", "comment", AGENT_F_STR},
    {"disabled", "disabled", AGENT_F_FLAG},
    {"dynamic", "dynamic", AGENT_F_FLAG},
    {"invalid", "invalid", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static const agent_field_t agent_lease_fields[] = {
    {".id", "id", AGENT_F_STR},
    {"address", "address", AGENT_F_STR},
    {"mac-address", "mac_address", AGENT_F_STR},
    {"client-id", "client_id", AGENT_F_STR},
    {"host-name", "host_name", AGENT_F_STR},
    {"server", "server", AGENT_F_STR},
    {"status", "status", AGENT_F_STR},
    {"expires-after", "expires_after", AGENT_F_STR},
    {"expires-after", "expires_after_seconds", AGENT_F_SECONDS},
    {"last-seen", "last_seen", AGENT_F_STR},
    {"active-address", "active_address", AGENT_F_STR},
    {"active-mac-address", "active_mac_address", AGENT_F_STR},
    {"comment", "comment", AGENT_F_STR},
    {"dynamic", "dynamic", AGENT_F_FLAG},
    {"disabled", "disabled", AGENT_F_FLAG},
    {"blocked", "blocked", AGENT_F_FLAG},
    {NULL, NULL, AGENT_F_STR}};

static void
agent_tool_get_dhcp_server_status(agent_ctx_t *ctx, const json_t *args,
                                  agent_outcome_t *out)
{
    static const agent_menu_list_t spec = {
        "/ip/dhcp-server", "servers", "DHCP servers", agent_server_fields, -1};

    agent_menu_list(ctx, args, &spec, out);
}

static void
agent_tool_get_dhcp_leases(agent_ctx_t *ctx, const json_t *args,
                           agent_outcome_t *out)
{
    static const agent_menu_list_t spec = {"/ip/dhcp-server/lease", "leases",
                                           "DHCP leases", agent_lease_fields,
                                           200};

    agent_menu_list(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_dhcp_read[] = {
    {"get_dhcp_server_status", agent_tool_get_dhcp_server_status},
    {"get_dhcp_leases", agent_tool_get_dhcp_leases},
    {NULL, NULL}};
