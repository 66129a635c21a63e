#!/usr/bin/env python3
# RouterOS v7 REST simulator (test tooling): one process, one socket per
# device address (plus HTTPS ports on request), Basic auth, fault injection
# and the /__sim/ control API.
import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import base64  # noqa: E402
import collections  # noqa: E402
import hmac  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import ssl  # noqa: E402
import time  # noqa: E402

import sim_http  # noqa: E402
import sim_rest  # noqa: E402
import sim_tools  # noqa: E402
from sim_device import Device  # noqa: E402
from sim_menus import MENUS  # noqa: E402

FAULT_MODES = ("ok", "down", "error500", "slow", "error401", "trap200",
               "status200")
# Failures RouterOS reports inside HTTP 200 (routeros-rest.md §1.9 caveats):
# trap200 = the binary API's !trap as JSON, status200 = a command's rows
# carrying "status":"ERROR: …" (license/renew style).
TRAP_DETAIL = "failure: command interrupted"


class World:
    def __init__(self, devices, password, latency, session_limit, log):
        self.devices = devices
        self.password = password
        self.expected_auth = "Basic " + base64.b64encode(
            ("admin:" + password).encode()).decode()
        self.latency = latency
        self.session_limit = session_limit
        self.logfile = log
        self.server = None              # sim_http.Server, set by main


class Site:
    """Per-address runtime data: the device plus its fault and request log."""

    def __init__(self, device):
        self.device = device
        self.rest = not device.v6       # v6 has no REST (routeros-rest §3.1)
        self.fault = {"mode": "ok", "latency_ms": 0, "paths": []}
        self.requests = collections.deque(maxlen=200)
        self.absent = []                # menus of packages not installed
        self.inflight = 0               # RouterOS requests not answered yet
        self.peak = 0                   # most of them at once since clear
        self.tls_listeners = {}         # HTTPS port -> listening socket
        self.tls_stats = {"handshakes": 0, "failed": 0}

    def tls_json(self):
        return dict(self.tls_stats, ports=sorted(self.tls_listeners))

    def tls_close(self, server):
        for ls in self.tls_listeners.values():
            server.unlisten(ls)
        self.tls_listeners = {}


