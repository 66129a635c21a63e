/*
 * ssh.c: one RouterOS console command over SSH (libssh2): TCP connect with
 * a deadline, host-key pin check, key/password auth, capped output.
 */
#include "ssh.h"
#include "device_slots.h"

#include "../core/clock.h"
#include "cli_parse.h"
#include "cli_quote.h"

#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define AGENT_SSH_DEFAULT_BUDGET_MS 30000

static pthread_once_t agent_ssh_once = PTHREAD_ONCE_INIT;
static int            agent_ssh_init_rc;

static void
agent_ssh_global_init(void)
{
    agent_ssh_init_rc = libssh2_init(0);
}

static int
agent_ssh_fail(agent_ssh_err_t *err, agent_ssh_code_t code, const char *fmt,
    ...)
{
    va_list ap;

    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return -1;
}

/* Last libssh2 error: a timeout, a dropped connection or something else. */
static int
agent_ssh_fail_lib(agent_ssh_err_t *err, LIBSSH2_SESSION *s, const char *what,
    agent_ssh_code_t code)
{
    char *msg = NULL;
    int   rc = libssh2_session_last_error(s, &msg, NULL, 0);

    if (rc == LIBSSH2_ERROR_TIMEOUT) {
        code = AGENT_SSH_TIMEOUT;
    } else if (rc == LIBSSH2_ERROR_SOCKET_RECV || rc == LIBSSH2_ERROR_SOCKET_SEND
               || rc == LIBSSH2_ERROR_SOCKET_DISCONNECT) {
        code = AGENT_SSH_NETWORK;
    }
    return agent_ssh_fail(err, code, "%s: %s", what, msg ? msg : "failed");
}

static int
agent_ssh_remaining(int64_t deadline_ms)
{
    int64_t left = deadline_ms - agent_now_ms();

    return left <= 0 ? 0 : left > 3600000 ? 3600000 : (int) left;
}

/* Non-blocking connect bounded by the deadline, then blocking with
 * SO_RCVTIMEO/SO_SNDTIMEO so no later read can outlive the budget. */
static int
agent_ssh_connect(const agent_ssh_target_t *t, int64_t deadline_ms,
    agent_ssh_err_t *err)
{
    struct addrinfo hints, *res = NULL, *ai;
    struct pollfd   pfd;
    struct timeval  tv;
    char            port[16];
    int             fd = -1, rc, soerr, left;
    socklen_t       len;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%d", t->port);
    rc = getaddrinfo(t->host, port, &hints, &res);
    if (rc != 0) {
        return agent_ssh_fail(err, AGENT_SSH_NETWORK, "cannot resolve %s: %s",
                              t->host, gai_strerror(rc));
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC
                    | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            continue;
        }
        rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pfd.fd = fd;
            pfd.events = POLLOUT;
            left = agent_ssh_remaining(deadline_ms);
            rc = left > 0 ? poll(&pfd, 1, left) : 0;
            if (rc == 0) {
                close(fd);
                freeaddrinfo(res);
                return agent_ssh_fail(err, AGENT_SSH_TIMEOUT,
                                      "connect to %s:%d timed out", t->host,
                                      t->port);
            }
            len = sizeof(soerr);
            if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len)
                              == 0) {
                errno = soerr;
                rc = soerr == 0 ? 0 : -1;
            } else {
                rc = -1;
            }
        }
        if (rc == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        return agent_ssh_fail(err, AGENT_SSH_NETWORK,
                              "connect to %s:%d: %s", t->host, t->port,
                              strerror(errno));
    }
    left = agent_ssh_remaining(deadline_ms);
    tv.tv_sec = left / 1000;
    tv.tv_usec = (left % 1000) * 1000;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0
        || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0
        || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
        close(fd);
        return agent_ssh_fail(err, AGENT_SSH_NETWORK, "socket setup: %s",
                              strerror(errno));
    }
    return fd;
}

/* "SHA256:" + unpadded base64, the form OpenSSH prints. */
static int
agent_ssh_fingerprint(LIBSSH2_SESSION *s, char *out)
{
    const unsigned char *hash;
    unsigned char        b64[48];
    int                  n;

    hash = (const unsigned char *) libssh2_hostkey_hash(
        s, LIBSSH2_HOSTKEY_HASH_SHA256);
    if (hash == NULL) {
        return -1;
    }
    n = EVP_EncodeBlock(b64, hash, 32);
    while (n > 0 && b64[n - 1] == '=') {
        n--;
    }
    snprintf(out, AGENT_SSH_FP_LEN, "SHA256:%.*s", n, (const char *) b64);
    return 0;
}

