/*
 * clock.h: wall-clock milliseconds (job deadlines are epoch ms) and a
 * monotonic clock for measuring durations.
 */
#ifndef AGENT_CORE_CLOCK_H
#define AGENT_CORE_CLOCK_H

#include <stdint.h>

int64_t agent_now_ms(void);
double  agent_mono_ms(void);
/* "2026-12-04T12:30:56.123Z" into buf (at least 32 bytes). */
void agent_iso_now(char *buf, unsigned long len);

#endif
