# RouterOS REST semantics over a Device: path resolution, GET/PUT/PATCH/
# DELETE/POST, filters, .proplist/.query, errors shaped like RouterOS 7.
import json
from urllib.parse import parse_qsl, unquote

import sim_menus
import sim_tools
from sim_menus import BOOLEAN_FIELDS, MENUS
from sim_values import fmt_duration, parse_cidr, to_ros_string

REASONS = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
           406: "Not Acceptable", 500: "Internal Server Error",
           501: "Not Implemented"}


class RestError(Exception):
    def __init__(self, status, detail=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def error_body(status, detail=None):
    body = {"error": status, "message": REASONS.get(status, "Error")}
    if detail is not None:
        body["detail"] = detail
    return body


def bad(detail):
    return RestError(400, detail)


NOT_FOUND = RestError(404)


class Reply:
    """status, JSON-able body (None = empty body), delay before sending."""

    def __init__(self, status, body, delay=0.0):
        self.status = status
        self.body = body
        self.delay = delay


# -- views ----------------------------------------------------------------

def view(dev, path, obj):
    """Object as a GET would show it now (clock-driven fields filled in)."""
    if path == "/system/resource":
        obj = dict(obj, uptime=fmt_duration(dev.uptime_seconds()))
    elif path == "/system/clock":
        stamp = dev.local_time(dev.now())
        obj = dict(obj, date=stamp[:10], time=stamp[11:])
    return obj


def project(obj, proplist, keep_id):
    keys = [k for k in proplist if k]
    out = {k: obj[k] for k in keys if k in obj}
    if keep_id and ".id" in obj:
        out[".id"] = obj[".id"]
    return out


def split_proplist(value):
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v.strip() for v in str(value).split(",")]


def _num(text):
    try:
        return int(str(text), 0)
    except ValueError:
        return None


def query_match(item, words):
    """Evaluate a binary-API query stack ('k=v', '-k', '<k=v', '>k=v', 'k',
    '#|', '#&', '#!', '#N') against one item; the stack is ANDed at the end."""
    stack = []
    for word in words:
        word = str(word)
        if word.startswith("#"):
            for op in word[1:]:
                if op == "|" and len(stack) >= 2:
                    b, a = stack.pop(), stack.pop()
                    stack.append(a or b)
                elif op == "&" and len(stack) >= 2:
                    b, a = stack.pop(), stack.pop()
                    stack.append(a and b)
                elif op == "!" and stack:
                    stack.append(not stack.pop())
                elif op.isdigit() and int(op) < len(stack):
                    stack.append(stack[int(op)])
                elif op != ".":
                    raise bad("invalid query: %s" % word)
            continue
        if word.startswith("-"):
            stack.append(word[1:] not in item)
        elif word[:1] in "<>" and "=" in word:
            key, val = word[1:].split("=", 1)
            a, b = _num(item.get(key, "")), _num(val)
            if a is None or b is None:
                stack.append(False)
            else:
                stack.append(a < b if word[0] == "<" else a > b)
        elif "=" in word:
            key, val = word.split("=", 1)
            stack.append(item.get(key) == val)
        else:
            stack.append(word in item)
    return all(stack)


# -- path resolution -------------------------------------------------------

def resolve(path):
    """'/ip/address/*1' -> (menu_path | None, rest_segments, first_unknown)."""
    segs = [s for s in path.split("/") if s]
    for k in range(len(segs), 0, -1):
        base = "/" + "/".join(segs[:k])
        if base in MENUS or base in sim_menus.DIRECTORIES:
            return base, segs[k:]
    raise bad("no such command or directory (%s)" % (segs[0] if segs else ""))


def find_item(dev, menu, key):
    items = dev.menus[menu.path]
    if key.startswith("*"):
        for item in items:
            if item[".id"] == key:
                return item
        raise NOT_FOUND
    if menu.name_key:
        for item in items:
            if item.get(menu.name_key) == key:
                return item
        raise NOT_FOUND
    raise bad("no such command prefix")


def find_by_ref(dev, menu, args):
    ref = args.get(".id", args.get("numbers"))
    if ref is None:
        raise bad("missing =numbers=")
    try:
        return find_item(dev, menu, str(ref))
    except RestError:
        raise bad("no such item")


# -- writes -----------------------------------------------------------------

