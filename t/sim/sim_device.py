# Factory state of one simulated RouterOS device: every menu's content keyed
# by REST path, the .id counters, the boot clock and the memory log.
import time

from sim_values import iso_time

# Per-position device profiles (first device, second, third; cycled).
PROFILES = [
    dict(version="7.16.2 (stable)", build="2024-11-26 11:07:13",
         board="RB5009UG+S+", arch="arm64", cpu="ARM64", cpus="4",
         freq="1400", load="3", total_mem="1073741824",
         free_mem="862814208", hdd="1073741824", free_hdd="961052672",
         uptime=788645, serial="HE508T1K9WP", model="RB5009UG+S+IN",
         firmware="qca-ipq", tz=("Europe/Riga", 120), factory="7.4"),
    dict(version="7.15.3 (stable)", build="2024-07-24 09:03:46",
         board="hAP ac^2", arch="arm", cpu="ARMv7", cpus="4", freq="716",
         load="11", total_mem="134217728", free_mem="71593984",
         hdd="16777216", free_hdd="3321856", uptime=273600,
         serial="D7160E0B9F3A", model="RBD52G-5HacD2HnD", firmware="ipq4000L",
         tz=("UTC", 0), factory="6.45.9"),
    dict(version="7.12.1 (stable)", build="2023-11-17 13:00:44",
         board="CHR", arch="x86_64", cpu="Common", cpus="1", freq="2099",
         load="0", total_mem="536870912", free_mem="420446208",
         hdd="134217728", free_hdd="94265344", uptime=18725, serial=None,
         model=None, firmware=None, tz=("America/New_York", -300),
         factory="7.1"),
]

# RouterOS 6.49 long-term (hEX class) for devices started with --v6: no REST,
# reachable over the simulated SSH CLI only (t/sim/routeros_cli.py).
V6_PROFILE = dict(
    version="6.49.15 (long-term)", build="Jun/04/2024 11:21:45",
    board="hEX", arch="mmips", cpu="MIPS 1004Kc V2.15", cpus="4",
    freq="880", load="2", total_mem="268435456", free_mem="201326592",
    hdd="16777216", free_hdd="4718592", uptime=1901234,
    serial="9A3B07C2D1E4", model="RB750Gr3", firmware="mt7621L",
    tz=("Europe/Berlin", 60), factory="6.44.6")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
          "oct", "nov", "dec")


