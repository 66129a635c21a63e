# Simulated long-running console tools: ping, traceroute, bandwidth-test,
# interface monitor-traffic and NTP monitor, with RouterOS's bounded-run rules.
import ipaddress

from sim_values import fmt_micros, parse_cidr, parse_duration, to_ros_string

TEST_NETS = [ipaddress.IPv4Network(n) for n in
             ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
TRANSIT = ["100.64.12.1", "149.6.0.25"]


def _rest():
    import sim_rest
    return sim_rest


def session_closed(world):
    r = _rest()
    return r.Reply(400, r.error_body(400, "Session closed"), world.session_limit)


def check_params(args, allowed):
    for key in args:
        if key not in allowed:
            raise _rest().bad("unknown parameter %s" % key)


def flag_on(args, key):
    """A flag parameter is on when present with any value but false/no."""
    return key in args and str(args[key]).lower() not in ("false", "no")


def own_addresses(dev):
    return [parse_cidr(a["address"]) for a in dev.menus["/ip/address"]
            if a.get("disabled") != "true"]


def resolve_target(dev, text):
    ip = parse_cidr(text) if "/" not in text else None
    if ip is not None:
        return ip.ip
    for entry in dev.menus["/ip/dns/cache"] + dev.menus["/ip/dns/static"]:
        if entry.get("name") == text:
            addr = entry.get("data") or entry.get("address")
            found = parse_cidr(addr or "")
            if found is not None and entry.get("type", "A") == "A":
                return found.ip
    raise _rest().bad("could not resolve dns name")


def classify(world, dev, ip):
    """-> (kind, hops) with kind in local|peer|lan|internet|unreachable and
    hops the addresses a traceroute walks (last = target when reachable)."""
    target = str(ip)
    if ip in ipaddress.IPv4Network("127.0.0.0/8"):
        return "local", [target]
    if any(a.ip == ip for a in own_addresses(dev)):
        return "local", [target]
    if any(ip in n for n in TEST_NETS):
        return "unreachable", [dev.upstream()[0]]
    connected = any(ip in a.network for a in own_addresses(dev))
    for other in world.devices:
        if other is not dev and any(a.ip == ip for a in own_addresses(other)):
            return "peer", [target] if connected else [dev.upstream()[0], target]
    if any(e["address"] == target and e.get("complete") == "true"
           for e in dev.menus["/ip/arp"]):
        return "lan", [target]
    if ip.is_private or connected:
        return "unreachable", [dev.upstream()[0]]
    return "internet", [dev.upstream()[0]] + TRANSIT + [target]


RTT_US = {"local": 18, "peer": 310, "lan": 820, "internet": 14200}


def _rtt(kind, seq, hop=0):
    base = RTT_US[kind] if hop == 0 else 900 + 4100 * hop
    return base + ((seq * 37 + hop * 11) % 9) * (base // 20 + 3)


def ping(world, dev, args):
    check_params(args, {"address", "count", "interval", "size", "ttl",
                        "src-address", "interface", "routing-table", "vrf",
                        "do-not-fragment", "arp-ping"})
    if "address" not in args:
        raise _rest().bad("missing =address=")
    if "count" not in args:
        return session_closed(world)
    count = _count(args["count"], "count", 1, 10000)
    size = _count(args.get("size", 56), "size", 14, 65535)
    ip = resolve_target(dev, str(args["address"]))
    kind, _ = classify(world, dev, ip)
    host = str(ip)
    rows, rtts = [], []
    for seq in range(count):
        sent = seq + 1
        if kind == "unreachable":
            rows.append({"host": host, "packet-loss": "100", "received": "0",
                         "sent": str(sent), "seq": str(seq), "status": "timeout"})
            continue
        rtt = _rtt(kind, seq)
        rtts.append(rtt)
        rows.append({
            "avg-rtt": fmt_micros(sum(rtts) // len(rtts)), "host": host,
            "max-rtt": fmt_micros(max(rtts)), "min-rtt": fmt_micros(min(rtts)),
            "packet-loss": "0", "received": str(len(rtts)), "sent": str(sent),
            "seq": str(seq), "size": str(size), "time": fmt_micros(rtt),
            "ttl": "64" if kind != "internet" else "57"})
    return _rest().Reply(200, rows)


def _count(value, name, low, high):
    try:
        n = int(str(value), 0)
    except ValueError:
        raise _rest().bad("invalid value for argument %s" % name)
    if not low <= n <= high:
        raise _rest().bad("value of %s out of range (%d..%d)" % (name, low, high))
    return n


def traceroute(world, dev, args):
    check_params(args, {"address", "count", "max-hops", "timeout", "size",
                        "protocol", "port", "use-dns", "src-address",
                        "interface", "routing-table", "vrf", "dscp"})
    if "address" not in args:
        raise _rest().bad("missing =address=")
    if "count" not in args:
        return session_closed(world)
    count = _count(args["count"], "count", 1, 100)
    max_hops = _count(args.get("max-hops", 30), "max-hops", 1, 255)
    ip = resolve_target(dev, str(args["address"]))
    kind, hops = classify(world, dev, ip)
    hops = hops[:max_hops]
    if kind == "unreachable":
        hops = hops + [None] * (max_hops - len(hops))
    rows = []
    for section in range(count):
        sent = section + 1
        for n, hop in enumerate(hops):
            row = {".section": str(section), "sent": str(sent), "status": ""}
            if hop is None:
                row.update(address="", last="timeout", loss="100")
            else:
                samples = [_rtt(kind, s, 0 if hop == str(ip) and n == 0 else n + 1)
                           for s in range(sent)]
                ms = [s / 1000.0 for s in samples]
                avg = sum(ms) / len(ms)
                dev_ms = (sum((x - avg) ** 2 for x in ms) / len(ms)) ** 0.5
                row.update({"address": hop, "loss": "0",
                            "last": "%.1f" % ms[-1], "avg": "%.1f" % avg,
                            "best": "%.1f" % min(ms), "worst": "%.1f" % max(ms),
                            "std-dev": "%.1f" % dev_ms})
            rows.append(row)
    return _rest().Reply(200, rows)


def bandwidth_test(world, dev, args):
    check_params(args, {"address", "duration", "direction", "protocol", "user",
                        "password", "local-tx-speed", "remote-tx-speed",
                        "connection-count", "local-udp-tx-size",
                        "remote-udp-tx-size", "random-data", "interval"})
    if "address" not in args:
        raise _rest().bad("missing =address=")
    direction = str(args.get("direction", "receive"))
    if direction not in ("receive", "transmit", "both"):
        raise _rest().bad("input does not match any value of direction")
    protocol = str(args.get("protocol", "udp"))
    if protocol not in ("udp", "tcp"):
        raise _rest().bad("input does not match any value of protocol")
    if "duration" not in args:
        return session_closed(world)
    seconds = parse_duration(args["duration"])
    if seconds is None:
        raise _rest().bad("invalid value for argument duration")
    if seconds > 60:
        return session_closed(world)
    seconds = max(1, int(seconds))
    ip = resolve_target(dev, str(args["address"]))
    kind, _ = classify(world, dev, ip)
    common = {"connection-count": str(args.get("connection-count", 20)),
              "direction": direction, "random-data": "false"}
    rows = [dict(common, **{".section": "0", "status": "connecting"})]
    if kind not in ("local", "peer"):
        rows.append(dict(common, **{".section": "1", "status": "can not connect"}))
        return _rest().Reply(200, rows)
    base = 941000000 if protocol == "udp" else 893000000
    totals = {"rx": [], "tx": []}
    for sec in range(1, seconds + 1):
        row = dict(common, **{".section": str(sec), "duration": "%ds" % sec,
                              "lost-packets": str(0 if protocol == "tcp" else 17 * sec),
                              "status": "running" if sec < seconds else "done testing"})
        for side in (("rx", "receive"), ("tx", "transmit")):
            if direction not in (side[1], "both"):
                continue
            cur = base - (sec * 7919 % 13) * 1000000 - (side[0] == "tx") * 12000000
            if direction == "both":
                cur //= 2
            totals[side[0]].append(cur)
            avg = sum(totals[side[0]]) // len(totals[side[0]])
            row.update({"%s-current" % side[0]: str(cur),
                        "%s-10-second-average" % side[0]: str(avg),
                        "%s-total-average" % side[0]: str(avg),
                        "%s-size" % side[0]: "1500"})
        rows.append(row)
    return _rest().Reply(200, rows)


def monitor_traffic(world, dev, args):
    check_params(args, {"interface", "once", "duration", "interval",
                        "numbers", "without-paging"})
    names = str(args.get("interface", args.get("numbers", "")))
    if not names:
        raise _rest().bad("missing =interface=")
    known = {i["name"]: i for i in dev.menus["/interface"]}
    for name in names.split(","):
        if name not in known:
            raise _rest().bad("input does not match any value of interface")
    if flag_on(args, "once"):
        sections = [None]
    elif "duration" in args:
        seconds = parse_duration(args["duration"])
        if seconds is None:
            raise _rest().bad("invalid value for argument duration")
        if seconds > 60:
            return session_closed(world)
        sections = list(range(max(1, int(seconds))))
    else:
        return session_closed(world)
    rows = []
    for section in sections:
        for name in names.split(","):
            rx, tx = dev.traffic.get(name, (0, 0))
            if known[name].get("running") != "true" or \
                    known[name].get("disabled") == "true":
                rx = tx = 0
            wobble = 1.0 + (((section or 0) * 3 + len(name)) % 5) / 100.0
            rx, tx = int(rx * wobble), int(tx * wobble)
            row = {"name": name,
                   "rx-packets-per-second": str(rx // 4000),
                   "rx-bits-per-second": str(rx),
                   "fp-rx-packets-per-second": str(rx // 8000),
                   "fp-rx-bits-per-second": str(rx // 2),
                   "rx-drops-per-second": "0", "rx-errors-per-second": "0",
                   "tx-packets-per-second": str(tx // 4000),
                   "tx-bits-per-second": str(tx),
                   "fp-tx-packets-per-second": str(tx // 8000),
                   "fp-tx-bits-per-second": str(tx // 2),
                   "tx-drops-per-second": "0",
                   "tx-queue-drops-per-second": "0",
                   "tx-errors-per-second": "0"}
            if section is not None:
                row[".section"] = str(section)
            rows.append(row)
    return _rest().Reply(200, rows)


def ntp_monitor(world, dev, args):
    check_params(args, {"once", "duration", "numbers"})
    if not flag_on(args, "once"):
        return session_closed(world)
    return _rest().Reply(200, [dict(dev.menus["/system/ntp/client/monitor"])])


def run(world, dev, name, args):
    args = {k: (v if isinstance(v, str) else to_ros_string(v))
            for k, v in args.items()}
    return globals()[name](world, dev, args)
