#!/usr/bin/python3
# Simulated RouterOS SSH console (test tooling), run by the private sshd as
# ForceCommand: answers SSH_ORIGINAL_COMMAND from the REST simulator's state.
#
#   routeros_cli.py --sim-port N [--command-log FILE]
#
# The device is the one whose address the client connected to (the local
# address in SSH_CONNECTION); its state comes from GET /__sim/state on that
# address. Output follows routeros-rest.md §4 (print, detail, terse, as-value,
# /export) in the v7 style, or the v6 style for devices started with --v6.
import sys

sys.dont_write_bytecode = True

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

# Flag letters per menu (legend order); the REST field each stands for.
FLAGS = {
    "/interface": [("D", "dynamic"), ("X", "disabled"), ("R", "running"),
                   ("S", "slave")],
    "/ip/address": [("X", "disabled"), ("I", "invalid"), ("D", "dynamic")],
    "/ip/route": [("X", "disabled"), ("A", "active"), ("D", "dynamic"),
                  ("c", "connect"), ("s", "static")],
    "/ip/firewall/filter": [("X", "disabled"), ("I", "invalid"),
                            ("D", "dynamic")],
    "/ip/firewall/nat": [("X", "disabled"), ("I", "invalid"),
                         ("D", "dynamic")],
    "/ip/firewall/address-list": [("X", "disabled"), ("D", "dynamic")],
    "/system/package": [("X", "disabled")],
}
DEFAULT_FLAGS = [("X", "disabled"), ("D", "dynamic")]

# Columns of plain `print` tables.
COLUMNS = {
    "/interface": ["name", "type", "actual-mtu", "l2mtu", "mac-address"],
    "/ip/address": ["address", "network", "interface"],
    "/ip/route": ["dst-address", "gateway", "distance"],
    "/ip/firewall/filter": ["chain", "action", "comment"],
    "/ip/firewall/nat": ["chain", "action", "out-interface", "comment"],
    "/ip/firewall/address-list": ["list", "address", "creation-time"],
    "/system/package": ["name", "version", "build-time", "size"],
}

# Values printed with units in `print` / `print detail` (REST gives bytes).
BYTE_FIELDS = {"free-memory", "total-memory", "free-hdd-space",
               "total-hdd-space", "size"}
UNIT_SUFFIX = {"cpu-load": "%", "cpu-frequency": "MHz"}
# Never shown (REST-only bookkeeping or per-second counters).
HIDDEN = {".id", ".nextid", ".section"}
VERBS = ("print", "export", "ping", "traceroute", "get", "set", "add",
         "remove", "reboot", "shutdown")
PRINT_FLAGS = {"detail", "without-paging", "as-value", "terse", "brief",
               "stats"}
EXPORT_FLAGS = {"compact", "terse", "hide-sensitive", "show-sensitive",
                "verbose"}


class CliError(Exception):
    pass


# -- console syntax -----------------------------------------------------------

def tokenize(line):
    """Words of one console command; "..." strings with RouterOS escapes.
    Returns [(text, column)]; ';' outside quotes is its own token."""
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
            continue
        start = i
        if c == ";":
            out.append((";", start + 1))
            i += 1
            continue
        word = []
        while i < n and line[i] not in " \t;":
            if line[i] == '"':
                i += 1
                while i < n and line[i] != '"':
                    if line[i] == "\\" and i + 1 < n:
                        i += 1
                        esc = line[i]
                        word.append({"n": "\n", "r": "\r", "t": "\t",
                                     "a": "\a", "b": "\b", "f": "\f",
                                     "v": "\v"}.get(esc, esc))
                    else:
                        word.append(line[i])
                    i += 1
                if i >= n:
                    raise CliError("syntax error (line 1 column %d)" % (start + 1))
                i += 1
            else:
                word.append(line[i])
                i += 1
        out.append(("".join(word), start + 1))
    return out


