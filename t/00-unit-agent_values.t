#!/bin/sh
# C unit tests of agent_values (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/agent_values"