def normalise(menu, args, creating):
    """Check field names and turn values into RouterOS strings."""
    out = {}
    for key, value in args.items():
        if key in (".id", "numbers") and not creating:
            continue
        if key.startswith(".") and key != ".id":
            continue
        if menu.writable is not None and key not in menu.writable:
            raise bad("unknown parameter %s" % key)
        out[key] = to_ros_string(value, boolean=key in BOOLEAN_FIELDS)
    return out


def interface_names(dev):
    return {i["name"] for i in dev.menus["/interface"]}


def need_interface(dev, name, field="interface"):
    if name not in interface_names(dev):
        raise bad("input does not match any value of %s" % field)


def create(dev, menu, args):
    if menu.readonly or menu.kind == "single":
        raise bad("no such command")
    fields = normalise(menu, args, creating=True)
    fields.pop(".id", None)
    for req in menu.required:
        if not fields.get(req):
            raise bad("missing =%s=" % req)
    hook = sim_hooks_add.get(menu.path)
    item = hook(dev, fields) if hook else dict(fields)
    if menu.writable and "disabled" in menu.writable:
        item.setdefault("disabled", "false")
    place_before = item.pop("place-before", None)
    if menu.unique:
        keys, message = menu.unique
        for other in dev.menus[menu.path]:
            if all(other.get(k) == item.get(k) for k in keys):
                raise bad(message)
    item[".id"] = dev.new_id(menu.path)
    items = dev.menus[menu.path]
    if place_before is not None:
        pos = next((n for n, o in enumerate(items)
                    if o[".id"] == place_before), None)
        if pos is None:
            raise bad("no such item")
        items.insert(pos, item)
    else:
        items.append(item)
    after = sim_hooks_after_add.get(menu.path)
    if after:
        after(dev, item)
    dev.log("system,info", "%s added by admin" % menu_noun(menu))
    return item


def update(dev, menu, item, args):
    if menu.readonly:
        raise bad("no such command")
    fields = normalise(menu, args, creating=False)
    if "name" in fields and menu.unique and menu.unique[0] == ("name",):
        for other in dev.menus[menu.path]:
            if other is not item and other.get("name") == fields["name"]:
                raise bad(menu.unique[1])
    if menu.path in ("/interface/bridge", "/interface/bridge/port") and \
            "priority" in fields:
        fields["priority"] = hex_priority(fields["priority"], menu.path)
    old_name = item.get("name")
    item.update(fields)
    if menu.path == "/ip/route":
        route_state(dev, item)
    if old_name and item.get("name") != old_name and \
            menu.path.startswith("/interface") and menu.path != "/interface":
        for iface in dev.menus["/interface"]:
            if iface["name"] == old_name:
                iface["name"] = item["name"]
    if menu.kind == "list":
        dev.log("system,info", "%s changed by admin" % menu_noun(menu))
    return item


def delete(dev, menu, item):
    if menu.readonly or not menu.removable or \
            (menu.path.startswith("/interface/") and "default-name" in item):
        raise RestError(406, "no such command or directory (remove)")
    if menu.path == "/ip/route" and item.get("dynamic") == "true":
        raise bad("failure: can not remove dynamic route")
    dev.menus[menu.path].remove(item)
    after = sim_hooks_after_remove.get(menu.path)
    if after:
        after(dev, item)
    dev.log("system,info", "%s removed by admin" % menu_noun(menu))


def menu_noun(menu):
    nouns = {"/ip/address": "address", "/ip/route": "route",
             "/ip/firewall/filter": "filter rule",
             "/ip/firewall/nat": "nat rule",
             "/ip/firewall/address-list": "address list entry"}
    return nouns.get(menu.path, menu.path.rsplit("/", 1)[-1] + " item")


def hex_priority(value, path):
    n = _num(value)
    limit = 0xFFFF if path == "/interface/bridge" else 0xF0
    if n is None or n < 0 or n > limit:
        raise bad("value of priority out of range (0..%d)" % limit)
    return "0x%X" % n


# -- per-menu hooks ----------------------------------------------------------

