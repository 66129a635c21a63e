/*
 * plan_dhcp.c: plan_create/modify/remove_dhcp_pool (upstream §1.11): range
 * rules, the pools and DHCP networks each device holds now, the writes to
 * /ip/pool and /ip/dhcp-server/network.
 */
#include "../plans/build.h"
#include "../routeros/cidr.h"
#include "../routeros/values.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const pool_restore[] = {"name", "ranges", "next-pool",
                                           "comment", NULL};

static int
ip4(const char *s, size_t len, uint32_t *out)
{
    char           buf[INET_ADDRSTRLEN];
    struct in_addr a;

    if (len >= sizeof(buf)) {
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, &a) != 1) {
        return -1;
    }
    *out = ntohl(a.s_addr);
    return 0;
}

/* "a-b" (or a single address) of s[0..len) into lo..hi; -1 when invalid. */
static int
range_parse(const char *s, size_t len, uint32_t *lo, uint32_t *hi)
{
    const char *dash = memchr(s, '-', len);

    if (dash == NULL) {
        if (ip4(s, len, lo) != 0) {
            return -1;
        }
        *hi = *lo;
        return 0;
    }
    return ip4(s, (size_t)(dash - s), lo) == 0 &&
                   ip4(dash + 1, len - (size_t)(dash - s) - 1, hi) == 0
               ? 0
               : -1;
}

/* Calls fn on every range of "r1,r2,..."; stops at the first non-zero. */
static int
ranges_each(const char *ranges, int (*fn)(uint32_t, uint32_t, void *),
            void       *arg)
{
    const char *p = ranges, *comma;
    uint32_t    lo, hi;
    size_t      len;
    int         rc;

    while (p != NULL && *p != '\0') {
        comma = strchr(p, ',');
        len = comma ? (size_t)(comma - p) : strlen(p);
        if (range_parse(p, len, &lo, &hi) != 0) {
            return -1;
        }
        rc = fn(lo, hi, arg);
        if (rc != 0) {
            return rc;
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int
range_ordered(uint32_t lo, uint32_t hi, void *arg)
{
    (void)arg;
    return lo < hi ? 0 : 1;
}

typedef struct {
    uint32_t lo, hi;
} span_t;

static int
range_overlaps(uint32_t lo, uint32_t hi, void *arg)
{
    const span_t *s = arg;

    return lo <= s->hi && s->lo <= hi ? 1 : 0;
}

/* The pool of pools whose ranges share an address with lo..hi, or NULL. */
static const json_t *
pool_overlapping(const json_t *pools, uint32_t lo, uint32_t hi)
{
    const json_t *p;
    span_t        s = {lo, hi};
    size_t        i;

    json_array_foreach(pools, i, p)
    {
        const char *r = agent_ros_field_str(p, "ranges");

        if (r != NULL && ranges_each(r, range_overlaps, &s) == 1) {
            return p;
        }
    }
    return NULL;
}

/* "a,b" from a JSON array of strings. */
static json_t *
join(const json_t *a)
{
    char          buf[512] = "";
    const json_t *v;
    size_t        i, n = 0;

    json_array_foreach(a, i, v)
    {
        if (n < sizeof(buf)) {
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
                                  i ? "," : "", json_string_value(v));
        }
    }
    return json_string(buf);
}

/*
 * The network ("192.168.88.0/24") of the device address whose subnet holds
 * both lo and hi into net; -1 when no interface network holds the range.
 */
static int
range_network(const json_t *addrs, uint32_t lo, uint32_t hi, char *net,
              size_t netlen)
{
    const json_t *a;
    agent_cidr_t  c;
    uint32_t      base, mask;
    size_t        i;

    json_array_foreach(addrs, i, a)
    {
        const char *s = agent_ros_field_str(a, "address");

        if (s == NULL || agent_cidr_parse(s, &c) != 0 || c.family != AF_INET ||
            c.prefix == 0) {
            continue;
        }
        mask = c.prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> c.prefix);
        base = ((uint32_t)c.addr[0] << 24 | (uint32_t)c.addr[1] << 16 |
                (uint32_t)c.addr[2] << 8 | c.addr[3]) &
               mask;
        if ((lo & mask) == base && (hi & mask) == base) {
            snprintf(net, netlen, "%u.%u.%u.%u/%d", base >> 24,
                     (base >> 16) & 255, (base >> 8) & 255, base & 255,
                     c.prefix);
            return 0;
        }
    }
    return -1;
}

/* The DHCP network write (gateway / dns-server) of a new pool. */
static int
pool_network_write(const json_t *args, const json_t *addrs, const json_t *nets,
                   uint32_t lo, uint32_t hi, json_t *entry,
                   const agent_device_t *dev, char *err, size_t errlen)
{
    const char   *gw = agent_plan_arg(args, "gateway");
    const json_t *dns = json_object_get(args, "dns_servers");
    const json_t *have;
    json_t       *body = json_object();
    char          net[40];

    if (range_network(addrs, lo, hi, net, sizeof(net)) != 0) {
        snprintf(err, errlen,
                 "device %s has no interface network holding %s: "
                 "the DHCP network (gateway, DNS) has no place",
                 dev->id, agent_plan_arg(args, "address_range"));
        json_decref(body);
        return -1;
    }
    if (gw != NULL) {
        json_object_set_new(body, "gateway", json_string(gw));
    }
    if (dns != NULL) {
        json_object_set_new(body, "dns-server", join(dns));
    }
    have = agent_plan_find(nets, "address", net);
    if (have != NULL) {
        agent_plan_write(entry, "/ip/dhcp-server/network", "set",
                         agent_ros_field_str(have, ".id"), body);
    } else {
        json_object_set_new(body, "address", json_string(net));
        agent_plan_write(entry, "/ip/dhcp-server/network", "add", NULL, body);
    }
    return 0;
}

static int
pool_create_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                    const json_t *args, json_t *entry, int *risk, char *err,
                    size_t errlen)
{
    const char   *name = agent_plan_arg(args, "pool_name");
    const char   *range = agent_plan_arg(args, "address_range");
    const json_t *clash;
    json_t       *pools = NULL, *nets = NULL, *addrs = NULL;
    uint32_t      lo, hi;
    int           rc = -1;

    (void)risk;
    range_parse(range, strlen(range), &lo, &hi);
    if (agent_plan_read(ctx, dev, "/ip/pool", &pools, err, errlen) != 0 ||
        agent_plan_read(ctx, dev, "/ip/dhcp-server/network", &nets, err,
                        errlen) != 0 ||
        agent_plan_read(ctx, dev, "/ip/address", &addrs, err, errlen) != 0) {
        goto done;
    }
    json_object_set_new(
        entry, "current",
        json_pack("{s:O, s:O}", "pools", pools, "dhcp_networks", nets));
    if (agent_plan_find(pools, "name", name) != NULL) {
        snprintf(err, errlen, "device %s already has a pool named %s", dev->id,
                 name);
        goto done;
    }
    clash = pool_overlapping(pools, lo, hi);
    if (clash != NULL) {
        snprintf(err, errlen, "%s overlaps pool %s (%s) on %s", range,
                 agent_ros_field_str(clash, "name"),
                 agent_ros_field_str(clash, "ranges"), dev->id);
        goto done;
    }
    agent_plan_write(entry, "/ip/pool", "add", NULL,
                     json_pack("{s:s, s:s}", "name", name, "ranges", range));
    rc = 0;
    if (json_object_get(args, "gateway") ||
        json_object_get(args, "dns_servers")) {
        rc = pool_network_write(args, addrs, nets, lo, hi, entry, dev, err,
                                errlen);
    }
done:
    json_decref(pools);
    json_decref(nets);
    json_decref(addrs);
    return rc;
}