def split_statements(tokens):
    stmts, cur = [], []
    for tok in tokens:
        if tok[0] == ";":
            if cur:
                stmts.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        stmts.append(cur)
    return stmts


def parse_statement(tokens, menus):
    """-> (menu path, verb, flags set, args dict)."""
    words, verb, rest = [], None, []
    for k, (text, col) in enumerate(tokens):
        parts = [p for p in text.split("/") if p] if "=" not in text else None
        if parts is None:
            rest = tokens[k:]
            break
        pos = 0
        for p in parts:
            pos = text.index(p, pos)
            if verb is None and p in VERBS:
                verb = p
            elif verb is None:
                words.append((p, col + pos))
            else:
                rest.append((p, col))
        if verb is not None:
            rest = rest + list(tokens[k + 1:])
            break
    if verb is None:
        col = tokens[-1][1] if tokens else 1
        raise CliError("bad command name %s (line 1 column %d)"
                       % (words[-1][0] if words else "", col + 1))
    path = "/" + "/".join(w for w, _ in words)
    if path != "/" and path not in menus and verb != "reboot" and \
            path not in ("/tool", "/"):
        bad = words[-1]
        raise CliError("bad command name %s (line 1 column %d)"
                       % (bad[0], bad[1]))
    flags, args = set(), {}
    for text, col in rest:
        key, sep, value = text.partition("=")
        if sep:
            args[key] = value
        else:
            flags.add(text)
    return path, verb, flags, args, tokens[0][1]


# -- value formatting -----------------------------------------------------------

def fmt_bytes(n):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return "%.1f%s" % (n / size, unit)
    return "%dB" % n


def cli_value(key, value, units):
    if value in ("true", "false"):
        return "yes" if value == "true" else "no"
    if units and key in BYTE_FIELDS and value.isdigit():
        return fmt_bytes(int(value))
    if units and key in UNIT_SUFFIX and value:
        return value + UNIT_SUFFIX[key]
    return value


def needs_quotes(value):
    return value == "" or any(c in value for c in ' "\\;=$[]{}\t\n')


def quoted(value):
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return '"%s"' % esc.replace("\n", "\\n").replace("\t", "\\t")


def pair(key, value, always_quote_strings):
    if always_quote_strings and not value.replace(".", "").isdigit() and \
            value not in ("yes", "no"):
        return "%s=%s" % (key, quoted(value))
    return "%s=%s" % (key, quoted(value) if needs_quotes(value) else value)


# -- print ---------------------------------------------------------------------

def flag_letters(path, item):
    return "".join(letter for letter, field in FLAGS.get(path, DEFAULT_FLAGS)
                   if item.get(field) == "true")


def flag_legend(path, v6):
    flags = FLAGS.get(path, DEFAULT_FLAGS)
    if v6:
        return "Flags: " + ", ".join("%s - %s" % f for f in flags) + " "
    return "Flags: " + "; ".join("%s - %s" % (f[0], f[1].upper())
                                 for f in flags)


def shown_fields(path, item):
    flag_fields = {f for _, f in FLAGS.get(path, DEFAULT_FLAGS)}
    return [(k, v) for k, v in item.items()
            if k not in HIDDEN and k not in flag_fields]


def print_single(obj, flags):
    pairs = [(k, cli_value(k, v, True)) for k, v in obj.items()
             if k not in HIDDEN]
    if "as-value" in flags:
        return ";".join("%s=%s" % (k, cli_value(k, v, False))
                        for k, v in obj.items() if k not in HIDDEN) + "\n"
    width = max([len(k) for k, _ in pairs] + [1])
    return "".join("%s: %s\n" % (k.rjust(width + 2), v) for k, v in pairs)


def wrap(words, first, indent, width=80):
    lines, cur = [], first
    for w in words:
        if len(cur) + 1 + len(w) > width and cur.strip() and cur != first:
            lines.append(cur)
            cur = indent + w
        else:
            cur = cur + (" " if cur and not cur.endswith(" ") else "") + w
    lines.append(cur)
    return "\n".join(lines) + "\n"