def add_ip_address(dev, f):
    net = parse_cidr(f["address"])
    if net is None:
        raise bad("invalid value for argument address")
    need_interface(dev, f["interface"])
    f["address"] = "%s/%d" % (net.ip, net.network.prefixlen)
    f.setdefault("network", str(net.network.network_address))
    f.update({"actual-interface": f["interface"], "dynamic": "false",
              "invalid": "false"})
    for other in dev.menus["/ip/address"]:
        if other["address"].split("/")[0] == str(net.ip) and \
                other["interface"] == f["interface"]:
            raise bad("failure: already have such address")
    return f


def after_add_ip_address(dev, item):
    if item.get("disabled") == "true":
        return
    net = parse_cidr(item["address"])
    dev._add("/ip/route", {
        "active": "true", "connect": "true", "distance": "0",
        "dst-address": str(net.network), "dynamic": "true",
        "gateway": item["interface"], "immediate-gw": item["interface"],
        "inactive": "false", "local-address": "%s%%%s" % (net.ip, item["interface"]),
        "routing-table": "main", "scope": "10", "target-scope": "5"},
        dynamic_route=True)


def after_remove_ip_address(dev, item):
    net = parse_cidr(item["address"])
    local = "%s%%%s" % (net.ip, item["interface"])
    dev.menus["/ip/route"] = [r for r in dev.menus["/ip/route"]
                              if r.get("local-address") != local]


def route_state(dev, r):
    """Recompute immediate-gw/active/inactive of a static route."""
    gw = r.get("gateway", "")
    iface = None
    if gw in interface_names(dev):
        iface = gw
    else:
        ip = parse_cidr(gw) if gw else None
        for a in dev.menus["/ip/address"]:
            net = parse_cidr(a["address"])
            if ip is not None and ip.ip in net.network and a["disabled"] != "true":
                iface = a["interface"]
                break
    r.pop("active", None)
    if r.get("disabled") == "true" or (iface is None and "blackhole" not in r):
        r["immediate-gw"] = ""
        r["inactive"] = "true"
    else:
        r["immediate-gw"] = gw if iface == gw else "%s%%%s" % (gw, iface)
        r["inactive"] = "false"
        r["active"] = "true"


def add_route(dev, f):
    dst = parse_cidr(f.get("dst-address", "0.0.0.0/0"))
    if dst is None:
        raise bad("invalid value for argument dst-address")
    f["dst-address"] = str(dst.network)
    gw = f.get("gateway", "")
    if gw and parse_cidr(gw) is None and gw not in interface_names(dev):
        raise bad("invalid value for argument gateway")
    for key, default in (("distance", "1"), ("scope", "30"),
                         ("target-scope", "10"), ("routing-table", "main")):
        f.setdefault(key, default)
    f.update({"dynamic": "false", "static": "true"})
    f.setdefault("disabled", "false")
    route_state(dev, f)
    return f


FILTER_ACTIONS = {"accept", "drop", "reject", "jump", "return", "passthrough",
                  "log", "fasttrack-connection", "tarpit",
                  "add-src-to-address-list", "add-dst-to-address-list"}
NAT_ACTIONS = {"accept", "masquerade", "src-nat", "dst-nat", "redirect",
               "netmap", "same", "jump", "return", "passthrough", "log",
               "endpoint-independent-nat"}


def _rule(dev, f, actions, chains):
    f.setdefault("action", "accept")
    if f["action"] not in actions:
        raise bad("input does not match any value of action")
    if f["chain"] not in chains and not f["chain"].isidentifier():
        raise bad("input does not match any value of chain")
    for key in ("src-address", "dst-address"):
        if key in f and parse_cidr(f[key].lstrip("!")) is None:
            raise bad("invalid value for argument %s" % key)
    if ("dst-port" in f or "src-port" in f) and \
            f.get("protocol") not in ("tcp", "udp", "6", "17", "sctp", "udp-lite", "dccp"):
        raise bad("failure: dst-port can be set only for tcp, udp, udp-lite, "
                  "dccp, sctp protocols")
    f.update({"bytes": "0", "packets": "0", "dynamic": "false",
              "invalid": "false"})
    return f


def add_filter(dev, f):
    return _rule(dev, f, FILTER_ACTIONS, {"input", "forward", "output"})


def add_nat(dev, f):
    return _rule(dev, f, NAT_ACTIONS, {"srcnat", "dstnat"})


