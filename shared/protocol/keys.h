/*
 * keys.h: every Redis key, stream field and limit shared by the nginx module
 * and the agent. docs/internals.md explains them; nothing spells a key twice.
 */
#ifndef MCP_PROTOCOL_KEYS_H
#define MCP_PROTOCOL_KEYS_H

#define MCP_KEY_JOBS            "mcp:jobs"
#define MCP_JOBS_GROUP          "agents"
#define MCP_JOBS_MAXLEN         "100000"
#define MCP_KEY_JOBS_DEAD       "mcp:jobs:dead"
#define MCP_JOB_FIELD           "job"

/* printf formats taking the job id */
#define MCP_KEY_JOB_EVENTS_FMT  "mcp:job:{%s}:events"
#define MCP_KEY_JOB_CANCEL_FMT  "mcp:job:{%s}:cancel"
/* values of the cancel key: the client asked (notifications/cancelled, a
 * closed modern stream), or the call's deadline passed (a started plan job
 * outlives its call's deadline and ignores that one) */
#define MCP_CANCEL_BY_CLIENT    "client"
#define MCP_CANCEL_BY_DEADLINE  "deadline"
/* the request that queued the job, for resuming its SSE stream (module) */
#define MCP_KEY_JOB_REQUEST_FMT "mcp:job:{%s}:request"
/* printf format taking the session id */
#define MCP_KEY_SESSION_FMT     "mcp:session:%s"
/* printf format taking the session id and the JSON-RPC request id written
 * as compact JSON (7 or "abc"): the value is the job id of that request */
#define MCP_KEY_REQUEST_FMT     "mcp:req:{%s}:%s"
/* printf format taking the session id: its one standalone GET stream; the
 * value is the notify channel of the worker holding it */
#define MCP_KEY_STREAM_FMT      "mcp:stream:{%s}"
/* a message "session:<sid>:<JSON-RPC notification>" published on that
 * channel goes out on the session's GET stream */
#define MCP_NOTIFY_SESSION_PREFIX "session:"
/* resources/subscribe: printf format taking the session id: SET of the
 * resource URIs the session subscribed to; TTL of the session */
#define MCP_KEY_SUBS_FMT        "mcp:subs:{%s}"
/* printf format taking the SHA-256 hex of a resource URI (updated.h): SET of
 * the session ids subscribed to it; a member whose mcp:subs:{<sid>} no
 * longer holds the URI is dropped when an update is published */
#define MCP_KEY_SUBSCRIBERS_FMT "mcp:subscribers:%s"
/* printf format taking the id of a server-to-client request (sampling,
 * elicitation) sent on a POST's SSE stream: {"session","channel"} of the
 * worker waiting for the client's answer; the answer is published there as
 * "ask:<id>:<JSON-RPC response>" */
#define MCP_KEY_ASK_FMT         "mcp:ask:{%s}"
#define MCP_NOTIFY_ASK_PREFIX   "ask:"
/* printf format taking the agent id */
#define MCP_KEY_AGENT_FMT       "mcp:agent:%s"
#define MCP_KEY_AGENTS          "mcp:agents"
/* printf format taking node name and worker pid */
#define MCP_CHANNEL_NOTIFY_FMT  "mcp:notify:%s:%d"

#define MCP_EVENT_FIELD_TYPE    "type"
#define MCP_EVENT_FIELD_DATA    "data"
#define MCP_EVENT_PROGRESS      "progress"
#define MCP_EVENT_LOG           "log"
#define MCP_EVENT_RESULT        "result"
#define MCP_EVENT_ERROR         "error"

#define MCP_JOB_EVENTS_TTL_S    600
#define MCP_AGENT_HEARTBEAT_TTL_S 15
#define MCP_AGENT_HEARTBEAT_EVERY_MS 5000
#define MCP_JOB_MAX_DELIVERIES  3
#define MCP_JOB_VERSION         1

/* Longest key any format above produces (ids are at most 64 bytes). */
#define MCP_KEY_MAX             160

#endif
