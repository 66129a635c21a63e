/*
 * ngx_http_mcp_session.c: MCP sessions kept in Redis (mcp:session:<sid>), so
 * any worker of any node serves any session: create, check, delete.
 */
#include <openssl/rand.h>
#include "ngx_http_mcp.h"


ngx_int_t
ngx_http_mcp_session_id_valid(ngx_str_t *sid)
{
    size_t  i;

    if (sid->len != NGX_HTTP_MCP_SESSION_ID_LEN) {
        return 0;
    }

    for (i = 0; i < sid->len; i++) {
        if (!((sid->data[i] >= '0' && sid->data[i] <= '9')
              || (sid->data[i] >= 'a' && sid->data[i] <= 'f')))
        {
            return 0;
        }
    }

    return 1;
}


void
ngx_http_mcp_queue_unavailable(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    ctx->outcome = "unavailable";

    ngx_http_mcp_error(r, ctx->id, MCP_ERR_QUEUE_UNAVAILABLE, NGX_HTTP_OK,
                       "Queue unavailable: Redis is not reachable, "
                       "retry later",
                       json_pack("{s:s}", "reason",
                                 mcp_err_name(MCP_ERR_QUEUE_UNAVAILABLE)));
}


static size_t
ngx_http_mcp_session_key(u_char *buf, size_t size, u_char *sid)
{
    return ngx_snprintf(buf, size, MCP_KEY_SESSION_FMT, sid) - buf;
}


static void
ngx_http_mcp_session_created(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    ngx_table_elt_t  *h;

    if (reply == NULL || reply->type != REDIS_REPLY_STATUS) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if (ctx->legacy_stream) {
        ngx_http_mcp_legacy_created(r, ctx);
        return;
    }

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Mcp-Session-Id");
    h->value.data = ctx->sid;
    h->value.len = NGX_HTTP_MCP_SESSION_ID_LEN;

    ngx_http_mcp_result(r, ctx->id,
                        ngx_http_mcp_initialize_result(r, ctx->version));
}


void
ngx_http_mcp_session_create(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    const char *version)
{
    char                            *value;
    u_char                           key[MCP_KEY_MAX], ttl[NGX_TIME_T_LEN];
    json_t                          *session, *caps;
    const char                      *argv[5];
    size_t                           argvlen[5];
    ngx_int_t                        rc;
    const ngx_http_mcp_identity_t   *identity;
    ngx_http_mcp_loc_conf_t         *lcf;

    ctx->version = version;

    if (!ngx_http_mcp_redis_ready()) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if (mcp_job_new_id((char *) ctx->sid) != 0) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_INTERNAL, NGX_HTTP_OK,
                           "Internal error: no random session id", NULL);
        return;
    }

    identity = ngx_http_mcp_identity(r);
    lcf = ngx_http_get_module_loc_conf(r, ngx_mcp_module);

    /* what the client declared decides which requests the server may send
     * it (sampling, elicitation: ngx_http_mcp_ask.c) */
    caps = json_object_get(ctx->params, "capabilities");

    session = json_pack("{s:s, s:s%, s:I, s:o}", "version", version,
                        "subject", identity->subject.data,
                        identity->subject.len,
                        "created", (json_int_t) ngx_time(),
                        "capabilities",
                        json_is_object(caps) ? json_incref(caps)
                                             : json_object());
    value = session ? json_dumps(session, JSON_COMPACT) : NULL;
    json_decref(session);

    if (value == NULL) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    argv[0] = "SET";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_session_key(key, sizeof(key), ctx->sid);
    argv[2] = value;
    argvlen[2] = ngx_strlen(value);
    argv[3] = "EX";
    argvlen[3] = 2;
    argv[4] = (char *) ttl;
    argvlen[4] = ngx_sprintf(ttl, "%T", lcf->session_ttl) - ttl;

    rc = ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_session_created, 5,
                                    argv, argvlen);
    free(value);

    if (rc != NGX_OK) {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}