def add_address_list(dev, f):
    addr = f["address"]
    if parse_cidr(addr) is None and "-" not in addr and \
            not all(part.isalnum() or "-" in part for part in addr.split(".")):
        raise bad("invalid value for argument address")
    net = parse_cidr(addr)
    if net is not None:
        f["address"] = str(net.ip) if net.network.prefixlen == 32 else \
            "%s/%d" % (net.network.network_address, net.network.prefixlen)
    f["creation-time"] = dev.local_time(dev.now())
    f["dynamic"] = "true" if f.get("timeout") else "false"
    return f


def _iface_like(dev, f, n):
    if f["name"] in interface_names(dev):
        raise bad("failure: already have interface with such name")
    f.setdefault("mac-address", "02:5E:0C:%02X:%02X:%02X" %
                 (dev.index, n % 256, len(dev.menus["/interface"])))
    return f


def add_bridge(dev, f):
    _iface_like(dev, f, 9)
    if "priority" in f:
        f["priority"] = hex_priority(f["priority"], "/interface/bridge")
    defaults = {"ageing-time": "5m", "arp": "enabled", "auto-mac": "true",
                "dhcp-snooping": "false", "fast-forward": "true",
                "forward-delay": "15s", "igmp-snooping": "false",
                "max-message-age": "20s", "mtu": "auto", "actual-mtu": "1500",
                "l2mtu": "65535", "priority": "0x8000", "protocol-mode": "rstp",
                "running": "true", "vlan-filtering": "false"}
    for k, v in defaults.items():
        f.setdefault(k, v)
    return f


def add_vlan(dev, f):
    _iface_like(dev, f, 10)
    need_interface(dev, f["interface"])
    vid = _num(f["vlan-id"])
    if vid is None or not 1 <= vid <= 4094:
        raise bad("value of vlan-id out of range (1..4094)")
    f.update({"arp": f.get("arp", "enabled"), "mtu": f.get("mtu", "1500"),
              "l2mtu": "1510", "running": "true"})
    return f


def add_wireless(dev, f):
    _iface_like(dev, f, 7)
    master = f.get("master-interface")
    if master is not None:
        need_interface(dev, master, "master-interface")
    f.setdefault("ssid", f["name"])
    for k, v in (("mode", "ap-bridge"), ("security-profile", "default"),
                 ("interface-type", "virtual"), ("mtu", "1500"),
                 ("l2mtu", "1600"), ("default-forwarding", "true"),
                 ("default-authentication", "true"), ("hide-ssid", "false")):
        f.setdefault(k, v)
    f["running"] = "true" if master and f.get("disabled") != "true" else "false"
    return f


def after_add_iface(itype):
    def hook(dev, item):
        dev._add("/interface", {
            "actual-mtu": "1500", "disabled": item.get("disabled", "false"),
            "dynamic": "false", "link-downs": "0",
            "mac-address": item.get("mac-address", ""), "mtu": "1500",
            "name": item["name"], "running": item.get("running", "false"),
            "rx-byte": "0", "rx-packet": "0", "tx-byte": "0",
            "tx-packet": "0", "type": itype})
        dev.traffic[item["name"]] = (0, 0)
    return hook


def after_remove_iface(dev, item):
    dev.menus["/interface"] = [i for i in dev.menus["/interface"]
                               if i["name"] != item["name"]]


def add_bridge_port(dev, f):
    if f["bridge"] not in {b["name"] for b in dev.menus["/interface/bridge"]}:
        raise bad("input does not match any value of bridge")
    need_interface(dev, f["interface"])
    if "priority" in f:
        f["priority"] = hex_priority(f["priority"], "/interface/bridge/port")
    for k, v in (("edge", "auto"), ("frame-types", "admit-all"),
                 ("horizon", "none"), ("priority", "0x80"), ("pvid", "1"),
                 ("trusted", "false"), ("ingress-filtering", "true")):
        f.setdefault(k, v)
    f.update({"dynamic": "false", "inactive": "false", "status": "in-bridge",
              "role": "designated-port", "forwarding": "true",
              "learning": "true"})
    return f


def relink_ports(dev, _item=None):
    ports = dev.menus["/interface/bridge/port"]
    for k, p in enumerate(ports):
        p[".nextid"] = ports[k + 1][".id"] if k + 1 < len(ports) else "*FFFFFFFF"


