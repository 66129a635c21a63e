/*
 * device_slots.h: at most N RouterOS calls in flight per device address
 * (ROUTEROS_MCP_DEVICE_CONCURRENCY), shared by all worker threads.
 */
#ifndef AGENT_ROUTEROS_DEVICE_SLOTS_H
#define AGENT_ROUTEROS_DEVICE_SLOTS_H

#include <stdint.h>

/* Sets the cap (first call wins; every worker passes the same value). */
void agent_slots_configure(int per_device);

/* Waits for a free slot of host until deadline_ms (epoch ms, 0 = none):
 * 0 with the slot held, -1 when the deadline passed first. */
int agent_slot_acquire(const char *host, int64_t deadline_ms);

void agent_slot_release(const char *host);

#endif
