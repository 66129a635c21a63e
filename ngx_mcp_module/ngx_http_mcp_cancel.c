/*
 * ngx_http_mcp_cancel.c: notifications/cancelled: the request id of a queued
 * job maps to its job id in Redis, so any worker can set the job's cancel key.
 */
#include "ngx_http_mcp.h"


/* mcp:req:{<session>}:<request id as compact JSON>, from the pool. */
static ngx_int_t
ngx_http_mcp_request_key(ngx_http_request_t *r, ngx_str_t *session,
    json_t *id, ngx_str_t *key)
{
    char    *text;
    u_char   sid[NGX_HTTP_MCP_SESSION_ID_LEN + 1];
    size_t   len;

    if (session->len != NGX_HTTP_MCP_SESSION_ID_LEN) {
        return NGX_ERROR;
    }

    ngx_memcpy(sid, session->data, NGX_HTTP_MCP_SESSION_ID_LEN);
    sid[NGX_HTTP_MCP_SESSION_ID_LEN] = '\0';

    text = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL) {
        return NGX_ERROR;
    }

    len = sizeof(MCP_KEY_REQUEST_FMT) + NGX_HTTP_MCP_SESSION_ID_LEN
          + ngx_strlen(text);

    key->data = ngx_pnalloc(r->pool, len);
    if (key->data == NULL) {
        free(text);
        return NGX_ERROR;
    }

    key->len = ngx_snprintf(key->data, len, MCP_KEY_REQUEST_FMT, sid, text)
               - key->data;
    free(text);

    return NGX_OK;
}


/* mcp:job:{<id>}:request: who may resume the job's stream, and how. */
static void
ngx_http_mcp_request_record(ngx_http_mcp_ctx_t *ctx, u_char *ttl,
    size_t ttl_len)
{
    char         *value;
    u_char        key[MCP_KEY_MAX];
    json_t       *record;
    ngx_time_t   *tp;
    const char   *argv[5];
    size_t        argvlen[5];

    tp = ngx_timeofday();

    record = json_pack("{s:s%, s:O, s:I}", "session",
                       (char *) ctx->session.data, ctx->session.len,
                       "id", ctx->id, "deadline",
                       (json_int_t) tp->sec * 1000 + tp->msec
                       + ctx->job_timeout);
    if (record == NULL) {
        return;
    }

    if (ctx->progress_token != NULL) {
        json_object_set(record, "progressToken", ctx->progress_token);
    }

    value = json_dumps(record, JSON_COMPACT);
    json_decref(record);
    if (value == NULL) {
        return;
    }

    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_snprintf(key, sizeof(key), MCP_KEY_JOB_REQUEST_FMT,
                              ctx->job_id)
                 - key;
    argv[2] = value;
    argvlen[2] = ngx_strlen(value);
    argv[3] = "EX";
    argvlen[3] = 2;
    argv[4] = (char *) ttl;
    argvlen[4] = ttl_len;

    (void) ngx_http_mcp_redis_fire(5, argv, argvlen);
    free(value);
}


/*
 * Records request id → job id and the job's request; both live as long as
 * the job's events may.
 */
void
ngx_http_mcp_cancel_register(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_str_t    key;
    const char  *argv[5];
    size_t       argvlen[5];
    u_char       ttl[NGX_TIME_T_LEN];

    if (ctx->session.len == 0 || ctx->id == NULL
        || ngx_http_mcp_request_key(r, &ctx->session, ctx->id, &key)
           != NGX_OK)
    {
        return;
    }

    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) key.data;
    argvlen[1] = key.len;
    argv[2] = ctx->job_id;
    argvlen[2] = MCP_JOB_ID_LEN;
    argv[3] = "EX";
    argvlen[3] = 2;
    argv[4] = (char *) ttl;
    argvlen[4] = ngx_sprintf(ttl, "%M",
                             ctx->job_timeout / 1000 + MCP_JOB_EVENTS_TTL_S)
                 - ttl;

    (void) ngx_http_mcp_redis_fire(5, argv, argvlen);

    ngx_http_mcp_request_record(ctx, ttl, argvlen[4]);
}


/* SET mcp:job:{<id>}:cancel <by> EX <events TTL>, into key, argv,
 * argvlen; by is MCP_CANCEL_BY_CLIENT or MCP_CANCEL_BY_DEADLINE. */
static void
ngx_http_mcp_cancel_argv(const char *job_id, const char *by, u_char *key,
    const char **argv, size_t *argvlen)
{
    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_snprintf(key, MCP_KEY_MAX, MCP_KEY_JOB_CANCEL_FMT,
                              job_id)
                 - key;
    argv[2] = by;
    argvlen[2] = ngx_strlen(by);
    argv[3] = "EX";
    argvlen[3] = 2;
    argv[4] = ngx_value(MCP_JOB_EVENTS_TTL_S);
    argvlen[4] = ngx_strlen(argv[4]);
}


/* Sets the job's cancel key without waiting: the agent stops between steps. */
void
ngx_http_mcp_cancel_job(const char *job_id, const char *by)
{
    u_char       key[MCP_KEY_MAX];
    const char  *argv[5];
    size_t       argvlen[5];

    ngx_http_mcp_cancel_argv(job_id, by, key, argv, argvlen);

    (void) ngx_http_mcp_redis_fire(5, argv, argvlen);
}


static void
ngx_http_mcp_cancel_set(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
}


static void
ngx_http_mcp_cancel_found(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    u_char       key[MCP_KEY_MAX];
    char         job[MCP_JOB_ID_LEN + 1];
    const char  *argv[5];
    size_t       argvlen[5];

    /* unknown or finished requests are ignored, as the spec allows */
    if (reply == NULL || reply->type != REDIS_REPLY_STRING
        || reply->len != MCP_JOB_ID_LEN)
    {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
        return;
    }

    ngx_memcpy(job, reply->str, MCP_JOB_ID_LEN);
    job[MCP_JOB_ID_LEN] = '\0';

    ngx_http_mcp_cancel_argv(job, MCP_CANCEL_BY_CLIENT, key, argv, argvlen);

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_cancel_set, 5, argv,
                                   argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
    }
}


/* Answered 202 once the cancel key is set (or nothing was found to cancel). */
void
ngx_http_mcp_cancelled(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    json_t      *rid;
    ngx_str_t    key;
    const char  *argv[2];
    size_t       argvlen[2];

    rid = json_object_get(ctx->params, "requestId");

    if ((!json_is_string(rid) && !json_is_integer(rid))
        || ctx->session.len == 0
        || ngx_http_mcp_request_key(r, &ctx->session, rid, &key) != NGX_OK)
    {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
        return;
    }

    argv[0] = "GET";
    argvlen[0] = 3;
    argv[1] = (char *) key.data;
    argvlen[1] = key.len;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_cancel_found, 2, argv,
                                   argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_finish(r, NGX_HTTP_ACCEPTED, NULL, 0);
    }
}
