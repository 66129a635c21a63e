/*
 * updates.c: publishes notifications/resources/updated: the URI's subscriber
 * set (updated.h) names the sessions, mcp:stream:{sid} their worker channel.
 */
#include "updates.h"
#include "../../shared/protocol/keys.h"
#include "../../shared/protocol/updated.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when sid still subscribes to uri, 0 when not, -1 on error */
static int
agent_updates_subscribed(agent_redis_t *r, const char *sid, const char *uri,
                         char *err, size_t errlen)
{
    char        key[MCP_KEY_MAX];
    const char *argv[] = {"SISMEMBER", key, uri};
    redisReply *reply;
    int         yes;

    snprintf(key, sizeof(key), MCP_KEY_SUBS_FMT, sid);
    if ((reply = agent_redis_cmd(r, err, errlen, 3, argv)) == NULL) {
        return -1;
    }
    yes = reply->type == REDIS_REPLY_INTEGER && reply->integer == 1;
    freeReplyObject(reply);
    return yes;
}

/* PUBLISH "session:<sid>:<msg>" on the channel of sid's GET stream, if
 * one is open; 1 when published, 0 when no stream, -1 on error */
static int
agent_updates_send(agent_redis_t *r, const char *sid, const char *msg,
                   char *err, size_t errlen)
{
    char        key[MCP_KEY_MAX], *text;
    const char *get[] = {"GET", key};
    const char *publish[] = {"PUBLISH", NULL, NULL};
    redisReply *channel, *reply;
    size_t      len;

    snprintf(key, sizeof(key), MCP_KEY_STREAM_FMT, sid);
    if ((channel = agent_redis_cmd(r, err, errlen, 2, get)) == NULL) {
        return -1;
    }
    if (channel->type != REDIS_REPLY_STRING) {
        freeReplyObject(channel);
        return 0;
    }
    len = strlen(MCP_NOTIFY_SESSION_PREFIX) + strlen(sid) + strlen(msg) + 2;
    if ((text = malloc(len)) == NULL) {
        freeReplyObject(channel);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(text, len, "%s%s:%s", MCP_NOTIFY_SESSION_PREFIX, sid, msg);
    publish[1] = channel->str;
    publish[2] = text;
    reply = agent_redis_cmd(r, err, errlen, 3, publish);
    free(text);
    freeReplyObject(channel);
    if (reply == NULL) {
        return -1;
    }
    freeReplyObject(reply);
    return 1;
}

int
agent_resource_updated(agent_redis_t *r, const char *uri, char *err,
                       size_t errlen)
{
    char        key[MCP_KEY_MAX], *msg;
    const char *members[] = {"SMEMBERS", key};
    const char *srem[] = {"SREM", key, NULL};
    redisReply *sids, *reply;
    size_t      i;
    int         sent = 0, rc = 0;

    if (mcp_subscribers_key(key, sizeof(key), uri, strlen(uri)) == 0
        || (msg = mcp_resource_updated_message(uri, strlen(uri))) == NULL) {
        snprintf(err, errlen, "cannot encode the update of %s", uri);
        return -1;
    }
    if ((sids = agent_redis_cmd(r, err, errlen, 2, members)) == NULL) {
        free(msg);
        return -1;
    }
    for (i = 0; sids->type == REDIS_REPLY_ARRAY && i < sids->elements; i++) {
        const char *sid = sids->element[i]->str;

        if (sids->element[i]->type != REDIS_REPLY_STRING) {
            continue;
        }
        rc = agent_updates_subscribed(r, sid, uri, err, errlen);
        if (rc == 0) {
            srem[2] = sid;
            reply = agent_redis_cmd(r, err, errlen, 3, srem);
            rc = reply ? 0 : -1;
            freeReplyObject(reply);
        } else if (rc == 1) {
            rc = agent_updates_send(r, sid, msg, err, errlen);
            sent += rc == 1;
        }
        if (rc < 0) {
            break;
        }
    }
    freeReplyObject(sids);
    free(msg);
    return rc < 0 ? -1 : sent;
}
