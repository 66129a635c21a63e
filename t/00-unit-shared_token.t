#!/bin/sh
# C unit tests of shared_token (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/shared_token"
