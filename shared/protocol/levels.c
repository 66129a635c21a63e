/*
 * levels.c: the RFC 5424 log levels, least to most severe, and the rank of
 * a level name.
 */
#include <string.h>
#include "levels.h"

static const char  *mcp_log_levels[] = {
    "debug", "info", "notice", "warning", "error", "critical", "alert",
    "emergency", NULL
};


int
mcp_log_level_rank(const char *name)
{
    int  i;

    for (i = 0; name != NULL && mcp_log_levels[i]; i++) {
        if (strcmp(name, mcp_log_levels[i]) == 0) {
            return i;
        }
    }

    return -1;
}
