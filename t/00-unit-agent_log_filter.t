#!/bin/sh
# C unit tests of the log time parser and filter (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/agent_log_filter"
