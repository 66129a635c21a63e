/*
 * audit_redact.c: secrets never reach the audit trail: values under
 * secret-looking keys become "[redacted]", at any depth of a JSON value.
 */
#include "audit.h"

#include <ctype.h>
#include <string.h>

/* Substrings that mark a key as secret anywhere in its name. */
static const char *const agent_audit_secret_words[] = {
    "password", "passwd",     "passphrase", "secret",
    "token",    "credential", "private",    NULL,
};

static int
agent_audit_secret_key(const char *key)
{
    char   low[128];
    size_t i, n = strlen(key);

    if (n >= sizeof(low)) {
        n = sizeof(low) - 1;
    }
    for (i = 0; i < n; i++) {
        low[i] = (char)tolower((unsigned char)key[i]);
    }
    low[n] = '\0';
    for (i = 0; agent_audit_secret_words[i]; i++) {
        if (strstr(low, agent_audit_secret_words[i])) {
            return 1;
        }
    }
    /* "key", "api_key", "wpa2-pre-shared-key", but not "keepalive". */
    return strcmp(low, "key") == 0 ||
           (n > 4 && (strcmp(low + n - 4, "_key") == 0 ||
                      strcmp(low + n - 4, "-key") == 0));
}

json_t *
agent_audit_redact(const json_t *v)
{
    json_t *copy, *item;

    if (json_is_object(v)) {
        const char *k;

        copy = json_object();
        json_object_foreach((json_t *)v, k, item)
        {
            json_object_set_new(copy, k,
                                agent_audit_secret_key(k)
                                    ? json_string("[redacted]")
                                    : agent_audit_redact(item));
        }
        return copy;
    }
    if (json_is_array(v)) {
        size_t i;

        copy = json_array();
        json_array_foreach(v, i, item)
        {
            json_array_append_new(copy, agent_audit_redact(item));
        }
        return copy;
    }
    return v ? json_deep_copy(v) : json_null();
}
