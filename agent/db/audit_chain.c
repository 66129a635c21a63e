/*
 * audit_chain.c: the canonical form of a stored audit event and its
 * SHA-256; the append and `audit verify` both hash what PostgreSQL holds.
 */
#include "audit.h"
#include "../../shared/util/hex.h"

#include <stdlib.h>
#include <string.h>

/* Keys of the canonical object, in AGENT_AUDIT_CHAIN_COLUMNS order (the
 * stored row_hash, last, is not part of its own input). */
static const char *const agent_audit_keys[] = {
    "id",      "seq",       "time",        "subject",   "action", "tool",
    "tier",    "device_id", "environment", "plan_id",   "job_id", "parameters",
    "outcome", "error",     "meta",        "prev_hash",
};

/* jsonb text parsed back into JSON; text jansson cannot hold (a number
 * beyond its range) is kept as the string itself, the same way each time. */
static json_t *
agent_audit_json_column(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    return v ? v : json_string(text);
}

static json_t *
agent_audit_canonical(const PGresult *res, int row)
{
    json_t *doc = json_object(), *v;
    int     col;

    /* ids are numbers, parameters (11) and meta (14) JSON, the rest text */
    for (col = 0; col < AGENT_AUDIT_COL_HASH; col++) {
        const char *text = PQgetvalue(res, row, col);

        if (PQgetisnull(res, row, col)) {
            v = json_null();
        } else if (col == 0 || col == 1) {
            v = json_integer(strtoll(text, NULL, 10));
        } else if (col == 11 || col == 14) {
            v = agent_audit_json_column(text);
        } else {
            v = json_string(text);
        }
        if (v == NULL || json_object_set_new(doc, agent_audit_keys[col], v)) {
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}

/* Hashes the canonical form of a row, with seq and prev_hash replaced when
 * prev is not NULL (a row about to be linked). */
static int
agent_audit_hash(const PGresult *res, int row, long long seq, const char *prev,
                 char out[65])
{
    json_t *doc;
    char   *text = NULL;
    int     rc = -1;

    if (PQnfields(res) != AGENT_AUDIT_COL_HASH + 1) {
        return -1;
    }
    doc = agent_audit_canonical(res, row);
    if (doc != NULL && prev != NULL &&
        (json_object_set_new(doc, "seq", json_integer(seq)) != 0 ||
         json_object_set_new(doc, "prev_hash", json_string(prev)) != 0)) {
        json_decref(doc);
        doc = NULL;
    }
    if (doc != NULL) {
        text = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    }
    if (text != NULL) {
        rc = mcp_sha256_hex(text, strlen(text), out);
    }
    free(text);
    json_decref(doc);
    return rc;
}

int
agent_audit_row_hash(const PGresult *res, int row, char out[65])
{
    return agent_audit_hash(res, row, 0, NULL, out);
}

int
agent_audit_row_hash_as(const PGresult *res, int row, long long seq,
                        const char *prev, char out[65])
{
    return agent_audit_hash(res, row, seq, prev, out);
}
