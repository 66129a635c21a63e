#!/bin/sh
# C unit tests of shared_schema (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/shared_schema"