/* The pool args.pool_id as dev holds it now (entry.current) and the DHCP
 * servers that hand it out. */
static int
pool_current(agent_ctx_t *ctx, const agent_device_t *dev, const json_t *args,
             json_t *entry, json_t **users, char *err, size_t errlen)
{
    const char   *name;
    const json_t *srv;
    json_t       *pool, *servers;
    char          path[128];
    size_t        i;

    snprintf(path, sizeof(path), "/ip/pool/%s",
             agent_plan_arg(args, "pool_id"));
    if (agent_plan_read(ctx, dev, path, &pool, err, errlen) != 0) {
        return -1;
    }
    if (agent_plan_read(ctx, dev, "/ip/dhcp-server", &servers, err, errlen) !=
        0) {
        json_decref(pool);
        return -1;
    }
    name = agent_ros_field_str(pool, "name");
    *users = json_array();
    json_array_foreach(servers, i, srv)
    {
        const char *p = agent_ros_field_str(srv, "address-pool");

        if (p != NULL && name != NULL && strcmp(p, name) == 0) {
            json_array_append(*users, (json_t *)srv);
        }
    }
    json_decref(servers);
    json_object_set_new(pool, "dhcp_servers", json_copy(*users));
    json_object_set_new(entry, "current", pool);
    return 0;
}

