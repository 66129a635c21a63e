/*
 * job.h: builds and parses the job JSON that travels on the mcp:jobs stream
 * (docs/internals.md). The module encodes, the agent decodes.
 */
#ifndef MCP_PROTOCOL_JOB_H
#define MCP_PROTOCOL_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define MCP_JOB_ID_LEN 32

typedef struct {
    int         version;
    char        id[MCP_JOB_ID_LEN + 1];
    const char *kind;       /* "tool" */
    const char *name;       /* tool name */
    json_t     *arguments;  /* object */
    const char *subject;    /* token subject or "anonymous" */
    const char *session;    /* may be "" */
    const char *notify;     /* pub/sub channel to wake the waiting worker */
    int64_t     deadline;   /* epoch ms */
    int         progress;   /* client asked for progress */
    const char *log_level;  /* client's logging level; NULL: no log records */
    json_t     *root;       /* owns the strings above after decode */
} mcp_job_t;

/* Fills id with 32 random hex characters (OpenSSL RAND_bytes). 0 or -1. */
int mcp_job_new_id(char id[MCP_JOB_ID_LEN + 1]);

/*
 * Serialises job (arguments borrowed) into a malloc'ed compact JSON string.
 * Returns NULL on OOM. The caller frees with free().
 */
char *mcp_job_encode(const mcp_job_t *job);

/*
 * Parses a job JSON. On success job->root owns all strings and arguments;
 * release with mcp_job_release. On failure returns -1 with err set.
 */
int mcp_job_decode(const char *json, size_t len, mcp_job_t *job, char *err,
    size_t errlen);

void mcp_job_release(mcp_job_t *job);

#endif
