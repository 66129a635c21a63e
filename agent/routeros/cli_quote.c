/*
 * cli_quote.c: the SSH command allow-list (upstream-catalog §1.16) and
 * RouterOS string quoting, so no caller value can end a command.
 */
#include "cli_quote.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *command;
    const char *flags[6];      /* switches the command takes */
    const char *keys[6];       /* key=value parameters it takes */
} agent_cli_template_t;

#define PRINT_FLAGS { "detail", "without-paging", "terse", "as-value" }

static const agent_cli_template_t agent_cli_templates[] = {
    { "/export", { "compact", "terse", "hide-sensitive", "show-sensitive" },
      { NULL } },
    { "/system resource print", PRINT_FLAGS, { NULL } },
    { "/system package print", PRINT_FLAGS, { NULL } },
    { "/system clock print", PRINT_FLAGS, { NULL } },
    { "/system identity print", PRINT_FLAGS, { NULL } },
    { "/system logging print", PRINT_FLAGS, { NULL } },
    { "/system ntp client print", PRINT_FLAGS, { NULL } },
    { "/interface print", PRINT_FLAGS, { NULL } },
    { "/interface bridge print", PRINT_FLAGS, { NULL } },
    { "/interface bridge port print", PRINT_FLAGS, { NULL } },
    { "/interface wireless print", PRINT_FLAGS, { NULL } },
    { "/interface wireless registration-table print", PRINT_FLAGS, { NULL } },
    { "/interface wifi print", PRINT_FLAGS, { NULL } },
    { "/interface wifi registration-table print", PRINT_FLAGS, { NULL } },
    { "/caps-man remote-cap print", PRINT_FLAGS, { NULL } },
    { "/caps-man registration-table print", PRINT_FLAGS, { NULL } },
    { "/ip address print", PRINT_FLAGS, { NULL } },
    { "/ip arp print", PRINT_FLAGS, { NULL } },
    { "/ip route print", PRINT_FLAGS, { NULL } },
    { "/ip dns print", PRINT_FLAGS, { NULL } },
    { "/ip dns cache print", PRINT_FLAGS, { NULL } },
    { "/ip firewall filter print", PRINT_FLAGS, { NULL } },
    { "/ip firewall nat print", PRINT_FLAGS, { NULL } },
    { "/ip firewall address-list print", PRINT_FLAGS, { NULL } },
    { "/ip dhcp-server print", PRINT_FLAGS, { NULL } },
    { "/ip dhcp-server lease print", PRINT_FLAGS, { NULL } },
    { "/log print", PRINT_FLAGS, { NULL } },
    { "/interface monitor-traffic", { "once" }, { "interface", "duration" } },
    { "/tool ping", { NULL },
      { "address", "count", "interval", "size", NULL } },
    { "/tool traceroute", { NULL }, { "address", "count", "max-hops", NULL } },
};

static const agent_cli_template_t *
agent_cli_find(const char *command)
{
    size_t i;

    for (i = 0; i < sizeof(agent_cli_templates) / sizeof(*agent_cli_templates);
         i++) {
        if (strcmp(agent_cli_templates[i].command, command) == 0) {
            return &agent_cli_templates[i];
        }
    }
    return NULL;
}

int
agent_cli_allowed(const char *template)
{
    return template != NULL && agent_cli_find(template) != NULL;
}

int
agent_cli_command_allowed(const char *command)
{
    const unsigned char *p;
    size_t               i, n;

    for (p = (const unsigned char *) command; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return 0;
        }
    }
    for (i = 0; i < sizeof(agent_cli_templates) / sizeof(*agent_cli_templates);
         i++) {
        n = strlen(agent_cli_templates[i].command);
        if (strncmp(command, agent_cli_templates[i].command, n) == 0
            && (command[n] == '\0' || command[n] == ' ')) {
            return 1;
        }
    }
    return 0;
}

