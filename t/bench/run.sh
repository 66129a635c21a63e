#!/usr/bin/env bash
# run.sh: `make bench` — wrk on loopback against a bare nginx location,
# tools/list and tools/calls in the same nginx, then a timed 50-device
# DNS/NTP rollout against extra simulators; writes BENCHMARKS.md.
#
# usage: BUILD=build t/bench/run.sh     (stack profile "bench", base 19000)
# Each target: RUNS runs of wrk -t2 -c50 -d10s --latency; medians reported.
# Rollout: ROLL_DEVICES devices, ROLL_LATENCY_MS per simulated request.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
PROFILE=${BENCH_PROFILE:-bench}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
ROLL_DEVICES=${ROLL_DEVICES:-50}
ROLL_LATENCY_MS=${ROLL_LATENCY_MS:-20}
SSE_STREAMS=${SSE_STREAMS:-200}
export BUILD=${BUILD:-build}

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# tools/list behind bearer JWTs (RS256, keys from t/lib/IdP.pm) in the same
# nginx: location /mcp-jwt, included by the stack's nginx.conf
JWT_TOKENS=${JWT_TOKENS:-1000}
JWT_AUD=http://bench.invalid/mcp-jwt
JWT_DIR=$ROOT/var/$PROFILE/jwt
mkdir -p "$ROOT/var/$PROFILE/nginx.d" "$JWT_DIR"
perl -I"$ROOT/t/lib" -MIdP -e '
    my ($dir, $aud, $n) = @ARGV;
    my $idp = IdP->new("$dir/idp");
    $idp->write_jwks("$dir/jwks.json", "rsa1");
    open(my $many, ">", "$dir/tokens") or die;
    for my $i (1 .. $n) {
        print $many $idp->token(kid => "rsa1", claims => { aud => $aud,
            sub => "bench", scope => "mcp:admin", jti => "bench-$i",
            exp => time + 86400 }), "\n";
    }' "$JWT_DIR" "$JWT_AUD" "$JWT_TOKENS"
cat >"$ROOT/var/$PROFILE/nginx.d/bench-jwt.conf" <<EOF
location = /mcp-jwt {
    mcp_endpoint;
    mcp_auth jwt;
    mcp_auth_audience $JWT_AUD;
    mcp_auth_jwks_file $JWT_DIR/jwks.json;
    client_max_body_size 1m;
    client_body_buffer_size 1m;
}
location = /mcp-jwtc {
    mcp_endpoint;
    mcp_auth jwt;
    mcp_auth_audience $JWT_AUD;
    mcp_auth_jwks_file $JWT_DIR/jwks.json;
    mcp_auth_cache_zone bench_jwt:4m;
    client_max_body_size 1m;
    client_body_buffer_size 1m;
}
EOF

