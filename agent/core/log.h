/*
 * log.h: the agent's line logger (stderr, ISO time, level). Callers never
 * pass secrets; credentials have no code path into a log line.
 */
#ifndef AGENT_CORE_LOG_H
#define AGENT_CORE_LOG_H

typedef enum {
    AGENT_LOG_DEBUG,
    AGENT_LOG_INFO,
    AGENT_LOG_WARN,
    AGENT_LOG_ERROR
} agent_log_level_t;

void agent_log(agent_log_level_t level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define agent_info(...) agent_log(AGENT_LOG_INFO, __VA_ARGS__)
#define agent_warn(...) agent_log(AGENT_LOG_WARN, __VA_ARGS__)
#define agent_error(...) agent_log(AGENT_LOG_ERROR, __VA_ARGS__)

#endif
