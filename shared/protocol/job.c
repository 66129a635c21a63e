/*
 * job.c: the job message of the mcp:jobs stream, encoded by the module and
 * decoded (strictly) by the agent; docs/internals.md describes the fields.
 */
#include "job.h"
#include "keys.h"
#include "../util/hex.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

int
mcp_job_new_id(char id[MCP_JOB_ID_LEN + 1])
{
    unsigned char raw[MCP_JOB_ID_LEN / 2];

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        return -1;
    }
    mcp_hex_encode(raw, sizeof(raw), id);
    return 0;
}

char *
mcp_job_encode(const mcp_job_t *job)
{
    json_t *o;
    char   *s;

    o = json_pack("{s:i, s:s, s:s, s:s, s:O, s:s, s:s, s:I, s:b, s:s}",
                  "v", MCP_JOB_VERSION,
                  "id", job->id,
                  "kind", job->kind,
                  "name", job->name,
                  "arguments", job->arguments,
                  "subject", job->subject,
                  "session", job->session ? job->session : "",
                  "deadline", (json_int_t) job->deadline,
                  "progress", job->progress,
                  "notify", job->notify);
    if (o == NULL) {
        return NULL;
    }
    if (job->log_level != NULL &&
        json_object_set_new(o, "log_level", json_string(job->log_level)) != 0)
    {
        json_decref(o);
        return NULL;
    }
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static int
mcp_job_valid_id(const char *id)
{
    size_t i;

    if (strlen(id) != MCP_JOB_ID_LEN) {
        return 0;
    }
    for (i = 0; i < MCP_JOB_ID_LEN; i++) {
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
        {
            return 0;
        }
    }
    return 1;
}

int
mcp_job_decode(const char *json, size_t len, mcp_job_t *job, char *err,
    size_t errlen)
{
    json_error_t jerr;
    const char  *id;
    json_int_t   version, deadline;
    int          progress;

    memset(job, 0, sizeof(*job));
    job->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (job->root == NULL) {
        snprintf(err, errlen, "job is not JSON: %s", jerr.text);
        return -1;
    }
    if (json_unpack_ex(job->root, &jerr, 0,
                       "{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:b, s:s}",
                       "v", &version, "id", &id, "kind", &job->kind,
                       "name", &job->name, "arguments", &job->arguments,
                       "subject", &job->subject, "session", &job->session,
                       "deadline", &deadline, "progress", &progress,
                       "notify", &job->notify) != 0)
    {
        snprintf(err, errlen, "job is malformed: %s", jerr.text);
        goto fail;
    }
    if (version != MCP_JOB_VERSION) {
        snprintf(err, errlen, "job version %lld is not %d",
            (long long) version, MCP_JOB_VERSION);
        goto fail;
    }
    if (!mcp_job_valid_id(id)) {
        snprintf(err, errlen, "job id is not %d hex characters",
            MCP_JOB_ID_LEN);
        goto fail;
    }
    if (!json_is_object(job->arguments)) {
        snprintf(err, errlen, "job arguments are not an object");
        goto fail;
    }
    memcpy(job->id, id, MCP_JOB_ID_LEN + 1);
    job->version = (int) version;
    job->deadline = (int64_t) deadline;
    job->progress = progress;
    job->log_level = json_string_value(json_object_get(job->root,
                                                       "log_level"));
    return 0;

fail:
    mcp_job_release(job);
    return -1;
}

void
mcp_job_release(mcp_job_t *job)
{
    json_decref(job->root);
    memset(job, 0, sizeof(*job));
}