def print_list(path, items, flags, v6):
    if "as-value" in flags:
        # Console rendering of a script array: flat, unescaped (§4.2).
        return ";".join("%s=%s" % (k, cli_value(k, v, False))
                        for item in items for k, v in item.items()
                        if k not in HIDDEN or k == ".id") + "\n"
    out = [] if path == "/log" else [flag_legend(path, v6) + "\n"]
    for n, item in enumerate(items):
        letters = flag_letters(path, item)
        fields = shown_fields(path, item)
        comment = item.get("comment")
        if "terse" in flags:
            words = [pair(k, cli_value(k, v, False), False)
                     for k, v in fields]
            out.append(" ".join(["%d" % n, letters] + words) + "\n")
        elif "detail" in flags:
            head = "%2d %-2s" % (n, letters)
            if comment is not None:
                out.append("%s ;;; %s\n" % (head, comment))
                head = " " * len(head)
            words = [pair(k, cli_value(k, v, True), True)
                     for k, v in fields if k != "comment"]
            out.append(wrap(words, head, " " * 6))
        elif path == "/log":
            out.append("%s %s %s\n" % (item.get("time", ""),
                                        item.get("topics", ""),
                                        item.get("message", "")))
        else:
            cols = COLUMNS.get(path) or [k for k, _ in fields][:4]
            cells = [cli_value(c, item.get(c, ""), True) for c in cols]
            out.append(" ".join(["%2d %-3s" % (n, letters)] +
                                ["%-18s" % c for c in cells]).rstrip() + "\n")
    if "detail" not in flags and "terse" not in flags and path != "/log":
        cols = COLUMNS.get(path) or [k for k, _ in shown_fields(
            path, items[0] if items else {})][:4]
        header = " ".join([" # %-3s" % ""] + ["%-18s" % c.upper()
                                              for c in cols]).rstrip()
        if not v6:
            out.insert(1, "Columns: %s\n" % ", ".join(c.upper() for c in cols))
        out.insert(2 if not v6 else 1, header + "\n")
    return "".join(out)


# -- export --------------------------------------------------------------------

