# Menu table of the simulated RouterOS REST tree: which paths exist, whether
# each is a singleton or a collection, and the rules for add/set/remove.

# Field names whose written values are booleans (yes/no/true/false -> true/false).
BOOLEAN_FIELDS = {
    "disabled", "enabled", "allow-remote-requests", "log", "vlan-filtering",
    "igmp-snooping", "dhcp-snooping", "fast-forward", "auto-mac", "arp-timeout-enabled",
    "add-arp", "always-broadcast", "blocked",
    "hide-ssid", "default-forwarding", "default-authentication", "dynamic",
    "verify-doh-cert", "time-zone-autodetect", "trusted", "horizon-enabled",
    "learn-enabled", "ingress-filtering", "broadcast-flood", "bpdu-guard",
    "auto-isolate", "fast-leave", "tag-stacking",
}


class Menu:
    """One REST menu.  kind: 'single' (bare object) or 'list' (collection).
    writable: fields accepted by PUT/PATCH (None = any field on set).
    required: fields PUT must carry.  unique: (fields, message) duplicate rule.
    name_key: field usable in place of the .id in the URL.
    removable: False -> DELETE answers 406 like /interface.
    readonly: True -> no PUT/PATCH/DELETE (status tables)."""

    def __init__(self, path, kind="list", writable=(), required=(),
                 unique=None, name_key=None, removable=True, readonly=False,
                 id_base=1, commands=()):
        self.path = path
        self.kind = kind
        self.writable = None if writable is None else set(writable)
        self.required = tuple(required)
        self.unique = unique
        self.name_key = name_key
        self.removable = removable
        self.readonly = readonly
        self.id_base = id_base
        self.commands = set(commands)


_COMMON = ("comment", "disabled")