t/stack/stack.sh up "$PROFILE"
eval "$(t/stack/stack.sh env "$PROFILE")"
WORK=$MCP_VAR/bench
mkdir -p "$WORK"
# the rollout's simulators (started below) stop with the stack
stop_roll_sims() {
    local f
    for f in "$WORK"/rollsim*.pid; do
        [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
        rm -f "$f"
    done
}
trap 'stop_roll_sims; t/stack/stack.sh down "$PROFILE"' EXIT

ACCEPT='application/json, text/event-stream'

# One session for every request: initialize, then notifications/initialized.
sid=$(curl -s -D - -o /dev/null -X POST "$MCP_URL" \
    -H 'Content-Type: application/json' -H "Accept: $ACCEPT" \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' |
    tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')
[ -n "$sid" ] || { echo "bench: initialize gave no session id" >&2; exit 1; }
curl -s -o /dev/null -X POST "$MCP_URL" -H 'Content-Type: application/json' \
    -H "Accept: $ACCEPT" -H "Mcp-Session-Id: $sid" \
    -H 'MCP-Protocol-Version: 2025-11-25' \
    -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'

# the same over /mcp-jwt, its session opened with the first token
JWT_URL=$MCP_BASE_URL/mcp-jwt
JWT_ONE=$(head -n 1 "$JWT_DIR/tokens")
jsid=$(curl -s -D - -o /dev/null -X POST "$JWT_URL" \
    -H 'Content-Type: application/json' -H "Accept: $ACCEPT" \
    -H "Authorization: Bearer $JWT_ONE" \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' |
    tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')
[ -n "$jsid" ] || { echo "bench: initialize on /mcp-jwt gave no session id" >&2; exit 1; }
curl -s -o /dev/null -X POST "$JWT_URL" -H 'Content-Type: application/json' \
    -H "Accept: $ACCEPT" -H "Mcp-Session-Id: $jsid" \
    -H "Authorization: Bearer $JWT_ONE" -H 'MCP-Protocol-Version: 2025-11-25' \
    -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'

LIST_BODY='{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
ECHO_BODY='{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"bench"}}}'
OVERVIEW_BODY='{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_system_overview","arguments":{"device_id":"dev-sim-r1"}}}'
# with a progress token the answer is an SSE stream: two progress events
# (read /system/resource, read /system/identity), then the result
SSE_BODY='{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"get_system_overview","arguments":{"device_id":"dev-sim-r1"},"_meta":{"progressToken":"bench"}}}'
IFSTATS_BODY='{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_interface_stats","arguments":{"device_id":"dev-sim-r1","interface_names":["ether1"]}}}'

# lua_script <file> <body> <expect>: a wrk script POSTing <body> with the MCP
# headers; a reply that is not 200 or lacks <expect> counts as an error.
lua_script() {
    cat >"$1" <<EOF
wrk.method = "POST"
wrk.body = '$2'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "$ACCEPT"
wrk.headers["Mcp-Session-Id"] = "$sid"
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
    if status ~= 200 or not string.find(body, '$3', 1, true) then
        bad = bad + 1
    end
end
function done(summary, latency, requests)
    local n = 0
    for _, t in ipairs(threads) do n = n + t:get("bad") end
    io.write(string.format("BAD %d\n", n))
    io.write(string.format("P95 %.3f\n", latency:percentile(95) / 1000))
end
EOF
}

# jwt_script <file> <tokens file>: tools/list on the JWT session, each
# request with the next token of the file (one line: the same token always)
jwt_script() {
    cat >"$1" <<EOF
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
    bad = 0
    tokens = {}
    for line in io.lines("$2") do table.insert(tokens, line) end
    -- threads start at different tokens
    i = math.random(#tokens)
end
function request()
    i = i % #tokens + 1
    return wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["Accept"] = "$ACCEPT",
        ["Mcp-Session-Id"] = "$jsid",
        ["MCP-Protocol-Version"] = "2025-11-25",
        ["Authorization"] = "Bearer " .. tokens[i] }, '$LIST_BODY')
end
function response(status, headers, body)
    if status ~= 200 or not string.find(body, '"tools":[', 1, true) then
        bad = bad + 1
    end
end
function done(summary, latency, requests)
    local n = 0
    for _, t in ipairs(threads) do n = n + t:get("bad") end
    io.write(string.format("BAD %d\n", n))
    io.write(string.format("P95 %.3f\n", latency:percentile(95) / 1000))
end
EOF
}

head -n 1 "$JWT_DIR/tokens" >"$JWT_DIR/token"
jwt_script "$WORK/jwt1.lua" "$JWT_DIR/token"
jwt_script "$WORK/jwtn.lua" "$JWT_DIR/tokens"
jwt_script "$WORK/jwt1c.lua" "$JWT_DIR/token"
jwt_script "$WORK/jwtnc.lua" "$JWT_DIR/tokens"
lua_script "$WORK/bare.lua" "$LIST_BODY" "{}"
lua_script "$WORK/list.lua" "$LIST_BODY" '"tools":['
lua_script "$WORK/echo.lua" "$ECHO_BODY" '"result":'
lua_script "$WORK/overview.lua" "$OVERVIEW_BODY" '"isError":false'
lua_script "$WORK/ifstats.lua" "$IFSTATS_BODY" '"isError":false'
lua_script "$WORK/echo1.lua" "$ECHO_BODY" '"result":'
lua_script "$WORK/sse.lua" "$SSE_BODY" '"isError":false'

# to_ms <wrk latency like 812.00us / 1.20ms / 1.01s>
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
        else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000;
        printf "%.3f", n }'
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A RPS P50 P95 P99 BAD
declare -A TCONNS
run_target() { # <name> <url> [connections, default $CONNS]
    local name=$1 url=$2 conns=${3:-$CONNS} i out rps=() p50=() p95=() p99=() bad=0
    TCONNS[$name]=$conns
    for ((i = 1; i <= RUNS; i++)); do
        out=$(wrk -t"$(( conns < THREADS ? conns : THREADS ))" -c"$conns" -d"$DURATION" --latency \
            -s "$WORK/$name.lua" "$url")
        echo "$out" >"$WORK/$name.$i.txt"
        rps+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")")
        p50+=("$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")")
        p95+=("$(awk '/^P95/ {print $2}' <<<"$out")")
        p99+=("$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")")
        bad=$((bad + $(awk '/^BAD/ {print $2}' <<<"$out")))
        echo "bench: $name run $i: ${rps[-1]} req/s, p50 ${p50[-1]} ms, p95 ${p95[-1]} ms, p99 ${p99[-1]} ms" >&2
    done
    RPS[$name]=$(printf '%s\n' "${rps[@]}" | median)
    P50[$name]=$(printf '%s\n' "${p50[@]}" | median)
    P95[$name]=$(printf '%s\n' "${p95[@]}" | median)
    P99[$name]=$(printf '%s\n' "${p99[@]}" | median)
    BAD[$name]=$bad
}

