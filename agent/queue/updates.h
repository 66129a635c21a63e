/*
 * updates.h: notifications/resources/updated to the sessions subscribed to
 * a resource (resources/subscribe), over their GET stream's worker channel.
 */
#ifndef AGENT_QUEUE_UPDATES_H
#define AGENT_QUEUE_UPDATES_H

#include "redis_conn.h"

/*
 * Publishes the update of uri to every subscribed session with an open GET
 * stream and drops the subscribers that no longer hold the subscription.
 * Returns the number of sessions notified, or -1 with err set.
 */
int agent_resource_updated(agent_redis_t *r, const char *uri, char *err,
                           size_t errlen);

#endif
