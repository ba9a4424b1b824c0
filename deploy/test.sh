#!/usr/bin/env bash
# All tests: installs what is missing, builds with warnings as errors, runs every unit and integration
# test (integration tests start their own Mosquitto), then the same tests built with ASan and UBSan.
# Last, the fuzz targets (clang, libFuzzer) each run for a bounded time over their seeds.
# PASSERELLE_SKIP_SANITIZERS=1 and PASSERELLE_SKIP_FUZZ=1 skip those stages in the inner loop.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

total_start=$SECONDS
ensure_packages
jobs=$(nproc)

# run_tests BUILD_DIR LABEL [VAR=value...]: runs ctest there (output also in BUILD_DIR/ctest.log)
# and sets TESTS_RUN to the number of tests; a failure ends the script with a clear last line.
run_tests() {
    local dir=$1 label=$2
    shift 2
    local rc=0
    (cd "$dir" && env "$@" ctest --output-on-failure --no-tests=error -j "$jobs" -LE bench) 2>&1 \
        | tee "$dir/ctest.log" || rc=$?
    if [ "$rc" -ne 0 ]; then
        say ""
        say "== tests FAILED ($label) after $((SECONDS - total_start)) s; ctest's output: $dir/ctest.log"
        exit 1
    fi
    # ctest ends with "100% tests passed, 0 tests failed out of N".
    TESTS_RUN=$(sed -n 's/.*tests failed out of \([0-9][0-9]*\).*/\1/p' "$dir/ctest.log" | tail -n 1)
    TESTS_RUN=${TESTS_RUN:-?}
}

build="$PASSERELLE_ROOT/build"
say "== build (warnings are errors)"
start=$SECONDS
configure_and_build "$build" "" -DPASSERELLE_WERROR=ON
say "build: $((SECONDS - start)) s"
say "== tests"
run_tests "$build" "normal build"
result="$TESTS_RUN tests passed (normal build)"

if [ "${PASSERELLE_SKIP_SANITIZERS:-0}" != "1" ]; then
    # clang: at -O0 with ASan and UBSan it compiles in about half gcc's time.
    sanitized="$PASSERELLE_ROOT/build-asan"
    say "== build with clang, AddressSanitizer and UndefinedBehaviorSanitizer"
    start=$SECONDS
    configure_and_build "$sanitized" "" -DPASSERELLE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_COMPILER=clang++ -DPASSERELLE_SANITIZE=address,undefined
    say "sanitized build: $((SECONDS - start)) s"
    say "== tests under ASan+UBSan"
    run_tests "$sanitized" "ASan+UBSan build" ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
    result="$result, $TESTS_RUN under ASan+UBSan"
else
    result="$result; ASan+UBSan skipped (PASSERELLE_SKIP_SANITIZERS=1)"
fi
# The fuzz targets have a build of their own: their coverage instrumentation, in every library
# they reach, would slow the tests above down by half.
if [ "${PASSERELLE_SKIP_FUZZ:-0}" != "1" ]; then
    fuzz="$PASSERELLE_ROOT/build-fuzz"
    seconds=${PASSERELLE_FUZZ_SECONDS:-12}
    say "== fuzz targets (clang + libFuzzer, ${seconds} s each, the codecs' a quarter of it)"
    start=$SECONDS
    configure_and_build --quiet "$fuzz" fuzzers -DCMAKE_CXX_COMPILER=clang++ \
        -DPASSERELLE_BUILD_FUZZERS=ON -DPASSERELLE_BUILD_TESTS=OFF
    say "fuzz build: $((SECONDS - start)) s"
    runs=""
    codecs="lorawan_lpp lorawan_elsys lorawan_milesight lorawan_dragino_lht65"
    small="routing_requests"  # a few fields of JSON: a quarter of a target's time finds its bugs
    for target in senml rules rules_expr config mbus wmbus wmbusmeters json_mapping $codecs \
            lorawan_envelopes lorawan_envelope_scanner $small; do
        # The payload codecs' targets share one target's time (they were one target): the
        # stage's length grows with the parsers, not with the codecs.
        budget=$seconds
        case " $codecs $small " in *" $target "*) budget=$(( (seconds + 3) / 4 )) ;; esac
        binary=$(find "$fuzz" -name "${target}_fuzz" -type f -perm -u+x | head -n 1)
        [ -n "$binary" ] || die "fuzz target ${target}_fuzz was not built"
        # A scratch corpus: the fuzzer adds what it finds there, never to the repository.
        corpus=$(mktemp -d)
        seeds="$PASSERELLE_ROOT/tests/fuzz/corpus/$target"
        [ -d "$seeds" ] && cp -r "$seeds/." "$corpus/"
        dict=()
        [ -f "$PASSERELLE_ROOT/rules/expr/expr_fuzz.dict" ] && [ "$target" = rules_expr ] \
            && dict=(-dict="$PASSERELLE_ROOT/rules/expr/expr_fuzz.dict")
        log="$fuzz/${target}_fuzz.log"
        if ! "$binary" "${dict[@]}" -max_total_time="$budget" -rss_limit_mb=2048 \
                -artifact_prefix="$fuzz/${target}-" "$corpus" >"$log" 2>&1; then
            tail -n 40 "$log"
            rm -rf "$corpus"
            say "== tests FAILED (fuzz target ${target}_fuzz found a crash; see $log)"
            exit 1
        fi
        rm -rf "$corpus"
        executions=$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
        say "${target}_fuzz: ${executions:-?} executions, no crash"
        runs="$runs, ${target} ${executions:-?}"
    done
    result="$result; fuzzing ${runs#, } executions without a crash"
else
    result="$result; fuzzing skipped (PASSERELLE_SKIP_FUZZ=1)"
fi
say "== all tests passed: $result; total $((SECONDS - total_start)) s"