# memory of open SSE streams, first, while the workers are fresh (their
# RSS keeps its high-water mark): SSE_STREAMS sessions, each holding its
# standalone GET stream open, nginx workers' resident memory before/after
sse_mem=$(perl t/bench/sse_streams.pl "$MCP_NGINX_PORT" \
    "$(cat "$MCP_VAR/nginx.pid")" "$SSE_STREAMS")
echo "$sse_mem" >"$WORK/sse_streams.txt"
echo "$sse_mem" | sed 's/^/bench: sse streams /' >&2
SSE_KIB=$(awk '/^PER_STREAM_KIB/ {print $2}' <<<"$sse_mem")
SSE_RSS=$(awk '/^RSS_BEFORE_KIB/ {b=$2} /^RSS_AFTER_KIB/ {a=$2} END {printf "%d KiB -> %d KiB", b, a}' <<<"$sse_mem")

run_target bare "$MCP_BASE_URL/bare"
run_target list "$MCP_URL"
run_target jwt1 "$JWT_URL"
run_target jwtn "$JWT_URL"
run_target jwt1c "$JWT_URL"c
run_target jwtnc "$JWT_URL"c
run_target echo "$MCP_URL"
run_target overview "$MCP_URL"
run_target ifstats "$MCP_URL"
run_target echo1 "$MCP_URL" 1
run_target sse "$MCP_URL" "$SSE_STREAMS"


# --- DNS/NTP rollout over ROLL_DEVICES simulated devices --------------------
# The simulator's factory addressing runs out past 25 devices per process, so
# the devices are spread over processes of at most 25 each (same port, one
# address per device: 127.0.1.1..N).
ROLL_PORT=$((MCP_NGINX_PORT + 3))
roll_ids=()
start_roll_sims() {
    local first=1 last i part=0 args
    while ((first <= ROLL_DEVICES)); do
        part=$((part + 1))
        last=$((first + 24 > ROLL_DEVICES ? ROLL_DEVICES : first + 24))
        args=()
        for ((i = first; i <= last; i++)); do
            args+=(--device "$(printf 'roll-%02d' "$i")=127.0.1.$i")
        done
        setsid python3 t/sim/routeros_sim.py --port "$ROLL_PORT" \
            --password-env SIM_PASSWORD --latency-ms "$ROLL_LATENCY_MS" \
            "${args[@]}" --pidfile "$WORK/rollsim$part.pid" \
            --log "$WORK/rollsim$part.requests.log" \
            </dev/null >>"$WORK/rollsim$part.log" 2>&1 &
        first=$((last + 1))
    done
    for ((i = 1; i <= ROLL_DEVICES; i++)); do
        for ((w = 0; w < 100; w++)); do
            curl -s -o /dev/null "http://127.0.1.$i:$ROLL_PORT/__sim/state" && break
            sleep 0.1
        done
    done
}
start_roll_sims
for ((i = 1; i <= ROLL_DEVICES; i++)); do
    n=$(printf '%02d' "$i")
    roll_ids+=("dev-roll-$n")
    "$BUILD/routeros-mcp-admin" device remove "dev-roll-$n" >/dev/null 2>&1 || true
    "$BUILD/routeros-mcp-admin" device add --id "dev-roll-$n" --name "roll-$n" \
        --ip "127.0.1.$i" --port "$ROLL_PORT" --scheme http --environment lab \
        --username admin --password-env SIM_PASSWORD \
        --allow-professional-workflows >/dev/null
done
roll_out=$(t/bench/rollout.pl "$BUILD/routeros-mcp-admin" "$RUNS" "${roll_ids[@]}")
echo "$roll_out" >"$WORK/rollout.txt"
echo "$roll_out" | sed 's/^/bench: rollout /' >&2
ROLL_S=$(awk '/^RUN/ {print $3}' <<<"$roll_out" | median)
ROLL_RUNS=$(awk '/^RUN/ {printf "%s%s s (%s, %s ok)", sep, $3, $4, $5; sep = "; "}' <<<"$roll_out")

