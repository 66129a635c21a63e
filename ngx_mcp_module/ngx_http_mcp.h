/*
 * ngx_http_mcp.h: private header of the MCP endpoint: configuration, the
 * per-request context and the functions the endpoint's files share.
 */
#ifndef NGX_HTTP_MCP_H
#define NGX_HTTP_MCP_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include <jansson.h>
#include <hiredis/hiredis.h>
#include "../shared/protocol/errors.h"
#include "../shared/protocol/job.h"
#include "../shared/protocol/keys.h"
#include "../shared/protocol/envelope.h"
#include "../shared/protocol/modern.h"
#include "../shared/protocol/levels.h"
#include "../shared/catalog/catalog.h"
#include "../shared/schema/schema.h"
#include "../shared/prompts/prompts.h"
#include "ngx_http_mcp_auth.h"
#include "ngx_http_mcp_metrics.h"

#define NGX_HTTP_MCP_SESSION_ID_LEN  32
#define NGX_HTTP_MCP_SERVER_NAME     "routeros-mcp"
#define NGX_HTTP_MCP_SERVER_VERSION  "0.1.0"
#define NGX_HTTP_MCP_EVENT_ID_LEN    64
#define NGX_HTTP_MCP_SSE_RETRY_MS    "3000"

typedef struct {
    ngx_str_t          redis;           /* as written in mcp_redis */
    ngx_str_t          redis_host;      /* NUL-terminated IP literal */
    ngx_int_t          redis_port;
    ngx_str_t          redis_unix;      /* NUL-terminated socket path */
    ngx_msec_t         redis_timeout;
    ngx_str_t          catalog_dir;
    ngx_str_t          node_name;
    mcp_catalog_t      catalog;
    /* pre-rendered tools/list pages (ngx_str_t), per highest allowed tier */
    ngx_array_t        tools_pages[MCP_TIER_PROFESSIONAL + 1];
    ngx_uint_t         tools_page_size;
    ngx_flag_t         conformance_fixtures;
    mcp_prompts_t      prompts;         /* empty without mcp_prompts */
    ngx_str_t          prompts_list;    /* pre-rendered prompts/list */
    ngx_flag_t         used;            /* some location has mcp_endpoint */
} ngx_http_mcp_main_conf_t;

typedef struct {
    ngx_flag_t         endpoint;
    time_t             session_ttl;
    ngx_array_t       *allowed_origins; /* ngx_str_t; NULL: loopback only */
} ngx_http_mcp_loc_conf_t;

typedef struct ngx_http_mcp_ctx_s  ngx_http_mcp_ctx_t;

typedef void (*ngx_http_mcp_reply_pt)(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, redisReply *reply);

/* Links one Redis command to its request; outlives the request if needed. */
typedef struct {
    ngx_http_request_t       *request;
    ngx_http_mcp_reply_pt     handler;
} ngx_http_mcp_waiter_t;

struct ngx_http_mcp_ctx_s {
    ngx_http_request_t       *request;
    json_t                   *message;     /* parsed body (owned) */
    json_t                   *id;          /* borrowed from message */
    json_t                   *params;      /* borrowed from message */
    ngx_str_t                 method;
    ngx_str_t                 session;     /* Mcp-Session-Id from the client */
    json_t                   *session_data;  /* its Redis record (owned) */

    /* a 2025-03-26 batch: the batch's context and the member's */
    ngx_array_t              *answers;     /* ngx_str_t, of the batch */
    size_t                    batch_next;  /* next member to run */
    ngx_http_mcp_ctx_t       *batch;       /* of a member: its batch */

    /* GET: the standalone stream or a resumed tool call stream */
    ngx_str_t                 sid_str;     /* NUL-terminated session id */
    ngx_event_t               keepalive;   /* keep-alive, or resume poll */
    ngx_str_node_t            stream_node; /* in the worker's stream tree */
    ngx_http_mcp_waiter_t    *waiter;      /* Redis command in flight */

    /* 2024-11-05 POST: the channel of the worker holding the session's GET */
    ngx_str_t                 legacy_channel;

    /* a 2026-07-28 request: what its _meta declares (borrowed) */
    json_t                   *client_caps;
    const char               *log_level;   /* NULL: no log messages */

    /* initialize */
    const char               *version;     /* negotiated */
    u_char                    sid[NGX_HTTP_MCP_SESSION_ID_LEN + 1];

    /* the job of tools/call, resources/read or completion/complete */
    const char               *job_kind;    /* "tool", "resource"... */
    const char               *job_name;    /* tool name or resource URI */
    ngx_msec_t                job_timeout;

