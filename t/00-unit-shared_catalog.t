#!/bin/sh
# C unit tests of shared_catalog (TAP); built by make into $BUILD/unit.
exec "${BUILD:-build}/unit/shared_catalog"