ratio=$(awk -v a="${RPS[list]}" -v b="${RPS[bare]}" 'BEGIN {printf "%.1f", 100 * a / b}')
echo_ratio=$(awk -v a="${RPS[echo]}" -v b="${RPS[bare]}" 'BEGIN {printf "%.1f", 100 * a / b}')
goal_list=$(awk -v r="$ratio" 'BEGIN {print (r >= 50) ? "met" : "NOT met"}')
goal_echo=$(awk -v p="${P99[echo]}" 'BEGIN {print (p < 10) ? "met" : "NOT met"}')
goal_read() { # <target>: > 3000 calls/s and p95 < 20 ms
    awk -v r="${RPS[$1]}" -v p="${P95[$1]}" \
        'BEGIN {print (r > 3000 && p < 20) ? "met" : "NOT met"}'
}
read_ratio() { awk -v a="${RPS[$1]}" -v b="${RPS[bare]}" 'BEGIN {printf "%.1f", 100 * a / b}'; }
goal_roll=$(awk -v s="$ROLL_S" 'BEGIN {print (s < 10) ? "met" : "NOT met"}')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)

{
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` (t/bench/run.sh). Loopback only; numbers are"
    echo "for this machine and this run, to compare changes, not promises."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- machine: $(nproc) CPUs, ${model:-unknown model}; $(uname -sr)"
    echo "- load average (1/5/15 min) before / after: $LOAD_BEFORE / $LOAD_AFTER"
    echo "  (the machine is shared: other builds and test stacks may run meanwhile)"
    echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- stack: profile \`bench\` (nginx 2 workers on 127.0.0.1:$MCP_NGINX_PORT, Redis, agent, PostgreSQL, simulator), build \`$BUILD\`"
    echo "- load: \`wrk -t$THREADS -c$CONNS -d$DURATION --latency -s <script> <url>\` (other connection counts where a row says so), $RUNS runs per target, medians"
    echo "- reproduce: \`make bench\`"
    echo
    echo "Every target sends the same kind of POST (JSON body, MCP headers, one"
    echo "session); \`bare\` is \`location = /bare { return 200 \"{}\"; }\` in the"
    echo "same nginx. Bodies: tools/list \`$LIST_BODY\`; echo \`$ECHO_BODY\`."
    echo
    echo "JWT rows: \`location = /mcp-jwt\` in the same nginx (\`mcp_auth jwt\`,"
    echo "\`mcp_auth_jwks_file\` with one RSA-2048 key from t/lib/IdP.pm), its own"
    echo "session; every request carries \`Authorization: Bearer\` with either the"
    echo "same token or the next of $JWT_TOKENS distinct tokens (same subject, distinct"
    echo "\`jti\`). Uncached rows: each request parses the token and checks its"
    echo "signature. Cached rows: \`location = /mcp-jwtc\`, the same plus"
    echo "\`mcp_auth_cache_zone\` (verified tokens kept up to 5 minutes, all"
    echo "$JWT_TOKENS fit), so after each token's first request no signature is checked."
    echo
    echo "Device reads (dev-sim-r1, simulator without added latency):"
    echo "get_system_overview \`$OVERVIEW_BODY\`;"
    echo "get_interface_stats \`$IFSTATS_BODY\`. A reply that is not"
    echo "HTTP 200 with \`\"isError\":false\` counts as bad. p95 comes from"
    echo "wrk's \`latency:percentile(95)\` in the script's \`done()\` hook."
    echo
    echo "| target | req/s (median) | p50 ms | p95 ms | p99 ms | bad replies |"
    echo "|---|---:|---:|---:|---:|---:|"
    for n in bare list jwt1 jwtn jwt1c jwtnc echo echo1 overview ifstats sse; do
        case $n in
            bare) label='bare nginx `return 200`' ;;
            list) label='`tools/list`' ;;
            jwt1) label='`tools/list`, JWT RS256, one token' ;;
            jwtn) label="\`tools/list\`, JWT RS256, $JWT_TOKENS distinct tokens" ;;
            jwt1c) label='`tools/list`, JWT RS256, one token, cached' ;;
            jwtnc) label="\`tools/list\`, JWT RS256, $JWT_TOKENS distinct tokens, cached" ;;
            echo) label='`tools/call echo` (Redis + agent)' ;;
            overview) label='`tools/call get_system_overview`' ;;
            ifstats) label='`tools/call get_interface_stats`' ;;
            echo1) label='`tools/call echo`, 1 connection' ;;
            sse) label="\`tools/call get_system_overview\` with progress (SSE), ${TCONNS[sse]} connections" ;;
        esac
        echo "| $label | ${RPS[$n]} | ${P50[$n]} | ${P95[$n]} | ${P99[$n]} | ${BAD[$n]} |"
    done
    echo
    echo "| ratio | value | goal | |"
    echo "|---|---:|---|---|"
    echo "| tools/list / bare (req/s) | $ratio % | >= 50 % | $goal_list |"
    echo "| tools/list JWT one token / bare (req/s) | $(read_ratio jwt1) % | (none) | |"
    echo "| tools/list JWT distinct tokens / bare (req/s) | $(read_ratio jwtn) % | (none) | |"
    echo "| tools/list JWT one token, cached / bare (req/s) | $(read_ratio jwt1c) % | (none) | |"
    echo "| tools/list JWT distinct tokens, cached / bare (req/s) | $(read_ratio jwtnc) % | (none) | |"
    echo "| tools/call echo / bare (req/s) | $echo_ratio % | (none) | |"
    echo "| tools/call echo p99 | ${P99[echo]} ms | < 10 ms | $goal_echo |"
    echo "| get_system_overview / bare (req/s) | $(read_ratio overview) % | (none) | |"
    echo "| get_interface_stats / bare (req/s) | $(read_ratio ifstats) % | (none) | |"
    echo "| get_system_overview | ${RPS[overview]} calls/s, p95 ${P95[overview]} ms | > 3000 calls/s, p95 < 20 ms | $(goal_read overview) |"
    echo "| get_interface_stats | ${RPS[ifstats]} calls/s, p95 ${P95[ifstats]} ms | > 3000 calls/s, p95 < 20 ms | $(goal_read ifstats) |"
    echo "| tools/call echo p99, 1 connection | ${P99[echo1]} ms | (none) | |"
    echo "| nginx memory per open SSE stream | $SSE_KIB KiB | (none) | |"
    echo
    echo "SSE rows: \`$SSE_BODY\` answers \`text/event-stream\` with two"
    echo "\`notifications/progress\` events and the result, ${TCONNS[sse]} such calls in"
    echo "flight. Memory: $SSE_STREAMS sessions each holding its standalone GET stream"
    echo "open (t/bench/sse_streams.pl), the nginx workers' summed VmRSS $SSE_RSS,"
    echo "divided by $SSE_STREAMS."
    echo
    echo "Both reads have rate_class \`read\`; conf.d/routeros-mcp.conf's only"
    echo "\`mcp_limit_rule\` is for \`diagnostics\`, so no rate limit applies and"
    echo "none was changed for this benchmark."
    echo
    echo "## DNS/NTP rollout"
    echo
    echo "$ROLL_DEVICES simulated devices (dev-roll-01.., 127.0.1.1-$ROLL_DEVICES:$ROLL_PORT,"
    echo "${ROLL_LATENCY_MS} ms added to every RouterOS reply by \`routeros_sim.py --latency-ms\`,"
    echo "at most 25 devices per simulator process, which spreads the simulated"
    echo "latency over two Python processes), registered in the bench stack only with"
    echo "\`--allow-professional-workflows\`. Each run (t/bench/rollout.pl): a new"
    echo "plan via \`config_plan_dns_ntp_rollout\` (batch_size 5, pause_seconds 0,"
    echo "new DNS/NTP values per run), \`routeros-mcp-admin plan approve <id>"
    echo "--approver bench\`, then \`config_apply_dns_ntp_rollout\` timed wall-clock"
    echo "from request to final answer. $RUNS runs."
    echo
    echo "| measure | value | goal | |"
    echo "|---|---:|---|---|"
    echo "| apply wall-clock (median) | $ROLL_S s | < 10 s | $goal_roll |"
    echo
    echo "Runs: $ROLL_RUNS."
    echo
    echo "wrk keeps $CONNS requests in flight, so latency is about $CONNS / throughput"
    echo "(Little's law): the echo p99 reflects queueing behind the agent at this"
    echo "load as much as the per-call cost. wrk, nginx, Redis, the agent, PostgreSQL"
    echo "and the simulator all share this machine's $(nproc) CPUs."
    echo
    echo "Raw wrk output of every run: \`var/bench/bench/*.txt\`, rollout runs in"
    echo "\`var/bench/bench/rollout.txt\` (not committed)."
} >"$OUT"

echo "bench: wrote $OUT" >&2
cat "$OUT"
