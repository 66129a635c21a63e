/*
 * agent_ssh_live.c: the agent's SSH client against the simulated SSH console
 * (driven by t/06-sim-ssh.t, which starts it): TOFU, pinning, auth, parsing.
 */
#include "tap.h"
#include "../../agent/routeros/cli_parse.h"
#include "../../agent/routeros/cli_quote.h"
#include "../../agent/routeros/ssh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
slurp(const char *path)
{
    FILE  *f = fopen(path, "r");
    char  *buf;
    size_t n;

    if (f == NULL) {
        return NULL;
    }
    buf = calloc(1, 65536);
    n = buf ? fread(buf, 1, 65535, f) : 0;
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
    }
    return buf;
}

int
main(void)
{
    const char        *port = getenv("SSH_LIVE_PORT");
    agent_ssh_target_t t;
    agent_ssh_result_t r;
    agent_ssh_err_t    e;
    char               pin[AGENT_SSH_FP_LEN], cmd[4096], err[256];
    char              *key;
    const char        *detail[] = { "detail", "without-paging" };
    agent_cli_arg_t    hostile[] = { { "address", "foo\"] ; /system reboot;" },
                                     { "count", "1" } };
    json_t            *j;
    int                rc;

    if (port == NULL) {
        printf("1..0 # SKIP SSH_LIVE_PORT not set (run via t/06-sim-ssh.t)\n");
        return 0;
    }
    key = slurp(getenv("SSH_LIVE_KEY"));
    memset(&t, 0, sizeof(t));
    t.host = "127.0.0.5";
    t.port = atoi(port);
    t.username = "rosadmin";
    t.password = getenv("SSH_LIVE_PASSWORD");

    rc = agent_ssh_exec(&t, "/system identity print", 0, 0, &r, &e);
    ok(rc == 0, "password login, nothing pinned: runs (%s)", e.message);
    ok(r.host_key_first_use == 1, "first use reported for recording");
    ok(strncmp(r.host_key, "SHA256:", 7) == 0 && strlen(r.host_key) == 50,
       "fingerprint is SHA256:<43 base64>: %s", r.host_key);
    snprintf(pin, sizeof(pin), "%s", r.host_key);
    ok(rc == 0 && agent_cli_parse_single(r.out, &j, err, sizeof(err)) == 0,
       "identity output parses");
    if (rc == 0) {
        is_str(json_string_value(json_object_get(j, "name")), "sim-v6",
               "identity of the v6 device is sim-v6");
        json_decref(j);
    }
    agent_ssh_result_free(&r);
    is_str(pin, getenv("SSH_LIVE_FINGERPRINT"),
           "fingerprint equals ssh-keygen -lf of the host key");

    t.pinned_host_key = pin;
    t.password = NULL;
    t.private_key = key;
    rc = agent_ssh_exec(&t, "/system resource print", 0, 0, &r, &e);
    ok(rc == 0 && r.host_key_first_use == 0,
       "key login with the recorded pin: runs, not first use (%s)",
       e.message);
    ok(rc == 0 && agent_cli_parse_single(r.out, &j, err, sizeof(err)) == 0,
       "resource output parses");
    if (rc == 0) {
        is_str(json_string_value(json_object_get(j, "version")),
               "6.49.15 (long-term)", "RouterOS 6.49 over SSH");
        is_str(json_string_value(json_object_get(j, "total-memory")),
               "268435456", "256.0MiB back to bytes as REST gives them");
        json_decref(j);
    }
    agent_ssh_result_free(&r);

    agent_cli_build("/interface print", detail, 2, NULL, 0, cmd, sizeof(cmd),
                    err, sizeof(err));
    rc = agent_ssh_exec(&t, cmd, 0, 0, &r, &e);
    ok(rc == 0 && agent_cli_parse_items(r.out, &j, err, sizeof(err)) == 0,
       "interface detail parses (%s)", e.message);
    if (rc == 0) {
        ok(json_array_size(j) == 6, "6 interfaces");
        is_str(json_string_value(json_object_get(json_array_get(j, 0),
                                                 "name")), "ether1", "ether1");
        is_str(json_string_value(json_object_get(json_array_get(j, 0),
                                                 "running")), "true",
               "ether1 running");
        is_str(json_string_value(json_object_get(json_array_get(j, 4),
                                                 "running")), "false",
               "ether5 not running");
        json_decref(j);
    }
    agent_ssh_result_free(&r);

    agent_cli_build("/tool ping", NULL, 0, hostile, 2, cmd, sizeof(cmd), err,
                    sizeof(err));
    rc = agent_ssh_exec(&t, cmd, 0, 0, &r, &e);
    ok(rc != 0 && e.code == AGENT_SSH_COMMAND,
       "injection string is one (unresolvable) address: %s", e.message);
    agent_ssh_result_free(&r);

    rc = agent_ssh_exec(&t, "/system reboot", 0, 0, &r, &e);
    ok(rc != 0 && e.code == AGENT_SSH_REJECTED, "reboot never sent: %s",
       agent_ssh_reason(e.code));
    agent_ssh_result_free(&r);

    rc = agent_ssh_exec(&t, "/export", 0, 100, &r, &e);
    ok(rc != 0 && e.code == AGENT_SSH_PROTOCOL && strstr(e.message, "100"),
       "output over the cap refused: %s", e.message);
    agent_ssh_result_free(&r);

    t.pinned_host_key = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    rc = agent_ssh_exec(&t, "/system identity print", 0, 0, &r, &e);
    ok(rc != 0 && e.code == AGENT_SSH_HOST_KEY, "pin mismatch refused");
    ok(strstr(e.message, pin) != NULL && strstr(e.message, "refusing"),
       "message names the seen key: %s", e.message);
    is_str(agent_ssh_reason(e.code), "host_key_mismatch", "reason");
    agent_ssh_result_free(&r);

    t.pinned_host_key = pin;
    t.private_key = NULL;
    t.password = "wrong-password";
    rc = agent_ssh_exec(&t, "/system identity print", 0, 0, &r, &e);
    ok(rc != 0 && e.code == AGENT_SSH_AUTH, "bad password: auth_failed (%s)",
       e.message);
    agent_ssh_result_free(&r);

    t.port = 1;
    rc = agent_ssh_exec(&t, "/system identity print", 0, 0, &r, &e);
    ok(rc != 0 && e.code == AGENT_SSH_NETWORK, "closed port: network_error");
    agent_ssh_result_free(&r);
    free(key);
    return done_testing();
}
