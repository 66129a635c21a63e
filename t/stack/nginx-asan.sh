#!/bin/sh
# nginx-asan.sh: runs Debian's nginx for a sanitizer build (make installs it
# as $(BUILD)/bin/nginx): the ASan-instrumented module needs the ASan runtime
# loaded first; reports go to $MCP_VAR/sanitizer/ when a stack is set up.
LD_PRELOAD="$(gcc -print-file-name=libasan.so)${LD_PRELOAD:+:$LD_PRELOAD}"
export LD_PRELOAD
if [ -n "${MCP_VAR:-}" ] && mkdir -p "$MCP_VAR/sanitizer" 2>/dev/null; then
    chmod 1777 "$MCP_VAR/sanitizer"
    ASAN_OPTIONS="detect_leaks=0:log_path=$MCP_VAR/sanitizer/nginx-asan"
    UBSAN_OPTIONS="print_stacktrace=1:log_path=$MCP_VAR/sanitizer/nginx-ubsan"
else
    ASAN_OPTIONS="detect_leaks=0"
    UBSAN_OPTIONS="print_stacktrace=1"
fi
export ASAN_OPTIONS UBSAN_OPTIONS
exec /usr/sbin/nginx "$@"
