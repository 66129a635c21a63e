/*
 * agent_cli_quote.c: unit tests of the SSH command builder
 * (agent/routeros/cli_quote.c): allow-list, quoting, hostile values.
 */
#include "tap.h"
#include "../../agent/routeros/cli_quote.h"

#include <string.h>

static char buf[8192], err[256];

static const char *
ping(const char *address)
{
    agent_cli_arg_t args[] = { { "address", address }, { "count", "3" } };

    if (agent_cli_build("/tool ping", NULL, 0, args, 2, buf, sizeof(buf), err,
                        sizeof(err)) != 0) {
        return NULL;
    }
    return buf;
}

int
main(void)
{
    const char     *detail[] = { "detail", "without-paging" };
    const char     *bad_flag[] = { "file=x" };
    agent_cli_arg_t bad_key[] = { { "address", "1.1.1.1" },
                                  { "src-address;", "x" } };
    agent_cli_arg_t twice[] = { { "address", "a" }, { "address", "b" } };
    char            longv[AGENT_CLI_MAX_VALUE + 2];

    is_str(ping("10.0.0.1"), "/tool ping address=\"10.0.0.1\" count=\"3\"",
           "plain value is double-quoted");
    is_str(ping("foo\"] ; /system reboot;"),
           "/tool ping address=\"foo\\\"] ; /system reboot;\" count=\"3\"",
           "injection: quote escaped, ; and ] stay inside the string");
    is_str(ping("$(reboot)"), "/tool ping address=\"\\$(reboot)\" count=\"3\"",
           "$ escaped: no variable or command substitution");
    is_str(ping("$[/system reboot]"),
           "/tool ping address=\"\\$[/system reboot]\" count=\"3\"",
           "$[...] command substitution escaped");
    is_str(ping("a\\b"), "/tool ping address=\"a\\\\b\" count=\"3\"",
           "backslash doubled");
    is_str(ping("a\nb\tc"), "/tool ping address=\"a\\nb\\tc\" count=\"3\"",
           "newline and tab written as \\n \\t, never raw");
    is_str(ping("what?"), "/tool ping address=\"what\\?\" count=\"3\"",
           "? escaped (console help key)");
    ok(ping("a\001b") == NULL && strstr(err, "0x01") != NULL,
       "other control bytes rejected: %s", err);
    ok(ping("caf\xc3\xa9") == NULL && strstr(err, "0xc3") != NULL,
       "non-ASCII (UTF-8) rejected: %s", err);
    ok(ping("x\x7f") == NULL, "DEL rejected");
    memset(longv, 'a', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    ok(ping(longv) == NULL && strstr(err, "longer") != NULL,
       "value over %d bytes rejected", AGENT_CLI_MAX_VALUE);
    longv[AGENT_CLI_MAX_VALUE] = '\0';
    ok(ping(longv) != NULL && strlen(buf) == AGENT_CLI_MAX_VALUE + 31,
       "value of exactly %d bytes accepted", AGENT_CLI_MAX_VALUE);
    ok(ping("") != NULL && strcmp(buf, "/tool ping address=\"\" count=\"3\"")
       == 0, "empty value is an empty string");

    ok(agent_cli_build("/interface print", detail, 2, NULL, 0, buf,
                       sizeof(buf), err, sizeof(err)) == 0,
       "print with allowed flags builds");
    is_str(buf, "/interface print detail without-paging", "flags appended");
    ok(agent_cli_build("/system reboot", NULL, 0, NULL, 0, buf, sizeof(buf),
                       err, sizeof(err)) != 0 && strstr(err, "allow-list"),
       "/system reboot is not in the allow-list");
    ok(agent_cli_build("/interface print; /system reboot", NULL, 0, NULL, 0,
                       buf, sizeof(buf), err, sizeof(err)) != 0,
       "template with a second command is refused");
    ok(agent_cli_build("/interface print", bad_flag, 1, NULL, 0, buf,
                       sizeof(buf), err, sizeof(err)) != 0,
       "unknown flag refused");
    ok(agent_cli_build("/tool ping", NULL, 0, bad_key, 2, buf, sizeof(buf),
                       err, sizeof(err)) != 0 && strstr(err, "src-address;"),
       "unknown key refused: %s", err);
    ok(agent_cli_build("/tool ping", NULL, 0, twice, 2, buf, sizeof(buf),
                       err, sizeof(err)) != 0, "key given twice refused");
    ok(agent_cli_build("/tool ping", NULL, 0, twice, 1, buf, 12, err,
                       sizeof(err)) != 0, "too small buffer refused");

    ok(agent_cli_command_allowed("/export terse"), "/export terse allowed");
    ok(agent_cli_command_allowed("/ip route print"), "exact template allowed");
    ok(!agent_cli_command_allowed("/exportx"), "prefix without space refused");
    ok(!agent_cli_command_allowed("/system reboot"), "reboot refused");
    ok(!agent_cli_command_allowed("/export\n/system reboot"),
       "raw newline refused");
    ok(!agent_cli_command_allowed(""), "empty command refused");
    return done_testing();
}