    /* tools/call */
    const mcp_tool_t         *tool;
    const char               *outcome;     /* tools/call metric label */
    ngx_msec_t                start;
    json_t                   *arguments;   /* validated copy (owned) */
    json_t                   *progress_token;  /* borrowed from message */
    char                      job_id[MCP_JOB_ID_LEN + 1];
    ngx_str_node_t            pending;     /* in the worker's pending tree */
    ngx_event_t               deadline;
    u_char                    last_event[NGX_HTTP_MCP_EVENT_ID_LEN];
    size_t                    last_event_len;

    unsigned                  is_pending:1;
    unsigned                  queued:1;    /* XADD acknowledged */
    unsigned                  reading:1;   /* an XRANGE is in flight */
    unsigned                  reread:1;    /* woken while reading */
    unsigned                  sse:1;       /* will answer as an SSE stream */
    unsigned                  streaming:1; /* SSE headers are sent */
    unsigned                  answered:1;
    unsigned                  stream_owner:1;  /* holds mcp:stream:{sid} */
    unsigned                  stream_listed:1; /* in the stream tree */
    unsigned                  legacy:1;    /* 2024-11-05 POST, see below */
    unsigned                  legacy_stream:1; /* 2024-11-05 GET stream */
    unsigned                  modern:1;    /* a 2026-07-28 request */
};

/* One entry of the method table in ngx_http_mcp_methods.c. */
typedef struct {
    ngx_str_t                 name;
    void                    (*handler)(ngx_http_request_t *r,
                                       ngx_http_mcp_ctx_t *ctx);
} ngx_http_mcp_method_t;

extern ngx_module_t  ngx_mcp_module;

/* ngx_http_mcp_handler.c */
ngx_int_t ngx_http_mcp_handler(ngx_http_request_t *r);
ngx_http_mcp_ctx_t *ngx_http_mcp_ctx(ngx_http_request_t *r);
ngx_http_mcp_ctx_t *ngx_http_mcp_ctx_new(ngx_http_request_t *r);
ngx_str_t *ngx_http_mcp_header(ngx_http_request_t *r, const char *name,
    size_t len);

/* ngx_http_mcp_jsonrpc.c */
mcp_err_t ngx_http_mcp_jsonrpc_check(ngx_http_mcp_ctx_t *ctx,
    const char **message);
mcp_err_t ngx_http_mcp_jsonrpc_parse(ngx_http_mcp_ctx_t *ctx, u_char *body,
    size_t len, const char **message);
void ngx_http_mcp_finish(ngx_http_request_t *r, ngx_int_t status,
    u_char *body, size_t len);
void ngx_http_mcp_record(ngx_http_mcp_ctx_t *ctx, ngx_uint_t status);
void ngx_http_mcp_error(ngx_http_request_t *r, json_t *id, mcp_err_t err,
    ngx_int_t status, const char *message, json_t *data);
void ngx_http_mcp_result(ngx_http_request_t *r, json_t *id, json_t *result);
void ngx_http_mcp_result_raw(ngx_http_request_t *r, json_t *id,
    ngx_str_t *result);
char *ngx_http_mcp_response(json_t *id, json_t *result, json_t *error);
json_t *ngx_http_mcp_error_object(mcp_err_t err, const char *message,
    json_t *data);

/* ngx_http_mcp_methods.c */
void ngx_http_mcp_dispatch(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);
const char *ngx_http_mcp_negotiate(const char *requested);
json_t *ngx_http_mcp_initialize_result(ngx_http_request_t *r,
    const char *version);
ngx_int_t ngx_http_mcp_version_supported(ngx_str_t *version);