def dumps(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def reply(status, obj, keep, delay=0.0, head_only=False):
    body = b"" if obj is None else dumps(obj)
    return ("reply", sim_http.render(status, body, keep, head_only), delay)


def fault_applies(fault, path):
    if fault["mode"] == "ok":
        return False
    prefixes = fault.get("paths") or []
    if not prefixes:
        return True
    for p in prefixes:
        if path.startswith(p) or path.startswith("/rest" + p):
            return True
    return False


def check_auth(world, conn, req):
    header = req.headers.get("authorization", "")
    if header == world.expected_auth:
        return True
    user = "?"
    ok = False
    if header[:6].lower() == "basic ":
        try:
            user, _, pw = base64.b64decode(header[6:].strip()).decode(
                "utf-8").partition(":")
            ok = user == "admin" and hmac.compare_digest(
                pw.encode(), world.password.encode())
        except (ValueError, UnicodeDecodeError):
            ok = False
    if not ok:
        conn.site.device.log("system,error,critical",
                             "login failure for user %s from %s via rest-api"
                             % (user[:32], conn.peer[0]))
    return ok


def absent_menu(site, path):
    """The absent menu (package not installed) that path lies in, or None."""
    for menu in site.absent:
        if path == menu or path.startswith(menu + "/"):
            return menu
    return None


def state_json(site):
    dev = site.device
    menus = {p: sim_rest.view(dev, p, v) if isinstance(v, dict)
             else [sim_rest.view(dev, p, i) for i in v]
             for p, v in dev.menus.items() if absent_menu(site, p) is None}
    return {"name": dev.name, "identity": dev.menus["/system/identity"]["name"],
            "address": dev.ip, "port": dev.port, "fault": site.fault,
            "absent": site.absent, "menus": menus}


def set_state(site, body):
    """Merge {"menus": {path: object|list}}: objects update singletons,
    lists replace collections (items without .id get fresh ids);
    {"absent": [menu...]} replaces the list of menus whose package is not
    installed (REST 400 "no such command or directory", CLI "bad command
    name", left out of the state)."""
    dev = site.device
    absent = body.get("absent", site.absent)
    if not isinstance(absent, list) or not all(
            isinstance(m, str) and m in MENUS for m in absent):
        return "absent takes a list of menu paths"
    site.absent = list(absent)
    for path, value in (body.get("menus") or {}).items():
        if path not in MENUS:
            return "unknown menu %s" % path
        if isinstance(dev.menus[path], dict):
            if not isinstance(value, dict):
                return "menu %s takes an object" % path
            dev.menus[path].update({k: str(v) for k, v in value.items()})
        else:
            if not isinstance(value, list):
                return "menu %s takes a list" % path
            items = []
            for item in value:
                item = {k: str(v) for k, v in item.items()}
                if ".id" not in item:
                    item[".id"] = dev.new_id(path)
                items.append(item)
            dev.menus[path] = items
    return None


def tls_open(world, site, body):
    """Serves the device over HTTPS on body["port"] of its address with the
    PEM certificate chain and key files body["cert"], body["key"]."""
    port, cert, key = body.get("port"), body.get("cert"), body.get("key")
    if not isinstance(port, int) or not 0 < port < 65536 or \
            not isinstance(cert, str) or not isinstance(key, str):
        return "port (1-65535), cert and key (PEM file paths) are required"
    if port in site.tls_listeners:
        return "port %d already serves HTTPS" % port
    try:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        site.tls_listeners[port] = world.server.listen(
            site.device.ip, port, site, ctx)
    except (OSError, ssl.SSLError) as e:
        return "cannot serve HTTPS on %s:%d: %s" % (site.device.ip, port, e)
    write_log(world, "%s https on port %d" % (site.device.name, port))
    return None


def tls_event(site, ok):
    site.tls_stats["handshakes" if ok else "failed"] += 1


def control(world, conn, req):
    site = conn.site
    keep = req.keep_alive
    try:
        body = json.loads(req.body.decode("utf-8")) if req.body else {}
    except (UnicodeDecodeError, ValueError):
        return reply(400, {"error": "invalid JSON"}, keep)
    if not isinstance(body, dict):
        return reply(400, {"error": "JSON object expected"}, keep)
    route = (req.method, req.path.rstrip("/"))
    if route == ("GET", "/__sim/state"):
        return reply(200, state_json(site), keep)
    if route == ("POST", "/__sim/state"):
        err = set_state(site, body)
        return reply(400 if err else 200, {"error": err} if err else
                     state_json(site), keep)
    if route == ("GET", "/__sim/fault"):
        return reply(200, site.fault, keep)
    if route == ("POST", "/__sim/fault"):
        mode = body.get("mode", "ok")
        latency = body.get("latency_ms", 0)
        paths = body.get("paths", [])
        detail = body.get("detail", TRAP_DETAIL)
        if mode not in FAULT_MODES or not isinstance(latency, int) or \
                latency < 0 or not isinstance(paths, list) or \
                not isinstance(detail, str):
            return reply(400, {"error": "mode must be one of %s, latency_ms a "
                               "non-negative integer, paths a list, detail "
                               "a string" % "|".join(FAULT_MODES)}, keep)
        site.fault = {"mode": mode, "latency_ms": latency,
                      "paths": [str(p) for p in paths]}
        if mode in ("trap200", "status200"):
            site.fault["detail"] = detail
        write_log(world, "%s fault %s" % (site.device.name, json.dumps(site.fault)))
        return reply(200, site.fault, keep)
    if route == ("POST", "/__sim/tls"):
        err = tls_open(world, site, body)
        return reply(400 if err else 200, {"error": err} if err else
                     site.tls_json(), keep)
    if route == ("GET", "/__sim/tls"):
        return reply(200, site.tls_json(), keep)
    if route == ("DELETE", "/__sim/tls"):
        site.tls_close(world.server)
        return reply(200, site.tls_json(), keep)
    if route == ("POST", "/__sim/reset"):
        site.device.reset()
        site.fault = {"mode": "ok", "latency_ms": 0, "paths": []}
        site.absent = []
        site.requests.clear()
        site.tls_close(world.server)
        site.tls_stats = {"handshakes": 0, "failed": 0}
        site.peak = site.inflight
        write_log(world, "%s reset" % site.device.name)
        return reply(200, {"reset": site.device.name}, keep)
    if route == ("POST", "/__sim/tool"):
        return run_tool(world, site, body, keep)
    if route == ("GET", "/__sim/requests"):
        return reply(200, list(site.requests), keep)
    if route == ("DELETE", "/__sim/requests"):
        site.requests.clear()
        site.tls_stats = {"handshakes": 0, "failed": 0}
        site.peak = site.inflight
        return reply(200, [], keep)
    if route == ("GET", "/__sim/inflight"):
        return reply(200, {"inflight": site.inflight, "peak": site.peak}, keep)
    return reply(404, {"error": "unknown control endpoint"}, keep)


def run_tool(world, site, body, keep):
    """Runs ping|traceroute for the SSH CLI (t/sim/routeros_cli.py) with the
    REST tools' reachability rules; answers {"status", "body"}."""
    name = body.get("name")
    args = body.get("args")
    if name not in ("ping", "traceroute") or not isinstance(args, dict):
        return reply(400, {"error": "name ping|traceroute and args object"},
                     keep)
    try:
        res = sim_tools.run(world, site.device, name, args)
    except sim_rest.RestError as e:
        return reply(200, {"status": e.status,
                           "body": sim_rest.error_body(e.status, e.detail)},
                     keep)
    return reply(200, {"status": res.status, "body": res.body}, keep)


def record(conn, req):
    body = None
    if req.body:
        try:
            body = json.loads(req.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = req.body.decode("utf-8", "replace")
    entry = {"method": req.method, "path": req.target, "body": body,
             "scheme": "https" if conn.tls else "http",
             "status": None, "time": round(time.time(), 3)}
    conn.site.requests.append(entry)
    return entry


def make_handler(world):
    def handler(conn, req):
        site = conn.site
        if req.path.startswith("/__sim/"):
            return control(world, conn, req)
        entry = record(conn, req)
        site.inflight += 1
        site.peak = max(site.peak, site.inflight)
        entry["inflight"] = site.inflight
        result = answer(conn, req, entry)

        def sent():
            site.inflight -= 1
        if result[0] == "drop":
            sent()
            return result
        return result + (sent,)

    def answer(conn, req, entry):
        site = conn.site
        keep = req.keep_alive
        fault = site.fault
        applies = fault_applies(fault, req.path)
        if (applies and fault["mode"] == "down") or not site.rest:
            return ("drop",)
        delay = world.latency
        if applies and fault["mode"] == "slow":
            delay += fault["latency_ms"] / 1000.0
        if applies and fault["mode"] == "error500":
            entry["status"] = 500
            return reply(500, sim_rest.error_body(
                500, "std failure: timeout (13)"), keep, delay)
        if applies and fault["mode"] == "error401":
            # the device no longer accepts the stored credentials
            entry["status"] = 401
            conn.site.device.log("system,error,critical",
                                 "login failure for user admin from %s via "
                                 "rest-api" % conn.peer[0])
            return reply(401, sim_rest.error_body(401), keep, delay)
        if req.method == "HEAD":
            entry["status"] = 501
            return reply(501, sim_rest.error_body(501), keep, delay,
                         head_only=True)
        if not check_auth(world, conn, req):
            entry["status"] = 401
            return reply(401, sim_rest.error_body(401), keep, delay)
        dev = site.device
        if "login" not in conn.state:
            conn.state["login"] = True
            dev.log("system,info,account",
                    "user admin logged in from %s via rest-api" % conn.peer[0])
        if not req.path.startswith("/rest"):
            entry["status"] = 404
            return reply(404, sim_rest.error_body(404), keep, delay)
        if applies and fault["mode"] in ("trap200", "status200"):
            entry["status"] = 200
            return reply(200, {"category": "0", "message": fault["detail"]}
                         if fault["mode"] == "trap200" else
                         [{".section": "0", "status": "ERROR: "
                           + fault["detail"]}], keep, delay)
        missing = absent_menu(site, req.path[len("/rest"):])
        if missing is not None:
            entry["status"] = 400
            return reply(400, sim_rest.error_body(
                400, "no such command or directory (%s)"
                % missing.rsplit("/", 1)[1]), keep, delay)
        if req.method not in ("GET", "PUT", "PATCH", "DELETE", "POST"):
            entry["status"] = 501
            return reply(501, sim_rest.error_body(501), keep, delay)
        res = sim_rest.handle(world, dev, req.method, req.path, req.query,
                              req.body)
        entry["status"] = res.status
        if world.logfile:
            write_log(world, "%s %s %s %d" % (dev.name, req.method, req.target,
                                              res.status))
        return reply(res.status, res.body, keep, delay + res.delay)
    return handler


def write_log(world, line):
    if world.logfile:
        world.logfile.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), line))


