#!/bin/sh
# stop.sh: stops the private sshd started by start.sh for <var dir>.
#
#   t/sim/sshd/stop.sh <var dir>
set -eu
[ $# -eq 1 ] || { echo "usage: $0 <var dir>" >&2; exit 2; }
PIDFILE=$1/sshd/sshd.pid
[ -s "$PIDFILE" ] || exit 0
pid=$(cat "$PIDFILE")
if kill -0 "$pid" 2>/dev/null && \
        grep -q sshd "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
fi
rm -f "$PIDFILE"