def export(state, flags, v6):
    m = state["menus"]
    res = m["/system/resource"]
    rb = m.get("/system/routerboard", {})
    lic = m.get("/system/license", {})
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    if v6:
        t = time.localtime()
        now = "%s/%02d/%d %s" % (time.strftime("%b", t).lower(), t.tm_mday,
                                 t.tm_year, time.strftime("%H:%M:%S", t))
    head = ["# %s by RouterOS %s" % (now, res["version"].split()[0])]
    if lic.get("software-id"):
        head.append("# software id = %s" % lic["software-id"])
    if rb.get("model"):
        head += ["#", "# model = %s" % rb["model"],
                 "# serial number = %s" % rb["serial-number"]]
    sections = []

    def add(menu, cmds):
        if cmds:
            sections.append((menu, cmds))

    add("/interface bridge", [
        "add name=%s" % b["name"] for b in m["/interface/bridge"]])
    add("/interface ethernet", [
        "set [ find default-name=%s ] disabled=yes" % e["default-name"]
        for e in m["/interface/ethernet"] if e.get("disabled") == "true"])
    add("/interface bridge port", [
        "add bridge=%s interface=%s" % (p["bridge"], p["interface"])
        for p in m["/interface/bridge/port"] if p.get("dynamic") != "true"])
    add("/ip address", [
        "add address=%s interface=%s network=%s" % (a["address"],
                                                    a["interface"],
                                                    a["network"])
        for a in m["/ip/address"] if a.get("dynamic") != "true"])
    dns = m["/ip/dns"]
    add("/ip dns", ["set allow-remote-requests=%s servers=%s" % (
        cli_value("", dns.get("allow-remote-requests", "false"), False),
        dns.get("servers", ""))])

    def rule(r, keys):
        words = ["add"] + [pair(k, r[k], False) for k in keys if r.get(k)]
        if r.get("disabled") == "true":
            words.append("disabled=yes")
        return " ".join(words)
    add("/ip firewall address-list", [
        rule(a, ["address", "list", "comment"])
        for a in m["/ip/firewall/address-list"] if a.get("dynamic") != "true"])
    fkeys = ["action", "chain", "comment", "connection-state", "dst-port",
             "in-interface", "in-interface-list", "out-interface",
             "protocol", "src-address", "dst-address", "to-addresses",
             "to-ports", "ipsec-policy"]
    add("/ip firewall filter", [rule(r, fkeys)
                                for r in m["/ip/firewall/filter"]])
    add("/ip firewall nat", [rule(r, fkeys) for r in m["/ip/firewall/nat"]])
    add("/ip route", [
        rule(r, ["distance", "dst-address", "gateway", "comment"])
        for r in m["/ip/route"] if r.get("static") == "true"])
    add("/system identity", ["set name=%s" % pair(
        "n", m["/system/identity"]["name"], False)[2:]])
    ntp = m["/system/ntp/client"]
    if v6:
        add("/system ntp client", ["set enabled=%s primary-ntp=%s" % (
            cli_value("", ntp["enabled"], False), ntp.get("primary-ntp"))])
    else:
        add("/system ntp client", ["set enabled=%s servers=%s" % (
            cli_value("", ntp["enabled"], False), ntp.get("servers", ""))])
    # A secret that v6 prints unless hide-sensitive and v7 hides unless
    # show-sensitive (routeros-rest.md §3.2).
    secret = (v6 and "hide-sensitive" not in flags) or \
        (not v6 and "show-sensitive" in flags)
    add("/snmp community", ["set [ find default=yes ] name=%s" % (
        "sim-community" if secret else "public")] if secret else [])
    lines = list(head)
    for menu, cmds in sections:
        if "terse" in flags:
            lines += ["%s %s" % (menu, c) for c in cmds]
        else:
            lines.append(menu)
            for c in cmds:
                lines.append(wrap(c.split(" "), "", "    ", 79).replace(
                    "\n    ", " \\\n    ").rstrip("\n"))
    return "\n".join(lines) + "\n"


# -- tools ---------------------------------------------------------------------

