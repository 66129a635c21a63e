/*
 * agent_cli_parse.c: unit tests of the console print parsers
 * (agent/routeros/cli_parse.c) on fixtures in the RouterOS formats.
 */
#include "tap.h"
#include "../../agent/routeros/cli_parse.h"

#include <jansson.h>

static const char *
field(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static const char resource_v6[] =
    "                   uptime: 3h28m52s\n"
    "                  version: 6.42.5 (stable)\n"
    "               build-time: Jun/26/2018 12:12:08\n"
    "              free-memory: 988.3MiB\n"
    "             total-memory: 1024.0KiB\n"
    "           free-hdd-space: 45.5MiB\n"
    "                      cpu: Intel(R)\n"
    "                cpu-count: 2\n"
    "            cpu-frequency: 2496MHz\n"
    "                 cpu-load: 0%\n"
    "        architecture-name: x86\r\n"
    "               board-name: x86\n";

static const char detail[] =
    "Flags: X - disabled, I - invalid, D - dynamic \n"
    " 0    ;;; defconf: accept ICMP\n"
    "      chain=input action=accept protocol=icmp\n"
    " 1 X  chain=forward action=drop comment=\"say \\\"hi\\\"; a=b\"\n"
    "      src-address=10.0.0.0/8 log=no\n"
    " 2 D  chain=input action=accept in-interface=\"ether 1\"\n";

static const char detail_v7[] =
    "Flags: D - DYNAMIC; X - DISABLED, R - RUNNING; S - SLAVE\n"
    " 0  RS name=\"ether3\" type=\"ether\" mtu=1500 rx-byte=1024.0KiB\n";

static const char terse[] =
    "0   address=192.168.88.1/24 network=192.168.88.0 interface=bridge1\n"
    "1 X address=10.0.0.1/30 network=10.0.0.0 interface=ether2\n";

static const char as_value[] =
    ".id=*1;address=1.1.1.1/24;disabled=false;interface=ether1;"
    ".id=*2;address=2.2.2.2/24;disabled=true;interface=ether2\n";

int
main(void)
{
    json_t *o, *a;
    char    err[256], msg[256], v[64];

    ok(agent_cli_parse_single(resource_v6, &o, err, sizeof(err)) == 0,
       "v6 /system resource print parses");
    is_str(field(o, "uptime"), "3h28m52s", "duration kept as REST writes it");
    is_str(field(o, "version"), "6.42.5 (stable)", "version with a space");
    is_str(field(o, "build-time"), "Jun/26/2018 12:12:08", "v6 date kept");
    is_str(field(o, "free-memory"), "1036307661", "988.3MiB in bytes");
    is_str(field(o, "total-memory"), "1048576", "1024.0KiB is 1 MiB");
    is_str(field(o, "free-hdd-space"), "47710208", "45.5MiB in bytes");
    is_str(field(o, "cpu-frequency"), "2496", "MHz stripped");
    is_str(field(o, "cpu-load"), "0", "percent stripped");
    is_str(field(o, "cpu"), "Intel(R)", "text kept");
    is_str(field(o, "architecture-name"), "x86", "CRLF line end stripped");
    ok(json_object_size(o) == 12, "12 fields");
    json_decref(o);
    ok(agent_cli_parse_single("garbage line\n", &o, err, sizeof(err)) != 0,
       "line without key: refused (%s)", err);

    ok(agent_cli_parse_items(detail, &a, err, sizeof(err)) == 0,
       "print detail with a flags legend parses");
    ok(json_array_size(a) == 3, "three items");
    o = json_array_get(a, 0);
    is_str(field(o, "comment"), "defconf: accept ICMP", ";;; is comment");
    is_str(field(o, "protocol"), "icmp", "continuation line joined");
    is_str(field(o, "disabled"), "false", "no X: disabled false");
    o = json_array_get(a, 1);
    is_str(field(o, "disabled"), "true", "X: disabled true");
    is_str(field(o, "invalid"), "false", "legend flag absent: false");
    is_str(field(o, "comment"), "say \"hi\"; a=b", "quoted value unescaped");
    is_str(field(o, "log"), "false", "bare no is false");
    is_str(field(o, "src-address"), "10.0.0.0/8", "wrapped field read");
    is_str(field(json_array_get(a, 2), "dynamic"), "true", "D: dynamic");
    is_str(field(json_array_get(a, 2), "in-interface"), "ether 1",
           "quoted value with a space");
    json_decref(a);

    ok(agent_cli_parse_items(detail_v7, &a, err, sizeof(err)) == 0,
       "v7 legend (upper-case, ; separated) parses");
    o = json_array_get(a, 0);
    is_str(field(o, "running"), "true", "R: running");
    is_str(field(o, "slave"), "true", "S: slave");
    is_str(field(o, "disabled"), "false", "no X");
    is_str(field(o, "mtu"), "1500", "number kept");
    is_str(field(o, "rx-byte"), "1048576", "unit value converted");
    json_decref(a);

    ok(agent_cli_parse_items(terse, &a, err, sizeof(err)) == 0,
       "print terse parses");
    ok(json_array_size(a) == 2, "two rows");
    is_str(field(json_array_get(a, 1), "address"), "10.0.0.1/30", "address");
    is_str(field(json_array_get(a, 1), "interface"), "ether2", "interface");
    json_decref(a);

    ok(agent_cli_parse_as_value(as_value, &a, err, sizeof(err)) == 0,
       "as-value run parses");
    ok(json_array_size(a) == 2, "repeated .id starts a new item");
    is_str(field(json_array_get(a, 1), ".id"), "*2", ".id kept");
    is_str(field(json_array_get(a, 1), "disabled"), "true", "boolean");
    json_decref(a);
    ok(agent_cli_parse_as_value("novalue;", &a, err, sizeof(err)) != 0,
       "entry without = refused");

    ok(agent_cli_error("bad command name x (line 1 column 2)\n", msg,
                       sizeof(msg)), "bad command name is an error");
    is_str(msg, "bad command name x (line 1 column 2)", "first line kept");
    ok(agent_cli_error("expected end of command (line 1 column 24)", msg,
                       sizeof(msg)), "expected end of command is an error");
    ok(!agent_cli_error("  name: sim-r1\n", msg, sizeof(msg)),
       "normal output is not an error");
    agent_cli_value("yes", 1, v, sizeof(v));
    is_str(v, "yes", "quoted yes stays text");
    agent_cli_value("512B", 0, v, sizeof(v));
    is_str(v, "512", "bytes");
    return done_testing();
}