static int
agent_ssh_auth(LIBSSH2_SESSION *s, const agent_ssh_target_t *t,
    agent_ssh_err_t *err)
{
    unsigned int ulen = (unsigned int) strlen(t->username);

    if (t->private_key != NULL
        && libssh2_userauth_publickey_frommemory(s, t->username, ulen, NULL,
               0, t->private_key, strlen(t->private_key), t->passphrase)
               == 0) {
        return 0;
    }
    if (t->password != NULL
        && libssh2_userauth_password_ex(s, t->username, ulen, t->password,
               (unsigned int) strlen(t->password), NULL) == 0) {
        return 0;
    }
    if (libssh2_session_last_errno(s) == LIBSSH2_ERROR_TIMEOUT) {
        return agent_ssh_fail_lib(err, s, "authentication", AGENT_SSH_TIMEOUT);
    }
    return agent_ssh_fail(err, AGENT_SSH_AUTH, "SSH authentication of %s "
                          "refused by %s", t->username, t->host);
}

typedef struct {
    char   *buf;
    size_t  len, cap;
} agent_ssh_buf_t;

static int
agent_ssh_append(agent_ssh_buf_t *b, const char *data, size_t n, size_t max)
{
    char  *grown;
    size_t cap;

    if (b->len + n > max) {
        return -1;
    }
    if (b->len + n + 1 > b->cap) {
        cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        grown = realloc(b->buf, cap);
        if (grown == NULL) {
            return -1;
        }
        b->buf = grown;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, data, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

/* Drains stdout and stderr without blocking on either, so a chatty stderr
 * cannot stall the window while we wait on stdout. */
static int
agent_ssh_collect(LIBSSH2_SESSION *s, LIBSSH2_CHANNEL *ch, int fd,
    int64_t deadline_ms, size_t max, agent_ssh_buf_t *out,
    agent_ssh_buf_t *errb, agent_ssh_err_t *err)
{
    char          chunk[16384];
    ssize_t       n;
    int           progress, stream, dir, left;
    struct pollfd pfd;

    libssh2_session_set_blocking(s, 0);
    for (;;) {
        progress = 0;
        for (stream = 0; stream < 2; stream++) {
            while ((n = libssh2_channel_read_ex(ch, stream, chunk,
                                                sizeof(chunk))) > 0) {
                progress = 1;
                if (agent_ssh_append(stream ? errb : out, chunk, (size_t) n,
                                     max) != 0) {
                    return agent_ssh_fail(err, AGENT_SSH_PROTOCOL,
                                          "command output exceeds %zu bytes",
                                          max);
                }
            }
            if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
                return agent_ssh_fail_lib(err, s, "reading output",
                                          AGENT_SSH_PROTOCOL);
            }
        }
        if (libssh2_channel_eof(ch)) {
            return 0;
        }
        if (progress) {
            continue;
        }
        left = agent_ssh_remaining(deadline_ms);
        if (left == 0) {
            return agent_ssh_fail(err, AGENT_SSH_TIMEOUT,
                                  "command did not finish in time");
        }
        dir = libssh2_session_block_directions(s);
        pfd.fd = fd;
        pfd.events = (short) (((dir & LIBSSH2_SESSION_BLOCK_INBOUND) ? POLLIN
                                                                     : 0)
                              | ((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
                                     ? POLLOUT : 0));
        if (pfd.events == 0) {
            pfd.events = POLLIN;
        }
        if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
            return agent_ssh_fail(err, AGENT_SSH_NETWORK, "poll: %s",
                                  strerror(errno));
        }
    }
}

static int
agent_ssh_run(LIBSSH2_SESSION *s, int fd, const char *command,
    int64_t deadline_ms, size_t max, agent_ssh_result_t *res,
    agent_ssh_err_t *err)
{
    LIBSSH2_CHANNEL *ch;
    agent_ssh_buf_t  out = { NULL, 0, 0 }, errb = { NULL, 0, 0 };
    int              rc;

    ch = libssh2_channel_open_session(s);
    if (ch == NULL) {
        return agent_ssh_fail_lib(err, s, "opening a channel",
                                  AGENT_SSH_PROTOCOL);
    }
    if (libssh2_channel_exec(ch, command) != 0) {
        rc = agent_ssh_fail_lib(err, s, "exec", AGENT_SSH_PROTOCOL);
        libssh2_channel_free(ch);
        return rc;
    }
    rc = agent_ssh_collect(s, ch, fd, deadline_ms, max, &out, &errb, err);
    if (rc == 0) {
        libssh2_session_set_blocking(s, 1);
        libssh2_channel_close(ch);
        libssh2_channel_wait_closed(ch);
        res->exit_status = libssh2_channel_get_exit_status(ch);
        err->exit_status = res->exit_status;
    }
    libssh2_session_set_blocking(s, 1);
    libssh2_channel_free(ch);
    res->out = out.buf ? out.buf : strdup("");
    res->out_len = out.len;
    res->err_out = errb.buf ? errb.buf : strdup("");
    res->err_len = errb.len;
    if (rc == 0 && (res->out == NULL || res->err_out == NULL)) {
        return agent_ssh_fail(err, AGENT_SSH_PROTOCOL, "out of memory");
    }
    return rc;
}

static int
agent_ssh_session(const agent_ssh_target_t *t, const char *command,
    int64_t deadline_ms, size_t max_output, agent_ssh_result_t *res,
    agent_ssh_err_t *err)
{
    LIBSSH2_SESSION *s;
    char             line[256];
    int              fd, rc = -1;

    memset(res, 0, sizeof(*res));
    res->exit_status = -1;
    memset(err, 0, sizeof(*err));
    err->exit_status = -1;
    err->attempts = 1;
    if (deadline_ms == 0) {
        deadline_ms = agent_now_ms() + AGENT_SSH_DEFAULT_BUDGET_MS;
    }
    if (max_output == 0) {
        max_output = AGENT_SSH_MAX_OUTPUT;
    }
    if (!agent_cli_command_allowed(command)) {
        return agent_ssh_fail(err, AGENT_SSH_REJECTED, "command is not in "
                              "the SSH allow-list");
    }
    if (t->username == NULL || (t->password == NULL
                                && t->private_key == NULL)) {
        return agent_ssh_fail(err, AGENT_SSH_NO_CREDENTIAL, "device %s has "
                              "no SSH password or key", t->host);
    }
    pthread_once(&agent_ssh_once, agent_ssh_global_init);
    if (agent_ssh_init_rc != 0) {
        return agent_ssh_fail(err, AGENT_SSH_PROTOCOL, "libssh2_init failed");
    }
    fd = agent_ssh_connect(t, deadline_ms, err);
    if (fd < 0) {
        return -1;
    }
    s = libssh2_session_init();
    if (s == NULL) {
        close(fd);
        return agent_ssh_fail(err, AGENT_SSH_PROTOCOL, "out of memory");
    }
    libssh2_session_set_blocking(s, 1);
    libssh2_session_set_timeout(s, agent_ssh_remaining(deadline_ms) + 1);
    if (libssh2_session_handshake(s, fd) != 0) {
        agent_ssh_fail_lib(err, s, "SSH handshake", AGENT_SSH_PROTOCOL);
        goto done;
    }
    if (agent_ssh_fingerprint(s, res->host_key) != 0) {
        agent_ssh_fail(err, AGENT_SSH_PROTOCOL, "no host key hash");
        goto done;
    }
    /* The pin is checked before any credential leaves the agent. */
    if (t->pinned_host_key != NULL && t->pinned_host_key[0] != '\0') {
        if (strcmp(t->pinned_host_key, res->host_key) != 0) {
            agent_ssh_fail(err, AGENT_SSH_HOST_KEY, "host key of %s:%d is "
                           "%s, but %s is pinned: refusing to connect "
                           "(re-pin only after verifying the device)",
                           t->host, t->port, res->host_key,
                           t->pinned_host_key);
            goto done;
        }
    } else {
        res->host_key_first_use = 1;
    }
    if (agent_ssh_auth(s, t, err) != 0) {
        goto done;
    }
    libssh2_session_set_timeout(s, agent_ssh_remaining(deadline_ms) + 1);
    if (agent_ssh_run(s, fd, command, deadline_ms, max_output, res, err)
        != 0) {
        goto done;
    }
    if (agent_cli_error(res->out, line, sizeof(line))) {
        agent_ssh_fail(err, AGENT_SSH_COMMAND, "RouterOS: %s", line);
        goto done;
    }
    rc = 0;
done:
    libssh2_session_set_blocking(s, 1);
    libssh2_session_set_timeout(s, 1000);
    libssh2_session_disconnect(s, "done");
    libssh2_session_free(s);
    close(fd);
    return rc;
}

int
agent_ssh_exec(const agent_ssh_target_t *t, const char *command,
    int64_t deadline_ms, size_t max_output, agent_ssh_result_t *res,
    agent_ssh_err_t *err)
{
    int rc;

    if (deadline_ms == 0) {
        deadline_ms = agent_now_ms() + AGENT_SSH_DEFAULT_BUDGET_MS;
    }
    if (agent_slot_acquire(t->host, deadline_ms) != 0) {
        memset(res, 0, sizeof(*res));
        res->exit_status = -1;
        memset(err, 0, sizeof(*err));
        err->exit_status = -1;
        return agent_ssh_fail(err, AGENT_SSH_TIMEOUT, "the deadline passed "
                              "while %s had its maximum of calls in flight",
                              t->host);
    }
    rc = agent_ssh_session(t, command, deadline_ms, max_output, res, err);
    agent_slot_release(t->host);
    return rc;
}

void
agent_ssh_result_free(agent_ssh_result_t *res)
{
    free(res->out);
    free(res->err_out);
    res->out = NULL;
    res->err_out = NULL;
}

const char *
agent_ssh_reason(agent_ssh_code_t code)
{
    switch (code) {
    case AGENT_SSH_OK:
        return "ok";
    case AGENT_SSH_TIMEOUT:
        return "timeout";
    case AGENT_SSH_NETWORK:
        return "network_error";
    case AGENT_SSH_AUTH:
        return "auth_failed";
    case AGENT_SSH_HOST_KEY:
        return "host_key_mismatch";
    case AGENT_SSH_PROTOCOL:
        return "protocol_error";
    case AGENT_SSH_COMMAND:
        return "command_failed";
    case AGENT_SSH_REJECTED:
        return "rejected";
    case AGENT_SSH_NO_CREDENTIAL:
        return "no_credential";
    }
    return "protocol_error";
}
