#!/usr/bin/env bash
# stack.sh: brings a private routeros-mcp stack (Redis, PostgreSQL, simulator,
# agent, nginx + module) up and down on loopback, one profile per port range.
#
# usage: t/stack/stack.sh up|down|status|env|reset <profile>
#        t/stack/stack.sh restart-agent|stop-agent|start-agent|kill9-agent|
#                         stop-redis|start-redis|stop-pg|start-pg <profile>
# reset = down, then remove the profile's state (database, logs, keys).
# profiles: run (base 8000), test (18000), bench (19000), dev1..dev6
# (21000..26000). nginx = base+80, simulator = base+81, redis = base+90,
# PostgreSQL = base+32 (unix socket only). BUILD selects the binaries.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cmd=${1:-}
profile=${2:-}

die() { echo "stack: $*" >&2; exit 1; }
say() { echo "stack[$profile]: $*" >&2; }

case "$profile" in
    run) base=8000 ;;
    test) base=18000 ;;
    bench) base=19000 ;;
    dev[1-6]) base=$(( (20 + ${profile#dev}) * 1000 )) ;;
    *) die "usage: $0 up|down|status|env|reset|restart-agent|stop-agent|start-agent|kill9-agent|stop-redis|start-redis|stop-pg|start-pg run|test|bench|dev1..dev6" ;;
esac

NGINX_PORT=$((base + 80))
SIM_PORT=$((base + 81))
SSH_PORT=$((base + 22))
REDIS_PORT=$((base + 90))
PG_PORT=$((base + 32))
VAR=$ROOT/var/$profile
BUILD=${BUILD:-build}
case "$BUILD" in /*) BUILD_DIR=$BUILD ;; *) BUILD_DIR=$ROOT/$BUILD ;; esac
MODULE_SO=$BUILD_DIR/module/ngx_mcp_module.so
AGENT_BIN=$BUILD_DIR/routeros-mcp-agent
ADMIN_BIN=$BUILD_DIR/routeros-mcp-admin
SIM_DEVICES=(sim-r1=127.0.0.2 sim-r2=127.0.0.3 sim-r3=127.0.0.4 sim-v6=127.0.0.5)

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

# --- helpers -----------------------------------------------------------------

# pid_alive <pidfile> <cmdline-substring>: the pid in the file is running and
# is still the program we started (pids get reused).
pid_alive() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(head -n 1 "$1" | tr -dc '0-9')
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

pid_of() { head -n 1 "$1" | tr -dc '0-9'; }

# stop_pid <pidfile> <cmdline-substring> <signal> <seconds>: signal, wait,
# then SIGKILL; removes the pidfile.
stop_pid() {
    local file=$1 what=$2 sig=$3 secs=$4 pid i
    if pid_alive "$file" "$what"; then
        pid=$(pid_of "$file")
        kill "-$sig" "$pid" 2>/dev/null || true
        for ((i = 0; i < secs * 10; i++)); do
            [ -d "/proc/$pid" ] || break
            grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && break
            sleep 0.1
        done
        if [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
            say "$what (pid $pid) ignored SIG$sig for ${secs}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

# wait_tcp <ip> <port> <seconds>
wait_tcp() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# as_pg <command...>: runs a PostgreSQL server command as an unprivileged user
# (PostgreSQL refuses to run as root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "cd / && $(printf '%q ' "$@")"
    else
        "$@"
    fi
}

# The cluster lives under var/ unless the postgres user cannot reach it (a
# checkout under /root, for instance): then under /var/tmp, keyed by path.
pg_home() {
    if [ -s "$VAR/pg.home" ]; then
        cat "$VAR/pg.home"
        return
    fi
    if [ "$(id -u)" != 0 ] || su postgres -s /bin/sh -c "test -x '$VAR' && test -r '$VAR'" 2>/dev/null; then
        echo "$VAR/pg"
    else
        echo "/var/tmp/routeros-mcp-$profile-$(echo "$ROOT" | md5sum | cut -c1-8)"
    fi
}

load_env() {
    PG_HOME=$(pg_home)
    PG_DATA=$PG_HOME/data
    PG_SOCK=$PG_HOME/run
    [ -s "$VAR/sim.password" ] && SIM_PASSWORD=$(cat "$VAR/sim.password") || SIM_PASSWORD=
    [ -s "$VAR/encryption.key" ] && ENC_KEY=$(cat "$VAR/encryption.key") || ENC_KEY=
    [ -s "$VAR/approval.key" ] && APPROVAL_KEY=$(cat "$VAR/approval.key") || APPROVAL_KEY=
    export SIM_PASSWORD
    export SIM_SSH_PASSWORD=${SIM_SSH_PASSWORD:-rosadmin-sim}
    export ROUTEROS_MCP_DATABASE_URL="host=$PG_SOCK port=$PG_PORT dbname=routeros_mcp user=postgres"
    export ROUTEROS_MCP_REDIS="127.0.0.1:$REDIS_PORT"
    export ROUTEROS_MCP_ENCRYPTION_KEY="$ENC_KEY"
    export ROUTEROS_MCP_APPROVAL_KEY="$APPROVAL_KEY"
    export ROUTEROS_MCP_CATALOG="$ROOT/shared/catalog/tools"
    export ROUTEROS_MCP_ENVIRONMENT=lab
    export ROUTEROS_MCP_MIGRATIONS="$ROOT/migrations"
}

print_env() {
    load_env
    local v
    for v in \
        "MCP_URL=http://127.0.0.1:$NGINX_PORT/mcp" \
        "MCP_BASE_URL=http://127.0.0.1:$NGINX_PORT" \
        "MCP_NGINX_PORT=$NGINX_PORT" \
        "MCP_REDIS_PORT=$REDIS_PORT" \
        "MCP_PG_SOCKET_DIR=$PG_SOCK" \
        "MCP_PG_PORT=$PG_PORT" \
        "SIM_PORT=$SIM_PORT" \
        "SIM_PASSWORD=$SIM_PASSWORD" \
        "SIM_SSH_PORT=$SSH_PORT" \
        "SIM_SSH_PASSWORD=$SIM_SSH_PASSWORD" \
        "MCP_VAR=$VAR" \
        "MCP_ROOT=$ROOT" \
        "MCP_PROFILE=$profile" \
        "BUILD=$BUILD" \
        "ROUTEROS_MCP_DATABASE_URL=$ROUTEROS_MCP_DATABASE_URL" \
        "ROUTEROS_MCP_REDIS=$ROUTEROS_MCP_REDIS" \
        "ROUTEROS_MCP_ENCRYPTION_KEY=$ROUTEROS_MCP_ENCRYPTION_KEY" \
        "ROUTEROS_MCP_APPROVAL_KEY=$ROUTEROS_MCP_APPROVAL_KEY" \
        "ROUTEROS_MCP_CATALOG=$ROUTEROS_MCP_CATALOG" \
        "ROUTEROS_MCP_ENVIRONMENT=$ROUTEROS_MCP_ENVIRONMENT" \
        "ROUTEROS_MCP_MIGRATIONS=$ROUTEROS_MCP_MIGRATIONS"; do
        printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
    done
    # A sanitizer build brings an nginx wrapper that preloads the ASan runtime;
    # tests that start their own nginx pick it up from PATH.
    if [ -x "$BUILD_DIR/bin/nginx" ]; then
        printf 'export PATH=%q:"$PATH"\n' "$BUILD_DIR/bin"
    fi
}

# --- Redis -------------------------------------------------------------------

start_redis() {
    if pid_alive "$VAR/redis.pid" redis-server; then
        return
    fi
    mkdir -p "$VAR/redis"
    cat >"$VAR/redis.conf" <<EOF
# generated by t/stack/stack.sh for profile $profile
bind 127.0.0.1
port $REDIS_PORT
daemonize yes
pidfile $VAR/redis.pid
logfile $VAR/redis.log
dir $VAR/redis
save ""
appendonly no
EOF
    redis-server "$VAR/redis.conf"
    wait_tcp 127.0.0.1 "$REDIS_PORT" 10 || die "redis did not listen on $REDIS_PORT (see $VAR/redis.log)"
    say "redis on 127.0.0.1:$REDIS_PORT (pid $(pid_of "$VAR/redis.pid"))"
}

stop_redis() { stop_pid "$VAR/redis.pid" redis-server TERM 10; }

# --- PostgreSQL ---------------------------------------------------------------

start_pg() {
    [ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
    PG_HOME=$(pg_home)
    echo "$PG_HOME" >"$VAR/pg.home"
    load_env
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
        mkdir -p "$PG_HOME"
        [ "$(id -u)" = 0 ] && chown postgres: "$PG_HOME"
        as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
            --no-sync >"$VAR/initdb.log" 2>&1 ||
            die "initdb failed (see $VAR/initdb.log)"
    fi
    as_pg mkdir -p "$PG_SOCK"
    if [ -S "$PG_SOCK/.s.PGSQL.$PG_PORT" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        :
    else
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_HOME/postgres.log" -w -t 30 \
            -o "-c listen_addresses='' -c unix_socket_directories=$PG_SOCK -p $PG_PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null || die "PostgreSQL did not start (see $PG_HOME/postgres.log)"
    fi
    if [ "$(psql_q "SELECT 1 FROM pg_database WHERE datname='routeros_mcp'")" != 1 ]; then
        psql_q "CREATE DATABASE routeros_mcp" postgres >/dev/null
    fi
    say "postgresql on $PG_SOCK port $PG_PORT (data $PG_DATA)"
}

psql_q() {
    psql -X -q -At -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres \
        -d "${2:-postgres}" -c "$1"
}

stop_pg() {
    PG_HOME=$(pg_home)
    load_env
    if [ -s "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null ||
            say "pg_ctl stop failed"
    fi
}

# --- secrets -------------------------------------------------------------------

make_secrets() {
    if [ ! -s "$VAR/encryption.key" ]; then
        (umask 077 && openssl rand -hex 32 >"$VAR/encryption.key")
    fi
    if [ ! -s "$VAR/approval.key" ]; then
        (umask 077 && openssl rand -hex 32 >"$VAR/approval.key")
    fi
    if [ ! -s "$VAR/sim.password" ]; then
        (umask 077 && openssl rand -hex 12 >"$VAR/sim.password")
    fi
    chmod 600 "$VAR/encryption.key" "$VAR/approval.key" "$VAR/sim.password"
}

# --- simulator ----------------------------------------------------------------

start_sim() {
    local args=() d
    if pid_alive "$VAR/sim.pid" routeros_sim.py; then
        return
    fi
    for d in "${SIM_DEVICES[@]}"; do args+=(--device "$d"); done
    rm -f "$VAR/sim.pid"
    setsid python3 "$ROOT/t/sim/routeros_sim.py" --port "$SIM_PORT" \
        --password-env SIM_PASSWORD "${args[@]}" --v6 sim-v6 --pidfile "$VAR/sim.pid" \
        --log "$VAR/sim.requests.log" </dev/null >>"$VAR/sim.log" 2>&1 &
    for d in "${SIM_DEVICES[@]}"; do
        wait_tcp "${d#*=}" "$SIM_PORT" 10 || die "simulator not listening on ${d#*=}:$SIM_PORT (see $VAR/sim.log)"
    done
    say "simulator on 127.0.0.2-5:$SIM_PORT (pid $(pid_of "$VAR/sim.pid"))"
}

stop_sim() { stop_pid "$VAR/sim.pid" routeros_sim.py TERM 10; }

# The simulated devices' SSH consoles: a private sshd (needs root).
start_sshd() {
    if [ "$(id -u)" != 0 ]; then
        say "NOTE: not root: no SSH consoles (dev-sim-v6 unreachable)"
        return
    fi
    "$ROOT/t/sim/sshd/start.sh" "$VAR" "$SSH_PORT" "$SIM_PORT" \
        || die "sshd did not start (see $VAR/sshd/sshd.log)"
    say "SSH consoles on 127.0.0.2-5:$SSH_PORT (pid $(pid_of "$VAR/sshd/sshd.pid"))"
}

stop_sshd() { "$ROOT/t/sim/sshd/stop.sh" "$VAR"; }

# --- schema and devices ---------------------------------------------------------

migrate_and_register() {
    local d name ip id
    if [ ! -x "$ADMIN_BIN" ]; then
        say "NOTE: $ADMIN_BIN not built: no migrations applied, no devices registered"
        return
    fi
    "$ADMIN_BIN" migrate >>"$VAR/admin.log" 2>&1 || die "migrate failed (see $VAR/admin.log)"
    for d in "${SIM_DEVICES[@]}"; do
        name=${d%%=*}
        ip=${d#*=}
        id=dev-$name
        [ "$name" != sim-v6 ] || continue
        if [ -z "$(psql_q "SELECT 1 FROM devices WHERE id='$id'" routeros_mcp 2>/dev/null)" ]; then
            "$ADMIN_BIN" device add --id "$id" --name "$name" --ip "$ip" \
                --port "$SIM_PORT" --scheme http --environment lab \
                --username admin --password-env SIM_PASSWORD \
                >>"$VAR/admin.log" 2>&1 || die "device add $id failed (see $VAR/admin.log)"
        fi
    done
    if [ -z "$(psql_q "SELECT 1 FROM devices WHERE id='dev-sim-v6'" routeros_mcp 2>/dev/null)" ] &&
        [ -s "$VAR/sshd/client_ed25519" ]; then
        "$ADMIN_BIN" device add --id dev-sim-v6 --name sim-v6 --ip 127.0.0.5 \
            --port "$SIM_PORT" --scheme http --environment lab \
            --transport ssh --ssh-port "$SSH_PORT" --ssh-username rosadmin \
            --ssh-key-file "$VAR/sshd/client_ed25519" \
            >>"$VAR/admin.log" 2>&1 || die "device add dev-sim-v6 failed (see $VAR/admin.log)"
    fi
    say "schema migrated; devices dev-sim-r1..3 (REST) and dev-sim-v6 (SSH) registered"
}

# --- agent ----------------------------------------------------------------------

start_agent() {
    local san
    load_env
    if pid_alive "$VAR/agent.pid" routeros-mcp-agent; then
        return
    fi
    if [ ! -x "$AGENT_BIN" ]; then
        say "NOTE: $AGENT_BIN not built: agent not started"
        return
    fi
    rm -f "$VAR/agent.pid"
    # Leak detection stays on for the agent in the sanitizer build.
    san=()
    asan_built "$AGENT_BIN" && mapfile -t san < <(sanitizer_env agent 1)
    env "${san[@]}" setsid "$AGENT_BIN" </dev/null >>"$VAR/agent.log" 2>&1 &
    echo $! >"$VAR/agent.pid"
    wait_agent_ready "$(pid_of "$VAR/agent.pid")"
}

# The agent is ready once its heartbeat key exists (id hostname-pid); it may
# still be waiting for Redis in a resilience test, which is not an error.
wait_agent_ready() {
    local pid=$1 key i
    key="mcp:agent:$(hostname)-$pid"
    for ((i = 0; i < 150; i++)); do
        pid_alive "$VAR/agent.pid" routeros-mcp-agent ||
            die "agent exited at start (see $VAR/agent.log): $(tail -n 3 "$VAR/agent.log")"
        if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" EXISTS "$key" 2>/dev/null)" = 1 ]; then
            say "agent running (pid $pid, log $VAR/agent.log)"
            return
        fi
        sleep 0.1
    done
    say "agent running (pid $pid) but no heartbeat yet (see $VAR/agent.log)"
}

# SIGTERM lets the agent finish in-flight jobs (30 s cap), so wait a bit more.
stop_agent() { stop_pid "$VAR/agent.pid" routeros-mcp-agent TERM 35; }

kill9_agent() {
    if pid_alive "$VAR/agent.pid" routeros-mcp-agent; then
        kill -KILL "$(pid_of "$VAR/agent.pid")"
    fi
    rm -f "$VAR/agent.pid"
}

# --- nginx ----------------------------------------------------------------------

# Workers run as www-data when it can read the checkout and the catalog, else
# as root (a checkout under /root): this private stack binds loopback only.
nginx_user() {
    [ "$(id -u)" = 0 ] || return 0
    if id www-data >/dev/null 2>&1 &&
        su www-data -s /bin/sh -c "test -r '$ROOT/shared/catalog/tools' && test -x '$VAR'" 2>/dev/null; then
        echo "www-data"
    else
        echo "root"
    fi
}

asan_built() { readelf -d "$1" 2>/dev/null | grep -q 'NEEDED.*libasan'; }

# Sanitizer reports go to files under var/<profile>/sanitizer/ (make test
# fails when any exists); workers may run unprivileged, so it is world-writable.
sanitizer_env() {
    mkdir -p "$VAR/sanitizer"
    chmod 1777 "$VAR/sanitizer"
    echo "ASAN_OPTIONS=detect_leaks=$2:log_path=$VAR/sanitizer/$1-asan"
    echo "UBSAN_OPTIONS=print_stacktrace=1:log_path=$VAR/sanitizer/$1-ubsan"
}

write_nginx_conf() {
    local user t
    user=$(nginx_user)
    mkdir -p "$VAR/nginx/logs"
    for t in client_body proxy fastcgi uwsgi scgi; do
        mkdir -p "$VAR/nginx/${t}_temp"
        [ "$user" = www-data ] && chown www-data "$VAR/nginx/${t}_temp"
    done
    cat >"$VAR/nginx.conf" <<EOF
# generated by t/stack/stack.sh for profile $profile
load_module $MODULE_SO;
${user:+user $user;}
worker_processes 2;
daemon on;
master_process on;
pid $VAR/nginx.pid;
error_log $VAR/nginx/logs/error.log info;
events { worker_connections 1024; }
http {
    access_log $VAR/nginx/logs/access.log;
    client_body_temp_path $VAR/nginx/client_body_temp;
    proxy_temp_path $VAR/nginx/proxy_temp;
    fastcgi_temp_path $VAR/nginx/fastcgi_temp;
    uwsgi_temp_path $VAR/nginx/uwsgi_temp;
    scgi_temp_path $VAR/nginx/scgi_temp;
    mcp_redis 127.0.0.1:$REDIS_PORT;
    mcp_catalog $ROOT/shared/catalog/tools;
    mcp_prompts $ROOT/shared/prompts/templates;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        include $ROOT/conf.d/routeros-mcp.conf;
        # extra locations a tool of this profile adds (t/bench/run.sh)
        include $VAR/nginx.d/*.conf;
        location = /bare { default_type application/json; return 200 "{}"; }
    }
}
EOF
}

start_nginx() {
    local nginx=nginx
    if pid_alive "$VAR/nginx.pid" nginx; then
        return
    fi
    if [ ! -f "$MODULE_SO" ]; then
        say "NOTE: $MODULE_SO not built: nginx not started"
        return
    fi
    [ -f "$ROOT/conf.d/routeros-mcp.conf" ] || die "conf.d/routeros-mcp.conf missing"
    write_nginx_conf
    # A module built with -fsanitize=address needs the runtime loaded first
    # (t/stack/nginx-asan.sh, installed by make as $BUILD/bin/nginx).
    if asan_built "$MODULE_SO"; then
        [ -x "$BUILD_DIR/bin/nginx" ] || die "$BUILD_DIR/bin/nginx missing: make SANITIZE=1"
        nginx=$BUILD_DIR/bin/nginx
    fi
    MCP_VAR=$VAR "$nginx" -q -p "$VAR/nginx" -c "$VAR/nginx.conf" ||
        die "nginx failed to start: $(tail -n 5 "$VAR/nginx/logs/error.log")"
    wait_tcp 127.0.0.1 "$NGINX_PORT" 10 || die "nginx not listening on $NGINX_PORT"
    say "nginx on http://127.0.0.1:$NGINX_PORT (pid $(pid_of "$VAR/nginx.pid"))"
}

stop_nginx() { stop_pid "$VAR/nginx.pid" nginx QUIT 15; }

# --- commands -------------------------------------------------------------------

status_line() {
    if pid_alive "$1" "$2"; then
        printf '%-10s running (pid %s)\n' "$3" "$(pid_of "$1")"
    else
        printf '%-10s stopped\n' "$3"
    fi
}

status() {
    load_env
    status_line "$VAR/redis.pid" redis-server redis
    if [ -n "$PG_BIN" ] && [ -s "$PG_DATA/postmaster.pid" ] &&
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        printf '%-10s running (pid %s)\n' postgresql "$(head -n 1 "$PG_DATA/postmaster.pid")"
    else
        printf '%-10s stopped\n' postgresql
    fi
    status_line "$VAR/sim.pid" routeros_sim.py simulator
    status_line "$VAR/sshd/sshd.pid" sshd sshd
    status_line "$VAR/agent.pid" routeros-mcp-agent agent
    status_line "$VAR/nginx.pid" nginx nginx
}

up() {
    mkdir -p "$VAR"
    chmod 755 "$VAR"
    make_secrets
    load_env
    start_redis
    start_pg
    start_sim
    start_sshd
    migrate_and_register
    start_agent
    start_nginx
}

# down keeps going when one part fails, so everything else still stops.
down() {
    [ -d "$VAR" ] || return 0
    stop_nginx || true
    stop_agent || true
    stop_sshd || true
    stop_sim || true
    stop_pg || true
    stop_redis || true
    say "stopped"
}

# reset: down, then forget every piece of state of the profile.
reset() {
    local home
    [ -d "$VAR" ] || return 0
    down
    home=$(pg_home)
    case "$home" in
        "$VAR"/*) ;;
        /var/tmp/routeros-mcp-*) rm -rf "$home" ;;
    esac
    rm -rf "$VAR"
}

case "$cmd" in
    up) up ;;
    reset) reset ;;
    down) down ;;
    status) status ;;
    env) print_env ;;
    restart-agent) stop_agent; start_agent ;;
    stop-agent) stop_agent ;;
    start-agent) start_agent ;;
    kill9-agent) kill9_agent ;;
    stop-redis) stop_redis ;;
    start-redis) start_redis ;;
    stop-pg) stop_pg ;;
    start-pg) start_pg ;;
    *) die "unknown command '$cmd'" ;;
esac
