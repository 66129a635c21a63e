/*
 * cidr.c: prefix arithmetic for management-path protection and address
 * overlap checks, on inet_pton's byte form of both families.
 */
#include "cidr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int
agent_cidr_parse(const char *s, agent_cidr_t *out)
{
    char        buf[64], *slash;
    int         max;

    if (s == NULL || strlen(s) >= sizeof(buf)) {
        return -1;
    }
    strcpy(buf, s);
    slash = strchr(buf, '/');
    if (slash != NULL) {
        *slash = '\0';
    }
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, buf, out->addr) == 1) {
        out->family = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
        out->family = AF_INET6;
        max = 128;
    } else {
        return -1;
    }
    out->prefix = max;
    if (slash != NULL) {
        char *end;
        long  len;

        if (slash[1] < '0' || slash[1] > '9') {
            return -1;
        }
        len = strtol(slash + 1, &end, 10);
        if (*end != '\0' || len > max) {
            return -1;
        }
        out->prefix = (int) len;
    }
    return 0;
}

/* Compares the first bits bits of two addresses. */
static int
agent_cidr_same_bits(const unsigned char *a, const unsigned char *b,
    int bits)
{
    int           whole = bits / 8, rest = bits % 8;
    unsigned char mask;

    if (memcmp(a, b, whole) != 0) {
        return 0;
    }
    if (rest == 0) {
        return 1;
    }
    mask = (unsigned char) (0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

int
agent_cidr_contains(const agent_cidr_t *net, const agent_cidr_t *ip)
{
    return net->family == ip->family
           && agent_cidr_same_bits(net->addr, ip->addr, net->prefix);
}

int
agent_cidr_overlap(const agent_cidr_t *a, const agent_cidr_t *b)
{
    int bits = a->prefix < b->prefix ? a->prefix : b->prefix;

    return a->family == b->family
           && agent_cidr_same_bits(a->addr, b->addr, bits);
}
