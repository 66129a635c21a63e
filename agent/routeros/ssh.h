/*
 * ssh.h: RouterOS SSH client (libssh2, blocking per worker thread) running
 * one allow-listed console command with host-key pinning (trust on first use).
 */
#ifndef AGENT_ROUTEROS_SSH_H
#define AGENT_ROUTEROS_SSH_H

#include <stddef.h>
#include <stdint.h>

/* Same shape and reason vocabulary as agent_rest_err_t (rest.h). */
typedef enum {
    AGENT_SSH_OK = 0,
    AGENT_SSH_TIMEOUT,         /* no answer within the time budget */
    AGENT_SSH_NETWORK,         /* refused, reset, closed */
    AGENT_SSH_AUTH,            /* password/key refused */
    AGENT_SSH_HOST_KEY,        /* host key differs from the pinned one */
    AGENT_SSH_PROTOCOL,        /* SSH failure, output over the size cap */
    AGENT_SSH_COMMAND,         /* RouterOS printed a console error */
    AGENT_SSH_REJECTED,        /* not allow-listed / value not quotable */
    AGENT_SSH_NO_CREDENTIAL    /* neither password nor key */
} agent_ssh_code_t;

typedef struct {
    agent_ssh_code_t code;
    int              exit_status;  /* remote exit status, -1 when none */
    int              attempts;
    char             message[512];
} agent_ssh_err_t;

#define AGENT_SSH_FP_LEN 51        /* "SHA256:" + 43 base64 chars + NUL */
#define AGENT_SSH_MAX_OUTPUT (1024 * 1024)

typedef struct {
    const char *host;              /* IP address or name */
    int         port;
    const char *username;
    const char *password;          /* NULL when key auth */
    const char *private_key;       /* PEM/OpenSSH text in memory, or NULL */
    const char *passphrase;        /* of private_key, or NULL */
    const char *pinned_host_key;   /* "SHA256:…"; NULL = first use */
} agent_ssh_target_t;

typedef struct {
    char   *out;                   /* stdout, NUL-terminated (malloc) */
    size_t  out_len;
    char   *err_out;               /* stderr, NUL-terminated (malloc) */
    size_t  err_len;
    int     exit_status;
    char    host_key[AGENT_SSH_FP_LEN];  /* seen fingerprint */
    int     host_key_first_use;    /* 1: nothing was pinned; record it */
} agent_ssh_result_t;

/*
 * Connects to target, checks the host key (refusing a mismatch with the
 * pinned one before authenticating), authenticates (key first, then
 * password), runs command and collects stdout/stderr up to max_output bytes
 * each (0 = AGENT_SSH_MAX_OUTPUT) until deadline_ms (epoch ms; 0 = 30 s
 * from now). A console error printed by RouterOS is AGENT_SSH_COMMAND with
 * the line in the message (res still filled). 0 or -1 with err; release
 * res with agent_ssh_result_free either way.
 */
int agent_ssh_exec(const agent_ssh_target_t *target, const char *command,
    int64_t deadline_ms, size_t max_output, agent_ssh_result_t *res,
    agent_ssh_err_t *err);

void agent_ssh_result_free(agent_ssh_result_t *res);

/* timeout, network_error, auth_failed, host_key_mismatch, protocol_error,
 * command_failed, rejected, no_credential. */
const char *agent_ssh_reason(agent_ssh_code_t code);

#endif
