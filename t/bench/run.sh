#!/usr/bin/env bash
# run.sh: `make bench` — wrk on loopback against a bare nginx location,
# tools/list and tools/call echo in the same nginx; writes BENCHMARKS.md.
#
# usage: BUILD=build t/bench/run.sh     (stack profile "bench", base 19000)
# Each target: RUNS runs of wrk -t2 -c50 -d10s --latency; medians reported.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
PROFILE=bench
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
export BUILD=${BUILD:-build}

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

t/stack/stack.sh up "$PROFILE"
trap 't/stack/stack.sh down "$PROFILE"' EXIT
eval "$(t/stack/stack.sh env "$PROFILE")"
WORK=$MCP_VAR/bench
mkdir -p "$WORK"

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

LIST_BODY='{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
ECHO_BODY='{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"bench"}}}'

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
end
EOF
}

lua_script "$WORK/bare.lua" "$LIST_BODY" "{}"
lua_script "$WORK/list.lua" "$LIST_BODY" '"tools":['
lua_script "$WORK/echo.lua" "$ECHO_BODY" '"result":'

# to_ms <wrk latency like 812.00us / 1.20ms / 1.01s>
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
        else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000;
        printf "%.3f", n }'
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A RPS P50 P99 BAD
run_target() {
    local name=$1 url=$2 i out rps=() p50=() p99=() bad=0
    for ((i = 1; i <= RUNS; i++)); do
        out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency \
            -s "$WORK/$name.lua" "$url")
        echo "$out" >"$WORK/$name.$i.txt"
        rps+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")")
        p50+=("$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")")
        p99+=("$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")")
        bad=$((bad + $(awk '/^BAD/ {print $2}' <<<"$out")))
        echo "bench: $name run $i: ${rps[-1]} req/s, p50 ${p50[-1]} ms, p99 ${p99[-1]} ms" >&2
    done
    RPS[$name]=$(printf '%s\n' "${rps[@]}" | median)
    P50[$name]=$(printf '%s\n' "${p50[@]}" | median)
    P99[$name]=$(printf '%s\n' "${p99[@]}" | median)
    BAD[$name]=$bad
}

run_target bare "$MCP_BASE_URL/bare"
run_target list "$MCP_URL"
run_target echo "$MCP_URL"

ratio=$(awk -v a="${RPS[list]}" -v b="${RPS[bare]}" 'BEGIN {printf "%.1f", 100 * a / b}')
echo_ratio=$(awk -v a="${RPS[echo]}" -v b="${RPS[bare]}" 'BEGIN {printf "%.1f", 100 * a / b}')
goal_list=$(awk -v r="$ratio" 'BEGIN {print (r >= 50) ? "met" : "NOT met"}')
goal_echo=$(awk -v p="${P99[echo]}" 'BEGIN {print (p < 10) ? "met" : "NOT met"}')
model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)

{
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` (t/bench/run.sh). Loopback only; numbers are"
    echo "for this machine and this run, to compare changes, not promises."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- machine: $(nproc) CPUs, ${model:-unknown model}; $(uname -sr)"
    echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- stack: profile \`bench\` (nginx 2 workers on 127.0.0.1:$MCP_NGINX_PORT, Redis, agent, PostgreSQL, simulator), build \`$BUILD\`"
    echo "- load: \`wrk -t$THREADS -c$CONNS -d$DURATION --latency -s <script> <url>\`, $RUNS runs per target, medians"
    echo "- reproduce: \`make bench\`"
    echo
    echo "Every target sends the same kind of POST (JSON body, MCP headers, one"
    echo "session); \`bare\` is \`location = /bare { return 200 \"{}\"; }\` in the"
    echo "same nginx. Bodies: tools/list \`$LIST_BODY\`; echo \`$ECHO_BODY\`."
    echo
    echo "| target | req/s (median) | p50 ms | p99 ms | bad replies |"
    echo "|---|---:|---:|---:|---:|"
    for n in bare list echo; do
        case $n in
            bare) label='bare nginx `return 200`' ;;
            list) label='`tools/list`' ;;
            echo) label='`tools/call echo` (Redis + agent)' ;;
        esac
        echo "| $label | ${RPS[$n]} | ${P50[$n]} | ${P99[$n]} | ${BAD[$n]} |"
    done
    echo
    echo "| ratio | value | goal | |"
    echo "|---|---:|---|---|"
    echo "| tools/list / bare (req/s) | $ratio % | >= 50 % | $goal_list |"
    echo "| tools/call echo / bare (req/s) | $echo_ratio % | (none) | |"
    echo "| tools/call echo p99 | ${P99[echo]} ms | < 10 ms | $goal_echo |"
    echo
    echo "wrk keeps $CONNS requests in flight, so latency is about $CONNS / throughput"
    echo "(Little's law): the echo p99 reflects queueing behind the agent at this"
    echo "load as much as the per-call cost. wrk, nginx, Redis, the agent, PostgreSQL"
    echo "and the simulator all share this machine's $(nproc) CPUs."
    echo
    echo "Raw wrk output of every run: \`var/bench/bench/*.txt\` (not committed)."
} >"$OUT"

echo "bench: wrote $OUT" >&2
cat "$OUT"