/* ngx_http_mcp_modern.c, ngx_http_mcp_discover.c, ngx_http_mcp_listen.c */
ngx_int_t ngx_http_mcp_modern_header(ngx_http_request_t *r);
ngx_int_t ngx_http_mcp_era(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    mcp_err_t parsed);
json_t *ngx_http_mcp_modern_result(ngx_http_request_t *r, json_t *result);
mcp_err_t ngx_http_mcp_modern_error(ngx_http_request_t *r, mcp_err_t err);
json_int_t ngx_http_mcp_modern_code(ngx_http_request_t *r, json_int_t code);
void ngx_http_mcp_modern_cancel(ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_server_discover(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_subscriptions_listen(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_fixtures_modern_call(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
json_t *ngx_http_mcp_fixtures_modern_tools(void);

/* ngx_http_mcp_tools_list.c */
ngx_int_t ngx_http_mcp_tools_list_render(ngx_conf_t *cf,
    ngx_http_mcp_main_conf_t *mcf);
void ngx_http_mcp_tools_list(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_cancel.c, ngx_http_mcp_logging.c */
void ngx_http_mcp_cancel_register(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_cancelled(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_cancel_job(const char *job_id, const char *by);
ngx_int_t ngx_http_mcp_log_level(json_t *name);
void ngx_http_mcp_logging_set_level(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_origin.c */
ngx_int_t ngx_http_mcp_origin_check(ngx_http_request_t *r,
    const char **message);
char *ngx_http_mcp_allowed_origins_directive(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);

/* ngx_http_mcp_stream.c */
void ngx_http_mcp_stream_open(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_stream_close(ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_stream_ping(ngx_event_t *ev, ngx_msec_t every);
void ngx_http_mcp_stream_init_process(void);
ngx_int_t ngx_http_mcp_stream_notified(u_char *msg, size_t len);

/* ngx_http_mcp_fixtures.c */
json_t *ngx_http_mcp_fixtures_tools(void);
void ngx_http_mcp_fixtures_call(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_batch.c */
void ngx_http_mcp_batch(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_batch_answer(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx,
    ngx_int_t status, u_char *body, size_t len);

/* ngx_http_mcp_prompts.c */
char *ngx_http_mcp_prompts_directive(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
void ngx_http_mcp_prompts_list(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_prompts_get(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_session.c */
void ngx_http_mcp_session_create(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, const char *version);
void ngx_http_mcp_queue_unavailable(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_session_check(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_session_delete(ngx_http_request_t *r);
ngx_int_t ngx_http_mcp_session_id_valid(ngx_str_t *sid);

/* ngx_http_mcp_redis.c */
ngx_int_t ngx_http_mcp_redis_init_process(ngx_cycle_t *cycle,
    ngx_http_mcp_main_conf_t *mcf);
void ngx_http_mcp_redis_exit_process(void);
ngx_int_t ngx_http_mcp_redis_ready(void);
ngx_int_t ngx_http_mcp_redis_subscribed(void);
ngx_int_t ngx_http_mcp_redis_command(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, ngx_http_mcp_reply_pt handler, int argc,
    const char **argv, const size_t *argvlen);
ngx_int_t ngx_http_mcp_redis_fire(int argc, const char **argv,
    const size_t *argvlen);
char *ngx_http_mcp_redis_parse(ngx_conf_t *cf, ngx_http_mcp_main_conf_t *mcf);

/* ngx_http_mcp_jobs.c, ngx_http_mcp_events.c */
void ngx_http_mcp_tools_call(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_jobs_submit(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_jobs_init_process(ngx_cycle_t *cycle,
    ngx_http_mcp_main_conf_t *mcf);
void ngx_http_mcp_jobs_wait(ngx_http_request_t *r, ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_jobs_read(ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_jobs_forget(ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_jobs_notified(u_char *job_id, size_t len);
void ngx_http_mcp_jobs_resync(void);
ngx_str_t *ngx_http_mcp_jobs_channel(void);

/* ngx_http_mcp_resources.c */
void ngx_http_mcp_resources_list(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_resources_templates_list(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_resources_read(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_completion.c */
void ngx_http_mcp_completion_complete(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);

/* ngx_http_mcp_sse.c */
ngx_int_t ngx_http_mcp_sse_start(ngx_http_request_t *r);
ngx_int_t ngx_http_mcp_sse_event(ngx_http_request_t *r, u_char *id,
    size_t id_len, u_char *data, size_t len, ngx_uint_t last);
ngx_int_t ngx_http_mcp_sse_priming(ngx_http_request_t *r, u_char *id,
    size_t id_len);
ngx_int_t ngx_http_mcp_sse_primes(ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_sse_notification(ngx_http_request_t *r, u_char *id,
    size_t id_len, const char *method, json_t *params);

/* ngx_http_mcp_log_notify.c */
const char *ngx_http_mcp_log_notify_level(ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_log_notify(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, json_t *data, u_char *event_id,
    size_t event_id_len);

/*
 * ngx_http_mcp_legacy.c: the 2024-11-05 HTTP+SSE transport. A POST to the
 * messages URL is answered 202 once its session is found to be the
 * caller's and its stream is found; from
 * then on (ctx->legacy) everything the request answers goes on that stream.
 */
ngx_int_t ngx_http_mcp_legacy_open(ngx_http_request_t *r);
void ngx_http_mcp_legacy_created(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_legacy_endpoint(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_legacy_post(ngx_http_request_t *r,
    ngx_http_client_body_handler_pt body_handler);
void ngx_http_mcp_legacy_accept(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
void ngx_http_mcp_legacy_find(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx);
ngx_int_t ngx_http_mcp_legacy_send(ngx_http_mcp_ctx_t *ctx, u_char *data,
    size_t len);
void ngx_http_mcp_legacy_initialize(ngx_http_request_t *r,
    ngx_http_mcp_ctx_t *ctx, const char *requested);


#endif