MENUS = {m.path: m for m in [
    Menu("/system/resource", "single", readonly=True),
    Menu("/system/identity", "single", writable=("name",)),
    Menu("/system/clock", "single",
         writable=("date", "time", "time-zone-name", "time-zone-autodetect")),
    Menu("/system/routerboard", "single", readonly=True),
    Menu("/system/license", "single", readonly=True),
    Menu("/system/package", readonly=True, name_key="name"),
    Menu("/system/package/update", "single", writable=("channel",)),
    Menu("/system/logging", writable=("topics", "action", "prefix") + _COMMON,
         required=("topics",)),
    Menu("/system/logging/action", name_key="name",
         writable=("name", "target", "memory-lines", "remember") + _COMMON,
         required=("name",)),
    Menu("/system/ntp/client", "single",
         writable=("enabled", "mode", "servers", "vrf")),
    Menu("/system/ntp/client/monitor", "single", readonly=True),
    Menu("/system/ntp/client/servers", name_key=None,
         writable=("address", "iburst", "min-poll", "max-poll", "auth-key") + _COMMON,
         required=("address",),
         unique=(("address",), "failure: already have such server")),
    Menu("/interface", name_key="name", removable=False,
         writable=("name", "mtu", "l2mtu") + _COMMON,
         unique=(("name",), "failure: already have interface with such name")),
    Menu("/interface/ethernet", name_key="name", removable=False,
         writable=("name", "mtu", "l2mtu", "advertise", "auto-negotiation",
                   "speed", "arp") + _COMMON),
    Menu("/interface/bridge", name_key="name",
         writable=("name", "mtu", "arp", "protocol-mode", "priority",
                   "vlan-filtering", "igmp-snooping", "dhcp-snooping",
                   "ageing-time", "forward-delay", "max-message-age",
                   "auto-mac", "admin-mac", "fast-forward", "pvid",
                   "frame-types", "ingress-filtering") + _COMMON,
         required=("name",),
         unique=(("name",), "failure: already have interface with such name")),
    Menu("/interface/bridge/port",
         writable=("bridge", "interface", "pvid", "priority", "path-cost",
                   "horizon", "edge", "frame-types", "ingress-filtering",
                   "trusted", "bpdu-guard", "hw") + _COMMON,
         required=("bridge", "interface"), id_base=0,
         unique=(("interface",), "failure: device already added as bridge port")),
    Menu("/interface/bridge/vlan",
         writable=("bridge", "vlan-ids", "tagged", "untagged") + _COMMON,
         required=("bridge", "vlan-ids")),
    Menu("/interface/vlan", name_key="name",
         writable=("name", "vlan-id", "interface", "mtu", "arp") + _COMMON,
         required=("name", "vlan-id", "interface"),
         unique=(("name",), "failure: already have interface with such name")),
    Menu("/interface/wireless", name_key="name",
         writable=("name", "ssid", "mode", "band", "frequency", "channel-width",
                   "security-profile", "tx-power", "tx-power-mode",
                   "master-interface", "country", "hide-ssid",
                   "wireless-protocol", "default-forwarding",
                   "default-authentication", "mac-address") + _COMMON,
         required=("name",),
         unique=(("name",), "failure: already have interface with such name")),
    Menu("/interface/wireless/registration-table", readonly=True),
    Menu("/interface/wireless/security-profiles", name_key="name",
         writable=("name", "mode", "authentication-types", "unicast-ciphers",
                   "group-ciphers", "wpa2-pre-shared-key") + _COMMON,
         required=("name",)),
    Menu("/interface/wifi", name_key="name",
         writable=("name", "configuration.ssid", "configuration.mode") + _COMMON),
    Menu("/interface/wifi/registration-table", readonly=True),
    Menu("/caps-man/remote-cap", readonly=True),
    Menu("/caps-man/registration-table", readonly=True),
    Menu("/ip/address",
         writable=("address", "interface", "network", "netmask", "broadcast")
         + _COMMON,
         required=("address", "interface"),
         unique=(("address", "interface"), "failure: already have such address")),
    Menu("/ip/arp", writable=("address", "mac-address", "interface", "published")
         + _COMMON, required=("address", "interface")),
    Menu("/ip/route",
         writable=("dst-address", "gateway", "distance", "scope", "target-scope",
                   "routing-table", "pref-src", "check-gateway", "blackhole",
                   "vrf-interface") + _COMMON,
         id_base=0x80000001),
    Menu("/ip/dns", "single",
         writable=("servers", "allow-remote-requests", "cache-size",
                   "cache-max-ttl", "max-udp-packet-size", "use-doh-server",
                   "verify-doh-cert", "query-server-timeout",
                   "query-total-timeout", "max-concurrent-queries",
                   "max-concurrent-tcp-sessions")),
    Menu("/ip/dns/cache", readonly=True, commands=("flush",)),
    Menu("/ip/dns/static",
         writable=("name", "address", "type", "ttl", "regexp", "cname", "text")
         + _COMMON),
    Menu("/ip/firewall/filter",
         writable=("chain", "action", "src-address", "dst-address", "protocol",
                   "src-port", "dst-port", "in-interface", "out-interface",
                   "in-interface-list", "out-interface-list",
                   "src-address-list", "dst-address-list", "connection-state",
                   "connection-nat-state", "jump-target", "log", "log-prefix",
                   "reject-with", "place-before", "ipsec-policy",
                   "hw-offload", "icmp-options") + _COMMON,
         required=("chain",), commands=("move", "reset-counters")),
    Menu("/ip/firewall/nat",
         writable=("chain", "action", "src-address", "dst-address", "protocol",
                   "src-port", "dst-port", "in-interface", "out-interface",
                   "in-interface-list", "out-interface-list", "to-addresses",
                   "to-ports", "ipsec-policy", "log", "log-prefix",
                   "place-before") + _COMMON,
         required=("chain",), commands=("move", "reset-counters")),
    Menu("/ip/firewall/mangle",
         writable=("chain", "action", "new-routing-mark", "passthrough",
                   "src-address", "dst-address") + _COMMON,
         required=("chain",)),
    Menu("/ip/firewall/address-list",
         writable=("list", "address", "timeout") + _COMMON,
         required=("list", "address"),
         unique=(("list", "address"), "failure: already have such entry")),
    Menu("/ip/pool", name_key="name",
         writable=("name", "ranges", "next-pool") + _COMMON,
         required=("name", "ranges"),
         unique=(("name",), "failure: pool with such name exists")),
    Menu("/ip/dhcp-server", name_key="name",
         writable=("name", "interface", "address-pool", "lease-time",
                   "authoritative", "add-arp", "always-broadcast",
                   "use-radius", "relay", "server-address") + _COMMON,
         required=("interface",),
         unique=(("name",), "failure: server with such name exists")),
    Menu("/ip/dhcp-server/lease",
         writable=("address", "mac-address", "client-id", "server",
                   "lease-time", "address-lists", "block-access",
                   "always-broadcast", "use-src-mac") + _COMMON,
         required=("address", "mac-address")),
    Menu("/ip/dhcp-server/network",
         writable=("address", "gateway", "dns-server", "netmask", "domain",
                   "ntp-server", "dhcp-option") + _COMMON,
         required=("address",),
         unique=(("address",), "failure: already have such network")),
    Menu("/ip/service", name_key="name", removable=False,
         writable=("port", "address", "certificate", "disabled")),
    Menu("/user", name_key="name",
         writable=("name", "group", "password", "address") + _COMMON,
         required=("name", "group")),
    Menu("/log", readonly=True),
]}

# Paths that only group menus (GET on them is not a listing).
DIRECTORIES = {
    "/system", "/system/ntp", "/ip", "/ip/firewall", "/tool", "/caps-man",
    "/interface/wifi/capsman", "/routing",
}

# Command words handled by sim_tools (path -> handler name).
TOOL_COMMANDS = {
    "/ping": "ping",
    "/tool/ping": "ping",
    "/tool/traceroute": "traceroute",
    "/tool/bandwidth-test": "bandwidth_test",
    "/interface/monitor-traffic": "monitor_traffic",
}

# Generic command words available on every collection.
GENERIC_COMMANDS = {"print", "add", "set", "remove", "enable", "disable",
                    "find", "get"}