def parse_args(argv):
    ap = argparse.ArgumentParser(description="RouterOS REST simulator")
    ap.add_argument("--port", type=int, default=18081)
    ap.add_argument("--password-env", help="env var holding admin's password "
                    "(default: empty password, like a fresh RouterOS)")
    ap.add_argument("--device", action="append", required=True,
                    metavar="NAME=IP", help="simulated device (repeatable)")
    ap.add_argument("--v6", action="append", default=[], metavar="NAME",
                    help="device NAME is RouterOS 6.49: v6 profile, REST "
                    "connections closed, control API and SSH CLI only")
    ap.add_argument("--pidfile")
    ap.add_argument("--log")
    ap.add_argument("--latency-ms", type=int, default=0,
                    help="latency added to every RouterOS reply")
    ap.add_argument("--session-limit-ms", type=int, default=1500,
                    help="stand-in for RouterOS's 60 s cut of unbounded "
                    "commands (reply 400 'Session closed' after this)")
    return ap.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    password = ""
    if args.password_env:
        if args.password_env not in os.environ:
            sys.stderr.write("routeros-sim: environment variable %s is not set\n"
                             % args.password_env)
            return 2
        password = os.environ[args.password_env]
    devices = []
    for n, spec in enumerate(args.device):
        name, sep, ip = spec.partition("=")
        if not sep or not name or not ip:
            sys.stderr.write("routeros-sim: --device wants NAME=IP, got %r\n" % spec)
            return 2
        devices.append(Device(name, ip, n, args.port, v6=name in args.v6))
    logfile = open(args.log, "a", buffering=1) if args.log else None
    world = World(devices, password, args.latency_ms / 1000.0,
                  args.session_limit_ms / 1000.0, logfile)
    try:
        server = sim_http.Server([(d.ip, args.port, Site(d)) for d in devices],
                                 make_handler(world), tls_event)
    except OSError as e:
        sys.stderr.write("routeros-sim: cannot listen: %s\n" % e)
        return 1

    world.server = server

    def stop(*_):
        server.running = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    msg = "routeros-sim: listening on %s\n" % ", ".join(
        "%s:%d (%s)" % (d.ip, args.port, d.name) for d in devices)
    sys.stdout.write(msg)
    sys.stdout.flush()
    write_log(world, msg.strip())
    server.serve()
    if args.pidfile:
        try:
            os.unlink(args.pidfile)
        except OSError:
            pass
    write_log(world, "routeros-sim: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
