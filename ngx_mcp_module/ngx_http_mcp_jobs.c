/*
 * ngx_http_mcp_jobs.c: tools/call: finds the tool, validates its arguments,
 * charges the rate limit; queues any job (tool, resource, completion) on
 * the mcp:jobs stream.
 */
#include "ngx_http_mcp.h"


static void
ngx_http_mcp_invalid_params(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const char *message)
{
    ngx_http_mcp_error(r, ctx->id, MCP_ERR_INVALID_PARAMS, 0, message, NULL);
}


static void
ngx_http_mcp_unknown_tool(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    json_t *name)
{
    u_char  *message, *p;
    size_t   len;

    len = sizeof("Unknown tool: ") - 1 + json_string_length(name);

    message = ngx_pnalloc(r->pool, len + 1);
    if (message == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    p = ngx_cpymem(message, "Unknown tool: ", sizeof("Unknown tool: ") - 1);
    p = ngx_cpymem(p, json_string_value(name), json_string_length(name));
    *p = '\0';

    ngx_http_mcp_invalid_params(r, ctx, (char *) message);
}


static void
ngx_http_mcp_forbidden(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    mcp_tier_t  allowed;

    allowed = ngx_http_mcp_identity(r)->max_tier;

    ngx_http_mcp_error(r, ctx->id, MCP_ERR_FORBIDDEN, NGX_HTTP_OK,
                       "Forbidden: the token's scopes do not allow this "
                       "tool's tier",
                       json_pack("{s:s, s:s, s:s}",
                                 "tool", ctx->tool->name,
                                 "tier", mcp_tier_name(ctx->tool->tier),
                                 "allowed", mcp_tier_name(allowed)));
}


/* Validated arguments (defaults applied) in ctx->arguments, or answers. */
static ngx_int_t
ngx_http_mcp_tools_arguments(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    char     err[512];
    json_t  *args;

    args = json_object_get(ctx->params, "arguments");

    if (args == NULL || json_is_null(args)) {
        ctx->arguments = json_object();

    } else if (!json_is_object(args)) {
        ngx_http_mcp_invalid_params(r, ctx, "arguments: must be an object");
        return NGX_DECLINED;

    } else {
        ctx->arguments = json_deep_copy(args);
    }

    if (ctx->arguments == NULL
        || mcp_schema_apply_defaults(ctx->tool->input_schema, ctx->arguments)
           != 0)
    {
        ngx_http_finalize_request(r, NGX_ERROR);
        return NGX_DECLINED;
    }

    if (mcp_schema_validate(ctx->tool->input_schema, ctx->arguments,
                            "arguments", err, sizeof(err))
        != 0)
    {
        ngx_http_mcp_invalid_params(r, ctx, err);
        return NGX_DECLINED;
    }

    return NGX_OK;
}


static char *
ngx_http_mcp_cstr(ngx_pool_t *pool, u_char *data, size_t len)
{
    u_char  *p;

    p = ngx_pnalloc(pool, len + 1);
    if (p == NULL) {
        return NULL;
    }

    /* an empty field may come with a NULL data pointer */
    if (len > 0) {
        ngx_memcpy(p, data, len);
    }
    p[len] = '\0';

    return (char *) p;
}


static void
ngx_http_mcp_queued(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    u_char  priming[MCP_JOB_ID_LEN + sizeof("/0-0")];

    if (ctx->answered) {
        return;
    }

    if (reply == NULL || reply->type != REDIS_REPLY_STRING) {
        ngx_http_mcp_jobs_forget(ctx);
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    ctx->queued = 1;

    /* a 2025-11-25 client may resume from the priming id <job>/0-0 */
    if (ctx->sse
        && (ngx_http_mcp_sse_start(r) != NGX_OK
            || (ngx_http_mcp_sse_primes(ctx)
                && ngx_http_mcp_sse_priming(r, priming,
                                            ngx_sprintf(priming, "%s/0-0",
                                                        ctx->job_id)
                                            - priming)
                   != NGX_OK)))
    {
        ctx->answered = 1;
        ngx_http_mcp_jobs_forget(ctx);
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    if (ctx->reread) {
        ngx_http_mcp_jobs_read(ctx);
    }
}


static ngx_int_t
ngx_http_mcp_enqueue(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    char                            *text;
    const char                      *argv[8];
    size_t                           argvlen[8];
    ngx_int_t                        rc;
    mcp_job_t                        job;
    ngx_time_t                      *tp;
    const ngx_http_mcp_identity_t   *identity;

    identity = ngx_http_mcp_identity(r);

    ngx_memzero(&job, sizeof(mcp_job_t));
    job.version = MCP_JOB_VERSION;
    ngx_memcpy(job.id, ctx->job_id, sizeof(job.id));
    job.kind = ctx->job_kind;
    job.name = ctx->job_name;
    job.arguments = ctx->arguments;
    job.subject = ngx_http_mcp_cstr(r->pool, identity->subject.data,
                                    identity->subject.len);
    job.session = ngx_http_mcp_cstr(r->pool, ctx->session.data,
                                    ctx->session.len);
    job.notify = (char *) ngx_http_mcp_jobs_channel()->data;
    tp = ngx_timeofday();
    job.deadline = (int64_t) tp->sec * 1000 + tp->msec + ctx->job_timeout;
    job.progress = ctx->progress_token != NULL;
    job.log_level = ngx_http_mcp_log_notify_level(ctx);

    if (job.subject == NULL || job.session == NULL) {
        return NGX_ERROR;
    }

    text = mcp_job_encode(&job);
    if (text == NULL) {
        return NGX_ERROR;
    }

    /* XADD mcp:jobs MAXLEN ~ <n> * job <json> */
    argv[0] = "XADD";
    argvlen[0] = 4;
    argv[1] = MCP_KEY_JOBS;
    argvlen[1] = sizeof(MCP_KEY_JOBS) - 1;
    argv[2] = "MAXLEN";
    argvlen[2] = 6;
    argv[3] = "~";
    argvlen[3] = 1;
    argv[4] = MCP_JOBS_MAXLEN;
    argvlen[4] = sizeof(MCP_JOBS_MAXLEN) - 1;
    argv[5] = "*";
    argvlen[5] = 1;
    argv[6] = MCP_JOB_FIELD;
    argvlen[6] = sizeof(MCP_JOB_FIELD) - 1;
    argv[7] = text;
    argvlen[7] = ngx_strlen(text);

    rc = ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_queued, 8, argv,
                                    argvlen);

    free(text);

    return rc;
}


void
ngx_http_mcp_tools_call(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    json_t                    *name, *meta, *token;
    ngx_int_t                  rc;
    ngx_msec_t                 retry;
    ngx_http_mcp_main_conf_t  *mcf;

    mcf = ngx_http_get_module_main_conf(r, ngx_mcp_module);

    /* a conformance test server answers the suite's tools only */
    if (mcf->conformance_fixtures) {
        ngx_http_mcp_fixtures_call(r, ctx);
        return;
    }

    name = json_object_get(ctx->params, "name");
    if (!json_is_string(name)) {
        ngx_http_mcp_invalid_params(r, ctx, "params.name: required string");
        return;
    }

    ctx->tool = mcp_catalog_find(&mcf->catalog, json_string_value(name),
                                 json_string_length(name));
    if (ctx->tool == NULL) {
        ngx_http_mcp_unknown_tool(r, ctx, name);
        return;
    }

    if (ctx->tool->tier > ngx_http_mcp_identity(r)->max_tier) {
        ngx_http_mcp_forbidden(r, ctx);
        return;
    }

    if (ngx_http_mcp_tools_arguments(r, ctx) != NGX_OK) {
        return;
    }

    meta = json_object_get(ctx->params, "_meta");
    token = json_object_get(meta, "progressToken");

    if (json_is_string(token) || json_is_integer(token)) {
        ctx->progress_token = token;
    }

    /* a batch is answered as one JSON array, so its members never stream;
     * log records need a stream too */
    ctx->sse = (ctx->progress_token != NULL || ctx->tool->long_running
                || ngx_http_mcp_log_notify_level(ctx) != NULL)
               && ctx->batch == NULL;

    rc = ngx_http_mcp_ratelimit_charge(r, ctx->tool, ctx->arguments, &retry);

    if (rc == NGX_BUSY) {
        ctx->outcome = "rate_limited";
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_RATE_LIMITED, NGX_HTTP_OK,
                           "Rate limited: retry later",
                           json_pack("{s:I}", "retry_after_ms",
                                     (json_int_t) retry));
        return;
    }

    if (rc != NGX_OK) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error", NULL);
        return;
    }

    ctx->job_kind = "tool";
    ctx->job_name = ctx->tool->name;
    ctx->job_timeout = (ngx_msec_t) ctx->tool->timeout_ms;

    ngx_http_mcp_jobs_submit(r, ctx);
}


/*
 * Queues the job described by ctx->job_kind, job_name, job_timeout and
 * ctx->arguments, and waits for its answer.
 */
void
ngx_http_mcp_jobs_submit(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ngx_int_t  rc;

    if (mcp_job_new_id(ctx->job_id) != 0) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error", NULL);
        return;
    }

    if (!ngx_http_mcp_redis_ready() || !ngx_http_mcp_redis_subscribed()) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    /* registered before XADD: the agent's wake-up may beat the XADD reply */
    ngx_http_mcp_jobs_wait(r, ctx);
    ngx_http_mcp_cancel_register(r, ctx);

    rc = ngx_http_mcp_enqueue(r, ctx);

    if (rc != NGX_OK) {
        ngx_http_mcp_jobs_forget(ctx);

        if (rc == NGX_DECLINED) {
            ngx_http_mcp_queue_unavailable(r, ctx);
            return;
        }

        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error: cannot encode the job", NULL);
    }
}