static int
pool_modify_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                    const json_t *args, json_t *entry, int *risk, char *err,
                    size_t errlen)
{
    const json_t *mods = json_object_get(args, "modifications");
    const char   *name = agent_plan_arg(mods, "name");
    json_t       *users, *body = json_object(), *pools;
    const char   *key;
    const json_t *v;

    (void)risk;
    if (pool_current(ctx, dev, args, entry, &users, err, errlen) != 0) {
        json_decref(body);
        return -1;
    }
    if (name != NULL &&
        agent_plan_read(ctx, dev, "/ip/pool", &pools, err, errlen) == 0) {
        v = agent_plan_find(pools, "name", name);
        if (v != NULL && strcmp(agent_ros_field_str(v, ".id"),
                                agent_plan_arg(args, "pool_id")) != 0) {
            snprintf(err, errlen, "device %s already has a pool named %s",
                     dev->id, name);
            json_decref(pools);
            json_decref(users);
            json_decref(body);
            return -1;
        }
        json_decref(pools);
    }
    json_object_foreach((json_t *)mods, key, v)
    {
        json_object_set(body, key, (json_t *)v);
    }
    /* RouterOS keeps a renamed pool attached to its DHCP servers. */
    agent_plan_write(entry, "/ip/pool", "set", agent_plan_arg(args, "pool_id"),
                     body);
    json_decref(users);
    return 0;
}

static int
pool_remove_prepare(agent_ctx_t *ctx, const agent_device_t *dev,
                    const json_t *args, json_t *entry, int *risk, char *err,
                    size_t errlen)
{
    json_t *users, *w;

    (void)risk;
    if (pool_current(ctx, dev, args, entry, &users, err, errlen) != 0) {
        return -1;
    }
    if (json_array_size(users) > 0) {
        snprintf(err, errlen,
                 "pool %s on %s is handed out by DHCP server "
                 "%s: change that server first",
                 agent_plan_arg(args, "pool_id"), dev->id,
                 agent_ros_field_str(json_array_get(users, 0), "name"));
        json_decref(users);
        return -1;
    }
    json_decref(users);
    w = agent_plan_write(entry, "/ip/pool", "remove",
                         agent_plan_arg(args, "pool_id"), NULL);
    json_object_set_new(w, "restore", agent_plan_keys(pool_restore));
    return 0;
}

static void
plan_create_dhcp_pool(agent_ctx_t *ctx, const json_t *args,
                      agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_DHCP,    "create_dhcp_pool", "create a DHCP pool", 1, 0, 0,
        pool_create_prepare};
    const char *range = agent_plan_arg(args, "address_range");
    const char *gw = agent_plan_arg(args, "gateway");
    uint32_t    lo, hi, g;

    if (range_parse(range, strlen(range), &lo, &hi) != 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "address_range: \"%s\" is not "
                   "startIP-endIP",
                   range);
        return;
    }
    if (lo >= hi) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "address_range: the start "
                   "must be below the end (%s)",
                   range);
        return;
    }
    if (gw != NULL && ip4(gw, strlen(gw), &g) != 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "gateway: %s is not an IPv4 "
                   "address like the range",
                   gw);
        return;
    }
    if (gw != NULL && (g < lo || g > hi)) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "gateway: %s must fall inside "
                   "address_range %s",
                   gw, range);
        return;
    }
    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_modify_dhcp_pool(agent_ctx_t *ctx, const json_t *args,
                      agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_DHCP,    "modify_dhcp_pool", "modify a DHCP pool", 1, 0, 0,
        pool_modify_prepare};
    const char *ranges =
        agent_plan_arg(json_object_get(args, "modifications"), "ranges");

    if (ranges != NULL && ranges_each(ranges, range_ordered, NULL) != 0) {
        agent_fail(out, MCP_ERR_INVALID_PARAMS,
                   "modifications.ranges: every "
                   "range needs valid addresses with start below end (%s)",
                   ranges);
        return;
    }
    agent_plan_build(ctx, args, &spec, out);
}

static void
plan_remove_dhcp_pool(agent_ctx_t *ctx, const json_t *args,
                      agent_outcome_t *out)
{
    static const agent_plan_spec_t spec = {
        AGENT_PLAN_DHCP,    "remove_dhcp_pool", "remove a DHCP pool", 2, 0, 0,
        pool_remove_prepare};

    agent_plan_build(ctx, args, &spec, out);
}

const agent_tool_def_t agent_tools_plan_dhcp[] = {
    {"plan_create_dhcp_pool", plan_create_dhcp_pool},
    {"plan_modify_dhcp_pool", plan_modify_dhcp_pool},
    {"plan_remove_dhcp_pool", plan_remove_dhcp_pool},
    {NULL, NULL}};