def add_pool(dev, f):
    for rng in f["ranges"].split(","):
        ends = rng.split("-")
        if not all(parse_cidr(e) for e in ends) or len(ends) > 2:
            raise bad("invalid value for argument ranges")
    return f


def add_dhcp_server(dev, f):
    need_interface(dev, f["interface"])
    pool = f.get("address-pool", "static-only")
    if pool != "static-only" and pool not in {p["name"] for p in dev.menus["/ip/pool"]}:
        raise bad("input does not match any value of address-pool")
    f["address-pool"] = pool
    f.setdefault("name", "dhcp%d" % (len(dev.menus["/ip/dhcp-server"]) + 1))
    f.setdefault("lease-time", "30m")
    f.update({"dynamic": "false", "invalid": "false"})
    return f


def add_lease(dev, f):
    f.setdefault("server", "all")
    f.update({"dynamic": "false", "status": "waiting", "last-seen": "never",
              "blocked": "false", "radius": "false"})
    return f


sim_hooks_add = {
    "/ip/address": add_ip_address, "/ip/route": add_route,
    "/ip/firewall/filter": add_filter, "/ip/firewall/nat": add_nat,
    "/ip/firewall/address-list": add_address_list,
    "/interface/bridge": add_bridge, "/interface/vlan": add_vlan,
    "/interface/wireless": add_wireless,
    "/interface/bridge/port": add_bridge_port, "/ip/pool": add_pool,
    "/ip/dhcp-server": add_dhcp_server, "/ip/dhcp-server/lease": add_lease,
}
sim_hooks_after_add = {
    "/ip/address": after_add_ip_address,
    "/interface/bridge": after_add_iface("bridge"),
    "/interface/vlan": after_add_iface("vlan"),
    "/interface/wireless": after_add_iface("wlan"),
    "/interface/bridge/port": relink_ports,
}
sim_hooks_after_remove = {
    "/ip/address": after_remove_ip_address,
    "/interface/bridge": after_remove_iface,
    "/interface/vlan": after_remove_iface,
    "/interface/wireless": after_remove_iface,
    "/interface/bridge/port": relink_ports,
}


# -- dispatch ----------------------------------------------------------------

def parse_body(raw):
    if not raw:
        return {}
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad("JSON parse error")
    if not isinstance(body, dict):
        raise bad("JSON object expected")
    return body


def handle(world, dev, method, path, query, raw):
    """Serve one authenticated /rest request; returns a Reply."""
    try:
        return _dispatch(world, dev, method, path, query, raw)
    except RestError as e:
        return Reply(e.status, error_body(e.status, e.detail))


def _dispatch(world, dev, method, path, query, raw):
    rel = unquote(path[len("/rest"):]) or "/"
    if rel in sim_menus.TOOL_COMMANDS:
        if method != "POST":
            raise bad("no such command")
        return sim_tools.run(world, dev, sim_menus.TOOL_COMMANDS[rel],
                             parse_body(raw))
    if rel == "/system/ntp/client/monitor" and method == "POST":
        return sim_tools.ntp_monitor(world, dev, parse_body(raw))
    base, rest = resolve(rel)
    menu = MENUS.get(base)
    if menu is None:
        if rest:
            raise bad("no such command or directory (%s)" % rest[0])
        if method == "POST":
            return Reply(200, [])
        raise bad("no such command")
    if len(rest) > 1:
        raise bad("no such command or directory (%s)" % rest[1])
    params = parse_qsl(query, keep_blank_values=True)
    if not rest:
        return menu_level(world, dev, menu, method, params, raw)
    word = rest[0]
    if method == "POST":
        return command(world, dev, menu, word, parse_body(raw))
    if word in sim_menus.GENERIC_COMMANDS or word in menu.commands or \
            (menu.path + "/" + word) in sim_menus.TOOL_COMMANDS:
        raise bad("no such command")
    if menu.kind == "single":
        raise bad("no such command or directory (%s)" % word)
    item = find_item(dev, menu, word)
    if method == "GET":
        proplist = [v for k, v in params if k == ".proplist"]
        obj = view(dev, menu.path, item)
        return Reply(200, project(obj, split_proplist(proplist[0]), True)
                     if proplist else obj)
    if method == "PATCH":
        return Reply(200, view(dev, menu.path, update(dev, menu, item,
                                                      parse_body(raw))))
    if method == "DELETE":
        delete(dev, menu, item)
        return Reply(200, None)
    raise bad("no such command")


