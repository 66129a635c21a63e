/*
 * ssh_menu.c: REST menu paths mapped to allow-listed console commands
 * (cli_quote) and their output parsed back into REST JSON (cli_parse).
 */
#include "ssh_menu.h"

#include "cli_parse.h"
#include "cli_quote.h"

#include <stdio.h>
#include <string.h>

/* Menus that hold one object (plain `print`); all others are lists. */
static const char *const agent_ssh_singletons[] = {
    "/system/resource", "/system/identity", "/system/clock", "/ip/dns",
    "/system/ntp/client", NULL};

static int
agent_ssh_singleton(const char *menu)
{
    size_t i;

    for (i = 0; agent_ssh_singletons[i] != NULL; i++) {
        if (strcmp(agent_ssh_singletons[i], menu) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
agent_ssh_menu_fail(agent_ssh_err_t *err, agent_ssh_code_t code,
    const char *msg)
{
    err->code = code;
    err->exit_status = -1;
    snprintf(err->message, sizeof(err->message), "%.500s", msg);
    return -1;
}

/* "/ip/address" → "/ip address print" into tmpl; 0 when allow-listed. */
static int
agent_ssh_print(const char *menu, size_t n, char *tmpl, size_t tlen)
{
    size_t i;

    if (n + sizeof(" print") > tlen) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        tmpl[i] = (i > 0 && menu[i] == '/') ? ' ' : menu[i];
    }
    memcpy(tmpl + n, " print", sizeof(" print"));
    return agent_cli_allowed(tmpl) ? 0 : -1;
}

/*
 * The command of path: its own menu, or (for "/interface/\*1" or
 * "/interface/ether1") the collection above it, with the item key in *id.
 */
static int
agent_ssh_template(const char *path, char *menu, size_t mlen, char *tmpl,
    size_t tlen, const char **id)
{
    const char *last = strrchr(path, '/');
    size_t      n = strlen(path);

    *id = NULL;
    if (path[0] != '/' || last == NULL || n >= mlen) {
        return -1;
    }
    memcpy(menu, path, n + 1);
    if (last[1] != '*' && agent_ssh_print(path, n, tmpl, tlen) == 0) {
        return 0;
    }
    if (last == path || last[1] == '\0') {
        return -1;
    }
    n = (size_t) (last - path);
    menu[n] = '\0';
    *id = last + 1;
    return agent_ssh_print(menu, n, tmpl, tlen);
}

/* The item of list whose .id (or name) is id (new reference), or NULL. */
static json_t *
agent_ssh_pick(json_t *list, const char *id)
{
    json_t     *item;
    const char *v;
    size_t      i;

    json_array_foreach(list, i, item) {
        v = json_string_value(json_object_get(item, id[0] == '*' ? ".id"
                                                                  : "name"));
        if (v != NULL && strcmp(v, id) == 0) {
            return json_incref(item);
        }
    }
    return NULL;
}

int
agent_ssh_menu_read(const agent_ssh_target_t *target, const char *path,
    int64_t deadline_ms, json_t **reply, agent_ssh_result_t *res,
    agent_ssh_err_t *err)
{
    char        menu[256], tmpl[256], cmd[512], msg[256], why[600];
    const char *id, *flags[1] = {"as-value"};
    json_t     *parsed = NULL, *one;
    int         single, rc;

    memset(res, 0, sizeof(*res));
    if (agent_ssh_template(path, menu, sizeof(menu), tmpl, sizeof(tmpl), &id)
        != 0)
    {
        snprintf(msg, sizeof(msg), "%s has no SSH console command in the "
                 "allow-list", path);
        return agent_ssh_menu_fail(err, AGENT_SSH_REJECTED, msg);
    }
    single = agent_ssh_singleton(menu);
    if (agent_cli_build(tmpl, flags, single ? 0 : 1, NULL, 0, cmd,
                        sizeof(cmd), msg, sizeof(msg)) != 0)
    {
        return agent_ssh_menu_fail(err, AGENT_SSH_REJECTED, msg);
    }
    if (agent_ssh_exec(target, cmd, deadline_ms, 0, res, err) != 0) {
        return -1;
    }
    rc = single ? agent_cli_parse_single(res->out, &parsed, msg, sizeof(msg))
                : agent_cli_parse_as_value(res->out, &parsed, msg,
                                           sizeof(msg));
    if (rc != 0) {
        snprintf(why, sizeof(why), "%.200s: %s", cmd, msg);
        return agent_ssh_menu_fail(err, AGENT_SSH_PROTOCOL, why);
    }
    if (id != NULL) {
        one = agent_ssh_pick(parsed, id);
        json_decref(parsed);
        if (one == NULL) {
            snprintf(msg, sizeof(msg), "no such item (%s)", path);
            return agent_ssh_menu_fail(err, AGENT_SSH_COMMAND, msg);
        }
        parsed = one;
    }
    *reply = parsed;
    return 0;
}
