#!/usr/bin/env bash
# All tests: installs what is missing, builds with warnings as errors, runs every unit and integration
# test (integration tests start their own Mosquitto), then the same tests built with ASan and UBSan.
# PASSERELLE_SKIP_SANITIZERS=1 skips the second build in the inner loop.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages
jobs=$(nproc)

build="$PASSERELLE_ROOT/build"
mkdir -p "$build"
say "== build (warnings are errors)"
start=$SECONDS
configure_and_build "$build" "" -DPASSERELLE_WERROR=ON
say "build: $((SECONDS - start)) s"
say "== tests"
(cd "$build" && ctest --output-on-failure -j "$jobs" -LE bench)

if [ "${PASSERELLE_SKIP_SANITIZERS:-0}" != "1" ]; then
    sanitized="$PASSERELLE_ROOT/build-asan"
    mkdir -p "$sanitized"
    say "== build with AddressSanitizer and UndefinedBehaviorSanitizer"
    start=$SECONDS
    configure_and_build "$sanitized" "" -DPASSERELLE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
        -DPASSERELLE_SANITIZE=address,undefined
    say "sanitized build: $((SECONDS - start)) s"
    say "== tests under ASan+UBSan"
    (cd "$sanitized" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --output-on-failure -j "$jobs" -LE bench)
fi
say "== all tests passed"