def mac(index, n):
    return "4C:5E:0C:%02X:%02X:%02X" % ((0x10 + index) % 256,
                                        0x20 + index // 240, n)


class Device:
    """State of one simulated router.  'index' selects the profile and the
    addressing plan; the second device (index 1) carries the wireless AP."""

    def __init__(self, name, ip, index, port, v6=False):
        self.name = name
        self.ip = ip
        self.index = index
        self.port = port
        self.v6 = v6
        self.reset()

    # -- id allocation ---------------------------------------------------
    def new_id(self, path, dynamic_route=False):
        key = path + ("#dyn" if dynamic_route else "")
        n = self.counters[key]
        self.counters[key] = n + 1
        return "*%X" % n

    def _add(self, path, item, dynamic_route=False):
        item = dict(item)
        item[".id"] = self.new_id(path, dynamic_route)
        self.menus[path].append(item)
        return item

    # -- clock ------------------------------------------------------------
    def now(self):
        return time.time()

    def uptime_seconds(self):
        return self.boot_uptime + int(time.time() - self.started)

    def local_time(self, epoch):
        stamp = iso_time(epoch, self.tz_offset)
        if not self.v6:
            return stamp
        # v6 (and v7 before 7.10) write dates as jan/02/1970 00:00:00.
        return "%s/%s/%s %s" % (MONTHS[int(stamp[5:7]) - 1], stamp[8:10],
                                stamp[:4], stamp[11:])

    def log(self, topics, message, epoch=None):
        entry = {"time": self.local_time(epoch or self.now()),
                 "topics": topics, "message": message}
        self._add("/log", entry)
        if len(self.menus["/log"]) > 1000:
            del self.menus["/log"][0]

    # -- factory state -----------------------------------------------------
    def reset(self):
        from sim_menus import MENUS
        p = V6_PROFILE if self.v6 else PROFILES[self.index % len(PROFILES)]
        self.profile = p
        self.started = time.time()
        self.boot_uptime = p["uptime"]
        self.tz_name, self.tz_offset = p["tz"]
        self.menus = {}
        self.counters = {}
        for path, menu in MENUS.items():
            self.menus[path] = {} if menu.kind == "single" else []
            self.counters[path] = menu.id_base
        self.counters["/ip/route#dyn"] = 0x20183040 + self.index * 0x100
        self.traffic = {}
        self.wireless = self.index == 1
        self._system(p)
        self._interfaces()
        self._ip()
        self._firewall()
        self._dhcp()
        self._services()
        self._boot_log()

    def _system(self, p):
        m = self.menus
        m["/system/identity"].update(name=self.name)
        m["/system/resource"].update({
            "architecture-name": p["arch"], "bad-blocks": "0",
            "board-name": p["board"], "build-time": p["build"],
            "cpu": p["cpu"], "cpu-count": p["cpus"],
            "cpu-frequency": p["freq"], "cpu-load": p["load"],
            "factory-software": p["factory"], "free-hdd-space": p["free_hdd"],
            "free-memory": p["free_mem"], "platform": "MikroTik",
            "total-hdd-space": p["hdd"], "total-memory": p["total_mem"],
            "uptime": "", "version": p["version"],
            "write-sect-since-reboot": str(1200 + 37 * self.index),
            "write-sect-total": str(91274 + 5000 * self.index)})
        m["/system/clock"].update({
            "date": "", "time": "", "dst-active": "false",
            "gmt-offset": "%s%02d:%02d" % ("-" if self.tz_offset < 0 else "+",
                                          abs(self.tz_offset) // 60,
                                          abs(self.tz_offset) % 60),
            "time-zone-autodetect": "false", "time-zone-name": self.tz_name})
        fw = p["version"].split()[0]
        if p["serial"]:
            m["/system/routerboard"].update({
                "current-firmware": fw, "factory-firmware": p["factory"],
                "firmware-type": p["firmware"], "model": p["model"],
                "revision": "r2", "routerboard": "true",
                "serial-number": p["serial"], "upgrade-firmware": fw})
            m["/system/license"].update({
                "features": "", "nlevel": "4" if self.index == 0 else "5",
                "software-id": "%s-%s" % (p["serial"][:4], p["serial"][4:8])})
        else:
            m["/system/routerboard"].update(routerboard="false")
            m["/system/license"].update(level="free",
                                        **{"system-id": "kQ7hYzL4pWc"})
        pkgs = [("routeros", "12984320")]
        if self.wireless:
            pkgs.append(("wireless", "1896448"))
        for name, size in pkgs:
            self._add("/system/package", {
                "available": "false", "build-time": p["build"],
                "disabled": "false", "name": name, "scheduled": "",
                "size": size, "version": fw})
        m["/system/package/update"].update(
            channel="stable", **{"installed-version": fw})
        for topics, action in (("info", "memory"), ("error", "memory"),
                               ("warning", "memory"), ("critical", "echo")):
            self._add("/system/logging", {
                "action": action, "default": "true", "disabled": "false",
                "invalid": "false", "prefix": "", "topics": topics})
        for name, target in (("memory", "memory"), ("disk", "disk"),
                             ("echo", "echo"), ("remote", "remote")):
            self._add("/system/logging/action", {
                "default": "true", "name": name, "target": target})
        enabled = self.index != 2
        m["/system/ntp/client"].update({
            "enabled": "true" if enabled else "false", "mode": "unicast",
            "servers": "pool.ntp.org,time.cloudflare.com" if enabled else "",
            "vrf": "main"})
        if enabled:
            m["/system/ntp/client"].update({
                "freq-drift": "3.109", "status": "synchronized",
                "synced-server": "162.159.200.123", "synced-stratum": "3",
                "system-offset": "-0.412"})
            m["/system/ntp/client/monitor"].update({
                "status": "synchronized", "synced-server": "162.159.200.123",
                "synced-stratum": "3", "system-offset": "-0.412",
                "freq-drift": "3.109"})
        else:
            m["/system/ntp/client"].update(status="stopped")
            m["/system/ntp/client/monitor"].update(status="stopped")
        for server in m["/system/ntp/client"]["servers"].split(","):
            if server:
                self._add("/system/ntp/client/servers", {
                    "address": server, "disabled": "false", "dynamic": "false",
                    "iburst": "true", "max-poll": "10", "min-poll": "6"})
        if self.v6:
            # routeros-rest.md §3.2: v6 NTP client fields.
            m["/system/ntp/client"].clear()
            m["/system/ntp/client"].update({
                "enabled": "true", "mode": "unicast",
                "primary-ntp": "162.159.200.123", "secondary-ntp": "0.0.0.0",
                "server-dns-names": "pool.ntp.org", "poll-interval": "15m",
                "active-server": "162.159.200.123",
                "last-update-from": "162.159.200.123",
                "last-adjustment": "-412us"})
        self._add("/user", {"address": "", "disabled": "false",
                            "group": "full", "name": "admin",
                            "last-logged-in": iso_time(self.started - 3600,
                                                       self.tz_offset)})

    def _iface(self, name, itype, n, running=True, disabled=False, extra=None,
               rx=0, tx=0):
        item = {
            "actual-mtu": "1500", "default-name": name, "disabled":
            "true" if disabled else "false", "dynamic": "false",
            "fp-rx-byte": "0", "fp-rx-packet": "0", "fp-tx-byte": "0",
            "fp-tx-packet": "0", "l2mtu": "1514" if itype == "ether" else "1598",
            "link-downs": "0" if running else "1", "mac-address": mac(self.index, n),
            "mtu": "1500", "name": name, "running": "true" if running else "false",
            "rx-byte": str(rx * 31), "rx-drop": "0", "rx-error": "0",
            "rx-packet": str(rx // 40), "slave": "false", "tx-byte": str(tx * 29),
            "tx-drop": "0", "tx-error": "0", "tx-packet": str(tx // 40),
            "tx-queue-drop": "0", "type": itype}
        if running:
            item["last-link-up-time"] = self.local_time(
                self.started - self.boot_uptime + 9 + n)
        if itype == "bridge":
            del item["default-name"]
            item["mtu"] = "auto"
            item["l2mtu"] = "1514"
        if extra:
            item.update(extra)
        self._add("/interface", item)
        self.traffic[name] = (rx, tx) if running else (0, 0)

    def _interfaces(self):
        i = self.index
        lan = {0: ("ether3", "ether4"), 1: ("ether4", "wlan1"),
               2: ("ether3",)}[min(i, 2)]
        for n in range(1, 6):
            name = "ether%d" % n
            running = n <= 4 if i != 2 else n <= 3
            disabled = n == 5 and i == 0
            self._iface(name, "ether", n, running=running and not disabled,
                        disabled=disabled, rx=(1840000 + 90000 * n) // n,
                        tx=(520000 + 70000 * n) // n,
                        extra={"slave": "true" if name in lan else "false"})
            self._add("/interface/ethernet", {
                "advertise": "10M-baseT-half,10M-baseT-full,100M-baseT-half,"
                "100M-baseT-full,1G-baseT-half,1G-baseT-full",
                "arp": "enabled", "auto-negotiation": "true",
                "default-name": name, "disabled": "true" if disabled else "false",
                "l2mtu": "1514", "mac-address": mac(i, n),
                "mtu": "1500", "name": name, "running":
                "true" if running and not disabled else "false", "speed": "1G-baseT-full"})
        self._iface("bridge1", "bridge", 9, rx=2300000, tx=4100000)
        if self.wireless:
            self._iface("wlan1", "wlan", 7, rx=12400000, tx=38800000,
                        extra={"slave": "true", "l2mtu": "1600"})
            self._add("/interface/wireless", {
                "band": "2ghz-b/g/n", "channel-width": "20/40mhz-XX",
                "country": "latvia", "default-authentication": "true",
                "default-forwarding": "true", "default-name": "wlan1",
                "disabled": "false", "frequency": "2437", "hide-ssid": "false",
                "interface-type": "IPQ4019", "l2mtu": "1600",
                "mac-address": mac(i, 7), "mode": "ap-bridge", "mtu": "1500",
                "name": "wlan1", "running": "true",
                "security-profile": "default", "ssid": "sim-lab",
                "tx-power-mode": "default", "wireless-protocol": "802.11"})
            self._add("/interface/wireless/security-profiles", {
                "authentication-types": "wpa2-psk", "default": "true",
                "group-ciphers": "aes-ccm", "mode": "dynamic-keys",
                "name": "default", "unicast-ciphers": "aes-ccm"})
            for k, (cmac, ip, sig, up) in enumerate([
                    ("A4:83:E7:1C:22:01", "192.168.20.31", "-58", "5h49m36s"),
                    ("3C:22:FB:9A:10:77", "192.168.20.44", "-71", "47m12s")]):
                self._add("/interface/wireless/registration-table", {
                    "ap": "false", "authentication-type": "wpa2-psk",
                    "bridge": "false", "bytes": "%d,%d" % (17536671 // (k + 1),
                                                            2966351 // (k + 1)),
                    "encryption": "aes-ccm", "frames": "59542,17472",
                    "interface": "wlan1", "last-activity": "170ms",
                    "last-ip": ip, "mac-address": cmac,
                    "p-throughput": str(54928 - 20000 * k),
                    "packets": "59542,17464",
                    "rx-rate": "72.2Mbps-20MHz/1S/SGI",
                    "signal-strength": "%s@1Mbps" % sig,
                    "signal-strength-ch0": sig, "signal-to-noise": str(110 + int(sig)),
                    "tx-ccq": str(93 - 30 * k), "tx-rate": "65Mbps-20MHz/1S",
                    "uptime": up, "wds": "false", "wmm-enabled": "true"})
            self._add("/caps-man/remote-cap", {
                "address": "4C:5E:0C:AA:01:02/10.23.0.9/22", "base-mac":
                "4C:5E:0C:AA:01:02", "board": "cAP ac", "common-name":
                "4C:5E:0C:AA:01:02", "identity": "cap-hall", "name":
                "[4C:5E:0C:AA:01:02]", "radios": "2", "state": "Run",
                "version": "7.15.3"})
            self._add("/caps-man/registration-table", {
                "interface": "cap-hall-2g", "mac-address": "F0:18:98:5D:4E:3C",
                "ssid": "sim-lab", "uptime": "1h2m3s", "rx-rate": "144.4Mbps",
                "tx-rate": "130Mbps", "rx-signal": "-61", "packets": "8812,7301",
                "bytes": "9810233,1122000", "comment": ""})
        for port in lan:
            self._add("/interface/bridge/port", {
                "bridge": "bridge1", "disabled": "false", "dynamic": "false",
                "edge": "auto", "frame-types": "admit-all", "horizon": "none",
                "hw": "true" if port.startswith("ether") else "false",
                "inactive": "false", "ingress-filtering": "true",
                "interface": port, "learn": "auto", "priority": "0x80",
                "pvid": "1", "role": "designated-port", "status": "in-bridge",
                "forwarding": "true", "learning": "true", "edge-port": "true",
                "trusted": "false", "path-cost": "10"})
        ports = self.menus["/interface/bridge/port"]
        for k, item in enumerate(ports):
            item[".nextid"] = ports[k + 1][".id"] if k + 1 < len(ports) \
                else "*FFFFFFFF"
        self._add("/interface/bridge", {
            "admin-mac": "", "ageing-time": "5m", "arp": "enabled",
            "arp-timeout": "auto", "auto-mac": "true", "dhcp-snooping": "false",
            "disabled": "false", "fast-forward": "true",
            "forward-delay": "15s", "igmp-snooping": "false", "l2mtu": "1514",
            "mac-address": mac(i, 9), "max-message-age": "20s", "mtu": "auto",
            "actual-mtu": "1500", "name": "bridge1", "priority": "0x8000",
            "protocol-mode": "rstp", "running": "true",
            "vlan-filtering": "true" if i == 1 else "false"})
        if i == 1:
            self._add("/interface/bridge/vlan", {
                "bridge": "bridge1", "current-tagged": "bridge1,ether4",
                "current-untagged": "", "disabled": "false",
                "dynamic": "false", "tagged": "bridge1,ether4",
                "untagged": "", "vlan-ids": "10"})
            self._add("/interface/vlan", {
                "arp": "enabled", "disabled": "false", "interface": "bridge1",
                "l2mtu": "1510", "mac-address": mac(i, 9), "mtu": "1500",
                "name": "vlan10", "running": "true", "vlan-id": "10"})
            self._iface("vlan10", "vlan", 10, rx=80000, tx=64000)
        self._add("/interface/bridge/vlan", {
            "bridge": "bridge1", "current-tagged": "",
            "current-untagged": ",".join(lan), "disabled": "false",
            "dynamic": "true", "tagged": "", "untagged": ",".join(lan),
            "vlan-ids": "1"})

    def lan_prefix(self):
        """First three octets of bridge1's /24: 192.168.88 for the first
        device, 192.168.20..250 for the 2nd..25th, then 172.20.<n>, 172.21.<n>
        ... so that every device of a large fleet has its own LAN."""
        i = self.index
        if i < 25:
            return "192.168.%d" % (88 if i == 0 else 10 * (i + 1))
        return "172.%d.%d" % (20 + (i - 25) // 256, (i - 25) % 256)

    def uplink_net(self):
        """First three octets of the /30 uplink of the 4th and later devices:
        10.33.0 .. 10.255.0, then 10.29.<n> (n = 0, 4, 8 ...)."""
        i = self.index
        if 30 + i <= 255:
            return "10.%d.0" % (30 + i)
        return "10.29.%d" % (4 * (i - 226) % 256)

    def addressing(self):
        """(interface, cidr) pairs of this device's factory addressing plan;
        r1-ether2 <-> r2-ether2 share 10.12.0.0/30, r2-ether3 <-> r3-ether2
        share 10.23.0.0/30."""
        i = self.index
        plan = [("ether1", "%s/8" % self.ip),
                ("bridge1", "%s.1/24" % self.lan_prefix())]
        links = {0: [("ether2", "10.12.0.1/30")],
                 1: [("ether2", "10.12.0.2/30"), ("ether3", "10.23.0.1/30"),
                     ("vlan10", "172.16.10.1/24")],
                 2: [("ether2", "10.23.0.2/30")]}
        return plan + links.get(i, [("ether2", "%s.2/30" % self.uplink_net())])

    def upstream(self):
        """(gateway, interface) of the default route."""
        return {0: ("10.12.0.2", "ether2"), 1: ("10.12.0.1", "ether2"),
                2: ("10.23.0.1", "ether2")}.get(
                    self.index, ("%s.1" % self.uplink_net(), "ether2"))

    def _ip(self):
        from sim_values import parse_cidr
        i = self.index
        for iface, cidr in self.addressing():
            net = parse_cidr(cidr)
            self._add("/ip/address", {
                "actual-interface": iface, "address": cidr,
                "disabled": "false", "dynamic": "false", "interface": iface,
                "invalid": "false", "network": str(net.network.network_address)})
        for iface, cidr in self.addressing():
            net = parse_cidr(cidr)
            self._add("/ip/route", {
                "active": "true", "connect": "true",
                "distance": "0", "dst-address": str(net.network),
                "dynamic": "true", "gateway": iface, "immediate-gw": iface,
                "inactive": "false", "local-address": "%s%%%s" % (net.ip, iface),
                "routing-table": "main", "scope": "10", "target-scope": "5"},
                dynamic_route=True)
        upstream = self.upstream()
        self._static_route("0.0.0.0/0", upstream[0], upstream[1], "uplink")
        self._static_route("10.99.0.0/24", self.lan_prefix() + ".254",
                           "bridge1", "lab network")
        lan_prefix = self.lan_prefix()
        for k, host in enumerate((10, 23, 254)):
            self._add("/ip/arp", {
                "DHCP": "true" if k < 2 else "false",
                "address": "%s.%d" % (lan_prefix, host), "complete": "true",
                "disabled": "false", "dynamic": "true", "interface": "bridge1",
                "invalid": "false", "mac-address": "D8:3A:DD:%02X:%02X:%02X" %
                (i, k, host), "published": "false",
                "status": "reachable" if k != 1 else "stale"})
        self._add("/ip/arp", {
            "DHCP": "false", "address": upstream[0], "complete": "true",
            "disabled": "false", "dynamic": "true", "interface": upstream[1],
            "invalid": "false", "mac-address": "4C:5E:0C:%02X:20:02" %
            (0x10 + (1 if i != 1 else 0)), "published": "false",
            "status": "reachable"})
        dns_servers = ["1.1.1.1,9.9.9.9", "192.168.20.254", "8.8.8.8,8.8.4.4"]
        self.menus["/ip/dns"].update({
            "address-list-extra-time": "0s",
            "allow-remote-requests": "true" if i != 2 else "false",
            "cache-max-ttl": "1w", "cache-size": "2048", "cache-used": "34",
            "dynamic-servers": "" if i != 1 else "10.12.0.1",
            "max-concurrent-queries": "100",
            "max-concurrent-tcp-sessions": "20", "max-udp-packet-size": "4096",
            "query-server-timeout": "2s", "query-total-timeout": "10s",
            "servers": dns_servers[i % 3], "use-doh-server": "",
            "verify-doh-cert": "false", "vrf": "main"})
        for name, rtype, data, ttl in [
                ("upgrade.mikrotik.com", "A", "159.148.147.204", "23h12m4s"),
                ("pool.ntp.org", "A", "162.159.200.123", "2m41s"),
                ("time.cloudflare.com", "A", "162.159.200.1", "3m2s"),
                ("example.com", "A", "93.184.215.14", "1h31m"),
                ("www.example.com", "CNAME", "example.com", "1h31m"),
                ("mikrotik.com", "MX", "10 mail.mikrotik.com", "8h")]:
            self._add("/ip/dns/cache", {
                "data": data, "name": name, "static": "false", "ttl": ttl,
                "type": rtype})
        self._add("/ip/dns/static", {
            "address": self.lan_prefix() + ".1",
            "disabled": "false", "dynamic": "false",
            "name": "%s.lan" % self.name, "ttl": "1d"})

    def _static_route(self, dst, gw, iface, comment):
        return self._add("/ip/route", {
            "active": "true", "comment": comment, "disabled": "false",
            "distance": "1", "dst-address": dst, "dynamic": "false",
            "gateway": gw, "immediate-gw": "%s%%%s" % (gw, iface),
            "inactive": "false", "routing-table": "main", "scope": "30",
            "static": "true", "target-scope": "10"})

    def _firewall(self):
        rules = [
            ("input", "accept", {"connection-state": "established,related,untracked",
                                 "comment": "defconf: accept established,related,untracked"},
             50507925, 48246),
            ("input", "drop", {"connection-state": "invalid",
                               "comment": "defconf: drop invalid"}, 1204, 31),
            ("input", "accept", {"protocol": "icmp",
                                 "comment": "defconf: accept ICMP"}, 98304, 1536),
            ("input", "accept", {"src-address": "127.0.0.0/8",
                                 "comment": "sim: management"}, 3407872, 25110),
            ("input", "drop", {"in-interface-list": "!LAN",
                               "comment": "defconf: drop all not coming from LAN",
                               "log": "false", "log-prefix": ""}, 44160, 690),
            ("forward", "fasttrack-connection",
             {"connection-state": "established,related", "hw-offload": "true",
              "comment": "defconf: fasttrack"}, 912837120, 702180),
            ("forward", "accept", {"connection-state": "established,related,untracked",
                                   "comment": "defconf: accept established,related, untracked"},
             912837120, 702180),
            ("forward", "drop", {"src-address-list": "blocklist",
                                 "comment": "sim: drop blocklisted"}, 5120, 80),
        ]
        for chain, action, extra, nbytes, packets in rules:
            item = {"action": action, "bytes": str(nbytes + self.index),
                    "chain": chain, "disabled": "false", "dynamic": "false",
                    "invalid": "false", "packets": str(packets)}
            item.update(extra)
            self._add("/ip/firewall/filter", item)
        self._add("/ip/firewall/nat", {
            "action": "masquerade", "bytes": "7431908", "chain": "srcnat",
            "comment": "defconf: masquerade", "disabled": "false",
            "dynamic": "false", "invalid": "false", "ipsec-policy": "out,none",
            "out-interface": "ether2", "packets": "61023"})
        if self.index == 0:
            self._add("/ip/firewall/nat", {
                "action": "dst-nat", "bytes": "0", "chain": "dstnat",
                "comment": "sim: web server", "disabled": "true",
                "dst-port": "8080", "dynamic": "false", "in-interface": "ether2",
                "invalid": "false", "packets": "0", "protocol": "tcp",
                "to-addresses": "192.168.88.23", "to-ports": "80"})
        created = self.local_time(self.started - 86400)
        for lst, addr in (("blocklist", "198.51.100.7"),
                          ("blocklist", "203.0.113.0/24"),
                          ("mgmt", "127.0.0.0/8")):
            self._add("/ip/firewall/address-list", {
                "address": addr, "creation-time": created, "disabled": "false",
                "dynamic": "false", "list": lst})

    def _dhcp(self):
        i = self.index
        prefix = self.lan_prefix()
        self._add("/ip/pool", {"name": "pool-lan",
                               "ranges": "%s.10-%s.199" % (prefix, prefix)})
        self._add("/ip/dhcp-server", {
            "address-pool": "pool-lan", "authoritative": "yes",
            "disabled": "false", "dynamic": "false", "interface": "bridge1",
            "invalid": "false", "lease-script": "", "lease-time": "30m",
            "name": "dhcp-lan", "use-radius": "no"})
        self._add("/ip/dhcp-server/network", {
            "address": "%s.0/24" % prefix, "dns-server": "%s.1" % prefix,
            "dynamic": "false", "gateway": "%s.1" % prefix})
        hosts = [("pc-%d" % (i + 1), 10, "bound"),
                 ("printer", 23, "bound"),
                 (None, 150, "waiting")]
        for k, (host, last, status) in enumerate(hosts):
            addr = "%s.%d" % (prefix, last)
            macaddr = "D8:3A:DD:%02X:%02X:%02X" % (i, k, last)
            lease = {"address": addr, "address-lists": "", "blocked": "false",
                     "dhcp-option": "", "disabled": "false",
                     "dynamic": "true" if status == "bound" else "false",
                     "mac-address": macaddr, "radius": "false",
                     "server": "dhcp-lan", "status": status}
            if status == "bound":
                lease.update({
                    "active-address": addr, "active-client-id": "1:" + macaddr.lower(),
                    "active-mac-address": macaddr, "active-server": "dhcp-lan",
                    "client-id": "1:" + macaddr.lower(), "expires-after":
                    "%dm%ds" % (24 - 7 * k, 13 + k), "host-name": host,
                    "last-seen": "%dm%ds" % (5 + 7 * k, 47 - k)})
            else:
                lease.update({"last-seen": "never", "comment": "reserved"})
            self._add("/ip/dhcp-server/lease", lease)

    def _services(self):
        for name, port, disabled in (("telnet", 23, True), ("ftp", 21, True),
                                     ("www", self.port, False),
                                     ("ssh", 22, False), ("www-ssl", 443, True),
                                     ("api", 8728, True), ("winbox", 8291, False),
                                     ("api-ssl", 8729, True)):
            self._add("/ip/service", {
                "address": "", "disabled": "true" if disabled else "false",
                "invalid": "false", "name": name, "port": str(port)})

    def _boot_log(self):
        boot = self.started - self.boot_uptime
        events = [
            (0, "system,info", "router rebooted"),
            (6, "interface,info", "ether1 link up (speed 1G, full duplex)"),
            (7, "interface,info", "ether2 link up (speed 1G, full duplex)"),
            (8, "interface,info", "ether3 link up (speed 1G, full duplex)"),
            (9, "bridge,info", "\"bridge1\" mac address changed to %s" % mac(self.index, 9)),
            (14, "dhcp,info", "dhcp-lan assigned 192.168.x.10 to D8:3A:DD:00:00:0A"),
            (31, "system,info,ntp" if self.index != 2 else "system,info",
             "ntp change time" if self.index != 2 else "ntp client disabled"),
            (3600, "firewall,info", "input: in:ether2 out:(unknown 0), proto TCP (SYN), "
             "198.51.100.7:51522->10.12.0.1:22, len 60"),
            (7200, "system,error,critical", "login failure for user root from "
             "198.51.100.7 via ssh"),
            (9000, "system,info,account", "user admin logged in from 127.0.0.1 via winbox"),
            (9100, "system,info", "address added by admin"),
            (12000, "wireless,info" if self.wireless else "interface,info",
             "A4:83:E7:1C:22:01@wlan1: connected, signal strength -58"
             if self.wireless else "ether4 link down"),
            (12005, "interface,info", "ether4 link up (speed 100M, full duplex)"),
            (18000, "dhcp,warning", "dhcp-lan offering lease 192.168.x.23 for "
             "D8:3A:DD:00:01:17 without success"),
            (18600, "script,info", "backup done"),
        ]
        for offset, topics, msg in events:
            if offset <= self.boot_uptime:
                self.log(topics, msg, boot + offset)
