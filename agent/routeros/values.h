/*
 * values.h: parsers for RouterOS REST values, which are all JSON strings
 * ("1500", "true", "1w2d3h4m5s", "0x8000"); routeros-rest.md §1.3.
 */
#ifndef AGENT_ROUTEROS_VALUES_H
#define AGENT_ROUTEROS_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* "true"/"yes" → 1, "false"/"no" → 0. Returns 0, or -1 if neither. */
int agent_ros_bool(const char *s, int *out);

/* Decimal or 0x-hex integer, optional leading '-'. 0 or -1. */
int agent_ros_int(const char *s, int64_t *out);

/* Decimal number with optional fraction ("3", "12.5"). 0 or -1. */
int agent_ros_number(const char *s, double *out);

/*
 * RouterOS duration in microseconds: unit runs "1w2d3h4m5s", "1ms500us",
 * "453us", "10ns" (rounded down), optionally ending in a clock part
 * "1d02:03:04" / "02:03:04.5". 0 or -1 on anything else.
 */
int agent_ros_duration_us(const char *s, int64_t *out);

/* Seconds as RouterOS writes them ("1w2d3h4m5s", "0s"). */
void agent_ros_format_duration(int64_t seconds, char *buf, size_t len);

/* Field key of a REST object parsed as integer / number; 0 or -1 if absent
 * or malformed. */
int agent_ros_field_int(const json_t *obj, const char *key, int64_t *out);
int agent_ros_field_number(const json_t *obj, const char *key, double *out);

/* String field, or NULL when absent or not a string. */
const char *agent_ros_field_str(const json_t *obj, const char *key);

#endif
