/*
 * cidr.h: IPv4/IPv6 prefixes as RouterOS writes them ("10.0.0.1/24",
 * "fe80::1/64", bare addresses): parse, containment, overlap.
 */
#ifndef AGENT_ROUTEROS_CIDR_H
#define AGENT_ROUTEROS_CIDR_H

typedef struct {
    int           family;       /* AF_INET or AF_INET6 */
    int           prefix;       /* 0..32 / 0..128; full length when absent */
    unsigned char addr[16];     /* network byte order */
} agent_cidr_t;

/* Parses "addr[/len]". 0, or -1 when s is not an address with a valid
 * prefix length. */
int agent_cidr_parse(const char *s, agent_cidr_t *out);

/* 1 when the network of net (its address masked to its prefix) holds the
 * address of ip; 0 otherwise (also across families). */
int agent_cidr_contains(const agent_cidr_t *net, const agent_cidr_t *ip);

/* 1 when the networks of a and b share at least one address. */
int agent_cidr_overlap(const agent_cidr_t *a, const agent_cidr_t *b);

#endif