static void
ngx_http_mcp_session_checked(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    json_t                          *session, *subject;
    ngx_int_t                        same;
    const ngx_http_mcp_identity_t   *identity;

    if (reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if (reply->type != REDIS_REPLY_STRING) {
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return;
    }

    /* a session belongs to the subject that created it */
    session = json_loadb(reply->str, reply->len, 0, NULL);
    subject = json_object_get(session, "subject");
    identity = ngx_http_mcp_identity(r);

    same = json_is_string(subject)
           && json_string_length(subject) == identity->subject.len
           && ngx_strncmp(json_string_value(subject), identity->subject.data,
                          identity->subject.len)
              == 0;

    if (!same) {
        json_decref(session);
        ngx_http_mcp_error(r, ctx->id, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return;
    }

    ctx->session_data = session;

    /* a 2024-11-05 POST is answered 202 only now, its session being the
     * caller's: then its stream is looked up */
    if (ctx->legacy && !ctx->streaming) {
        ngx_http_mcp_legacy_find(r, ctx);
        return;
    }

    ngx_http_mcp_dispatch(r, ctx);
}


/* GETEX refreshes the TTL on every use. */
void
ngx_http_mcp_session_check(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx)
{
    u_char                    key[MCP_KEY_MAX], sid[NGX_HTTP_MCP_SESSION_ID_LEN
                                                    + 1];
    u_char                    ttl[NGX_TIME_T_LEN];
    const char               *argv[4];
    size_t                    argvlen[4];
    ngx_http_mcp_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_mcp_module);

    ngx_memcpy(sid, ctx->session.data, NGX_HTTP_MCP_SESSION_ID_LEN);
    sid[NGX_HTTP_MCP_SESSION_ID_LEN] = '\0';

    argv[0] = "GETEX";
    argvlen[0] = 5;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_session_key(key, sizeof(key), sid);
    argv[2] = "EX";
    argvlen[2] = 2;
    argv[3] = (char *) ttl;
    argvlen[3] = ngx_sprintf(ttl, "%T", lcf->session_ttl) - ttl;

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_session_checked, 4,
                                   argv, argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }
}


static void
ngx_http_mcp_session_deleted(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    redisReply *reply)
{
    if (reply == NULL || reply->type != REDIS_REPLY_INTEGER) {
        ngx_http_mcp_queue_unavailable(r, ctx);
        return;
    }

    if (reply->integer == 0) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return;
    }

    ngx_http_mcp_finish(r, NGX_HTTP_NO_CONTENT, NULL, 0);
}


/* DELETE with Mcp-Session-Id ends the session (content-phase entry). */
ngx_int_t
ngx_http_mcp_session_delete(ngx_http_request_t *r)
{
    u_char               key[MCP_KEY_MAX], sid[NGX_HTTP_MCP_SESSION_ID_LEN + 1];
    ngx_str_t           *h;
    const char          *argv[2];
    size_t               argvlen[2];
    ngx_http_mcp_ctx_t  *ctx;

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        r->keepalive = 0;
    }

    ctx = ngx_http_mcp_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->main->count++;

    h = ngx_http_mcp_header(r, "Mcp-Session-Id", 14);

    if (h == NULL) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_SESSION_REQUIRED, 0,
                           "Bad Request: Mcp-Session-Id header is required",
                           NULL);
        return NGX_DONE;
    }

    if (!ngx_http_mcp_session_id_valid(h)) {
        ngx_http_mcp_error(r, NULL, MCP_ERR_SESSION_NOT_FOUND, 0,
                           "Session not found", NULL);
        return NGX_DONE;
    }

    ngx_memcpy(sid, h->data, NGX_HTTP_MCP_SESSION_ID_LEN);
    sid[NGX_HTTP_MCP_SESSION_ID_LEN] = '\0';

    argv[0] = "DEL";
    argvlen[0] = 3;
    argv[1] = (char *) key;
    argvlen[1] = ngx_http_mcp_session_key(key, sizeof(key), sid);

    if (ngx_http_mcp_redis_command(r, ctx, ngx_http_mcp_session_deleted, 2,
                                   argv, argvlen)
        != NGX_OK)
    {
        ngx_http_mcp_queue_unavailable(r, ctx);
    }

    return NGX_DONE;
}