def tool(state_url, name, args):
    req = urllib.request.Request(
        state_url.replace("/__sim/state", "/__sim/tool"), method="POST",
        data=json.dumps({"name": name, "args": args}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        res = json.load(r)
    if res["status"] != 200:
        raise CliError("failure: %s" % (res["body"].get("detail") or
                                        res["body"]["message"]))
    return res["body"]


def ping(state_url, args):
    if "address" not in args:
        raise CliError("missing value(s) of argument(s) address")
    if "count" not in args:
        raise CliError("count is required on this console (no interactive "
                       "session)")
    rows = tool(state_url, "ping", args)
    out = ["  SEQ HOST                                     SIZE TTL TIME"
           "       STATUS"]
    for r in rows:
        if r.get("status") == "timeout":
            out.append("%5s %-40s %28s" % (r["seq"], r["host"], "timeout"))
        else:
            out.append("%5s %-40s %4s %3s %-10s" % (
                r["seq"], r["host"], r["size"], r["ttl"], r["time"]))
    last = rows[-1]
    summary = "    sent=%s received=%s packet-loss=%s%%" % (
        last["sent"], last["received"], last["packet-loss"])
    if "min-rtt" in last:
        summary += " min-rtt=%s avg-rtt=%s max-rtt=%s" % (
            last["min-rtt"], last["avg-rtt"], last["max-rtt"])
    out.append(summary)
    return "\n".join(out) + "\n"


def traceroute(state_url, args):
    if "address" not in args:
        raise CliError("missing value(s) of argument(s) address")
    if "count" not in args:
        raise CliError("count is required on this console (no interactive "
                       "session)")
    rows = tool(state_url, "traceroute", args)
    last_section = rows[-1][".section"] if rows else "0"
    out = ["Columns: ADDRESS, LOSS, SENT, LAST, AVG, BEST, WORST, STD-DEV",
           " #  ADDRESS          LOSS  SENT  LAST    AVG   BEST  WORST  STD-DEV"]
    n = 0
    for r in rows:
        if r[".section"] != last_section:
            continue
        n += 1
        if r.get("last") == "timeout":
            out.append("%2d %-16s %4s%% %5s  timeout" % (n, "", r["loss"],
                                                         r["sent"]))
        else:
            out.append("%2d %-16s %4s%% %5s  %sms %6s %6s %6s %8s" % (
                n, r["address"], r["loss"], r["sent"], r["last"], r["avg"],
                r["best"], r["worst"], r["std-dev"]))
    return "\n".join(out) + "\n"


# -- dispatch ------------------------------------------------------------------

def run_statement(state, state_url, stmt, v6):
    menus = state["menus"]
    path, verb, flags, args, col = parse_statement(stmt, menus)
    if verb == "print":
        unknown = flags - PRINT_FLAGS
        if unknown or args:
            word = sorted(unknown)[0] if unknown else sorted(args)[0]
            raise CliError("expected end of command (line 1 column %d)"
                           % next(c for t, c in stmt if t.startswith(word)))
        value = menus.get(path)
        if value is None:
            raise CliError("bad command name print (line 1 column %d)" % col)
        if isinstance(value, dict):
            return print_single(value, flags)
        return print_list(path, value, flags, v6)
    if verb == "export":
        if flags - EXPORT_FLAGS:
            raise CliError("expected end of command (line 1 column %d)" % col)
        return export(state, flags, v6)
    if verb in ("ping", "traceroute") and path in ("/", "/tool"):
        return (ping if verb == "ping" else traceroute)(state_url, args)
    if verb == "reboot" and path == "/system" and not flags and not args:
        # Recorded in the command log as executed: injection tests look
        # for it there; nothing else happens to the simulated device.
        return ""
    # Writes and anything else are not part of the simulated console.
    raise CliError("bad command name %s (line 1 column %d)" % (verb, col))


def main(argv):
    sim_port, log = None, None
    while argv:
        opt = argv.pop(0)
        if opt == "--sim-port" and argv:
            sim_port = int(argv.pop(0))
        elif opt == "--command-log" and argv:
            log = argv.pop(0)
        else:
            sys.stderr.write("usage: routeros_cli.py --sim-port N "
                             "[--command-log FILE]\n")
            return 2
    conn = os.environ.get("SSH_CONNECTION", "").split()
    command = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    if len(conn) != 4 or sim_port is None:
        sys.stderr.write("routeros_cli: SSH_CONNECTION and --sim-port needed\n")
        return 2
    if not command.strip():
        # Interactive logins are not simulated: RouterOS would open a shell.
        sys.stdout.write("interactive console not simulated; pass a command\n")
        return 1
    state_url = "http://%s:%d/__sim/state" % (conn[2], sim_port)
    try:
        with urllib.request.urlopen(state_url, timeout=10) as r:
            state = json.load(r)
    except (urllib.error.URLError, OSError, ValueError) as e:
        sys.stderr.write("routeros_cli: simulator unreachable: %s\n" % e)
        return 1
    v6 = state["menus"]["/system/resource"]["version"].startswith("6.")
    try:
        stmts = split_statements(tokenize(command))
    except CliError as e:
        stmts, out = [], str(e) + "\n"
    else:
        out = ""
    ran = []
    for stmt in stmts:
        try:
            out += run_statement(state, state_url, stmt, v6)
            ran.append(" ".join(t for t, _ in stmt))
        except CliError as e:
            # RouterOS stops the script at the first failing command.
            out += str(e) + "\n"
            break
    if log:
        with open(log, "a") as f:
            f.write(json.dumps({"device": state["name"], "command": command,
                                "executed": ran}) + "\n")
    sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