static int
agent_cli_listed(const char *const *list, size_t n, const char *word)
{
    size_t i;

    for (i = 0; i < n && list[i] != NULL; i++) {
        if (strcmp(list[i], word) == 0) {
            return 1;
        }
    }
    return 0;
}

int
agent_cli_quote(const char *value, char *buf, size_t len, char *err,
    size_t errlen)
{
    const unsigned char *p;
    size_t               n = 0, vlen = strlen(value);
    char                 esc;

    if (vlen > AGENT_CLI_MAX_VALUE) {
        snprintf(err, errlen, "value longer than %d bytes",
                 AGENT_CLI_MAX_VALUE);
        return -1;
    }
    /* Worst case every byte becomes two, plus the quotes and the NUL. */
    if (len < 2 * vlen + 3) {
        snprintf(err, errlen, "command buffer too small");
        return -1;
    }
    buf[n++] = '"';
    for (p = (const unsigned char *) value; *p != '\0'; p++) {
        esc = 0;
        switch (*p) {
        case '\\': case '"': case '$': case '?':
            esc = (char) *p;
            break;
        case '\n':
            esc = 'n';
            break;
        case '\r':
            esc = 'r';
            break;
        case '\t':
            esc = 't';
            break;
        default:
            if (*p < 0x20 || *p >= 0x7f) {
                snprintf(err, errlen, "value holds byte 0x%02x, which cannot "
                         "be passed to the RouterOS console safely", *p);
                return -1;
            }
        }
        if (esc != 0) {
            buf[n++] = '\\';
            buf[n++] = esc;
        } else {
            buf[n++] = (char) *p;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return 0;
}

static int
agent_cli_append(char *buf, size_t len, size_t *used, const char *s,
    char *err, size_t errlen)
{
    size_t n = strlen(s);

    if (*used + n + 1 > len) {
        snprintf(err, errlen, "command buffer too small");
        return -1;
    }
    memcpy(buf + *used, s, n + 1);
    *used += n;
    return 0;
}

int
agent_cli_build(const char *template, const char *const *flags,
    size_t nflags, const agent_cli_arg_t *args, size_t nargs, char *buf,
    size_t len, char *err, size_t errlen)
{
    const agent_cli_template_t *t = agent_cli_find(template);
    char                        quoted[2 * AGENT_CLI_MAX_VALUE + 3];
    size_t                      i, j, used = 0;

    if (t == NULL) {
        snprintf(err, errlen, "command \"%.64s\" is not in the SSH "
                 "allow-list", template);
        return -1;
    }
    if (len == 0 || agent_cli_append(buf, len, &used, t->command, err,
                                     errlen) != 0) {
        return -1;
    }
    for (i = 0; i < nflags; i++) {
        if (!agent_cli_listed(t->flags, 6, flags[i])) {
            snprintf(err, errlen, "%s does not take \"%.32s\"", t->command,
                     flags[i]);
            return -1;
        }
        if (agent_cli_append(buf, len, &used, " ", err, errlen) != 0
            || agent_cli_append(buf, len, &used, flags[i], err, errlen) != 0)
        {
            return -1;
        }
    }
    for (i = 0; i < nargs; i++) {
        if (!agent_cli_listed(t->keys, 6, args[i].key)) {
            snprintf(err, errlen, "%s does not take \"%.32s\"", t->command,
                     args[i].key);
            return -1;
        }
        for (j = 0; j < i; j++) {
            if (strcmp(args[j].key, args[i].key) == 0) {
                snprintf(err, errlen, "%s given twice", args[i].key);
                return -1;
            }
        }
        if (agent_cli_quote(args[i].value, quoted, sizeof(quoted), err,
                            errlen) != 0
            || agent_cli_append(buf, len, &used, " ", err, errlen) != 0
            || agent_cli_append(buf, len, &used, args[i].key, err, errlen)
                   != 0
            || agent_cli_append(buf, len, &used, "=", err, errlen) != 0
            || agent_cli_append(buf, len, &used, quoted, err, errlen) != 0)
        {
            return -1;
        }
    }
    return 0;
}