def menu_level(world, dev, menu, method, params, raw):
    if method == "GET":
        proplist = None
        filters = []
        for k, v in params:
            if k == ".proplist":
                proplist = split_proplist(v)
            elif not k.startswith("."):
                filters.append((k, v))
        if menu.kind == "single":
            obj = view(dev, menu.path, dev.menus[menu.path])
            return Reply(200, project(obj, proplist, False) if proplist else obj)
        out = []
        for item in dev.menus[menu.path]:
            if all(item.get(k) == v for k, v in filters):
                obj = view(dev, menu.path, item)
                out.append(project(obj, proplist, True) if proplist else obj)
        return Reply(200, out)
    if method == "PUT":
        return Reply(200, view(dev, menu.path, create(dev, menu, parse_body(raw))))
    if method == "PATCH":
        if menu.kind != "single":
            raise bad("no such command")
        return Reply(200, view(dev, menu.path,
                               update(dev, menu, dev.menus[menu.path],
                                      parse_body(raw))))
    if method == "POST":
        parse_body(raw)
        return Reply(200, [])
    raise bad("no such command")


def command(world, dev, menu, word, args):
    if menu.path + "/" + word in sim_menus.TOOL_COMMANDS:
        return sim_tools.run(world, dev,
                             sim_menus.TOOL_COMMANDS[menu.path + "/" + word], args)
    if word == "print":
        return print_cmd(dev, menu, args)
    if word == "flush" and menu.path == "/ip/dns/cache":
        dev.menus["/ip/dns/cache"] = []
        dev.menus["/ip/dns"]["cache-used"] = "0"
        return Reply(200, [])
    if menu.kind == "single":
        if word == "set":
            update(dev, menu, dev.menus[menu.path], args)
            return Reply(200, [])
        if word == "get":
            return Reply(200, {"ret": view(dev, menu.path, dev.menus[menu.path])
                               .get(str(args.get("value-name", "")), "")})
        raise bad("no such command or directory (%s)" % word)
    if word == "add":
        return Reply(200, {"ret": create(dev, menu, args)[".id"]})
    if word == "set":
        update(dev, menu, find_by_ref(dev, menu, args), args)
        return Reply(200, [])
    if word == "remove":
        delete(dev, menu, find_by_ref(dev, menu, args))
        return Reply(200, [])
    if word in ("enable", "disable"):
        update(dev, menu, find_by_ref(dev, menu, args),
               {"disabled": "yes" if word == "disable" else "no"})
        return Reply(200, [])
    if word == "find":
        items = [i for i in dev.menus[menu.path]
                 if all(i.get(k) == to_ros_string(v) for k, v in args.items()
                        if not k.startswith("."))]
        return Reply(200, {"ret": ";".join(i[".id"] for i in items)})
    if word == "move" and word in menu.commands:
        return move(dev, menu, args)
    if word == "reset-counters" and word in menu.commands:
        for item in dev.menus[menu.path]:
            item["bytes"] = item["packets"] = "0"
        return Reply(200, [])
    raise bad("no such command or directory (%s)" % word)


def move(dev, menu, args):
    items = dev.menus[menu.path]
    item = find_by_ref(dev, menu, args)
    dest = args.get("destination")
    items.remove(item)
    if dest is None:
        items.append(item)
    else:
        pos = next((n for n, o in enumerate(items) if o[".id"] == dest), None)
        if pos is None:
            items.append(item)
            raise bad("no such item")
        items.insert(pos, item)
    return Reply(200, [])


def print_cmd(dev, menu, args):
    proplist = split_proplist(args[".proplist"]) if ".proplist" in args else None
    words = args.get(".query", [])
    if isinstance(words, str):
        words = [words]
    if menu.kind == "single":
        objs = [view(dev, menu.path, dev.menus[menu.path])]
    else:
        objs = [view(dev, menu.path, i) for i in dev.menus[menu.path]
                if query_match(i, words)]
    if "count-only" in args:
        return Reply(200, {"ret": str(len(objs))})
    if proplist is not None:
        objs = [project(o, proplist, False) for o in objs]
    return Reply(200, objs)
