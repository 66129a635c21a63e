# RouterOS value conventions for the simulator: durations, booleans, times,
# IPv4 helpers and the string-only normalisation of written values.
import ipaddress
import re
import time

BOOL_TRUE = {"yes", "true"}
BOOL_FALSE = {"no", "false"}

_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_DUR_RE = re.compile(r"(\d+)(w|d|h|ms|us|m|s)")


def fmt_duration(seconds):
    """Seconds -> RouterOS duration like '1w2d3h4m5s' ('0s' for zero)."""
    seconds = int(seconds)
    if seconds <= 0:
        return "0s"
    out = []
    for unit, size in _UNITS:
        n, seconds = divmod(seconds, size)
        if n:
            out.append("%d%s" % (n, unit))
    return "".join(out)


def fmt_micros(us):
    """Microseconds -> RouterOS short duration like '453us' or '1ms500us'."""
    us = int(us)
    ms, rest = divmod(us, 1000)
    if ms == 0:
        return "%dus" % rest
    if rest == 0:
        return "%dms" % ms
    return "%dms%dus" % (ms, rest)


def parse_duration(value):
    """RouterOS duration ('3s', '1m30s', '500ms', '10') -> seconds (float).
    Returns None when the text is not a duration."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if text.isdigit():
        return float(text)
    total, pos = 0.0, 0
    scale = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1,
             "ms": 0.001, "us": 0.000001}
    for m in _DUR_RE.finditer(text):
        if m.start() != pos:
            return None
        total += int(m.group(1)) * scale[m.group(2)]
        pos = m.end()
    if pos != len(text) or pos == 0:
        return None
    return total


def to_ros_string(value, boolean=False):
    """Normalise a written JSON value to the string RouterOS reads back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, list):
        return ",".join(to_ros_string(v) for v in value)
    if value is None:
        return ""
    text = str(value)
    if boolean:
        low = text.lower()
        if low in BOOL_TRUE:
            return "true"
        if low in BOOL_FALSE:
            return "false"
    return text


def iso_time(epoch, offset_minutes=0):
    """Epoch -> 'YYYY-MM-DD HH:MM:SS' in the device's fixed GMT offset."""
    return time.strftime("%Y-%m-%d %H:%M:%S",
                         time.gmtime(epoch + offset_minutes * 60))


def parse_ipv4(text):
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


def parse_cidr(text):
    """'10.0.0.1/24' -> IPv4Interface, '10.0.0.1' -> /32; None if invalid."""
    try:
        if "/" not in text:
            text += "/32"
        return ipaddress.IPv4Interface(text)
    except ValueError:
        return None
