#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of Fuzz/Sources/ScaleFuzz (see Fuzz/README.md).
#   Fuzz/fuzz.sh build                   the fuzzing build (-sanitize=fuzzer,address) in .build-fuzz
#   Fuzz/fuzz.sh run [target...]         each target for FUZZ_SECONDS (default 600)
#   Fuzz/fuzz.sh smoke [target...]       each target for FUZZ_SMOKE_RUNS inputs from a fixed seed
#   Fuzz/fuzz.sh replay [target...]      every file of Fuzz/regressions/<target>/ through the fuzzing build
# Crashing inputs are written to Fuzz/findings/<target>/; new coverage to .build-fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SWIFT=${SWIFT:-swift}
# Absolute: the cli target moves the fuzzer into a temporary directory.
SCRATCH=$ROOT/${FUZZ_SCRATCH:-.build-fuzz}
BIN=$SCRATCH/release/ScaleFuzz
STATS=$SCRATCH/fuzz-stats.tsv
# Swift's own crash reporter would symbolicate for minutes inside libFuzzer's signal handler.
export SWIFT_BACKTRACE=enable=no
# Leak reports are off: the Swift runtime's metadata caches look like leaks to LeakSanitizer.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}

build() {
    # --sanitize=fuzzer makes SwiftPM link libFuzzer's main and parse executables as libraries;
    # -sanitize=fuzzer,address (one flag) adds coverage and ASan to every module — two separate
    # --sanitize flags lose the coverage instrumentation. -DFUZZING drops the replay main.
    "$SWIFT" build -c release --product ScaleFuzz --scratch-path "$SCRATCH" \
        --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
}

targets() {
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; else ls Fuzz/corpus; fi
}

# known LOG: the note of the Fuzz/known-crashes.tsv line that matches the crash in LOG, if any.
known() {
    local log=$1 error frame kind where note
    error=$(grep -m1 -E 'ERROR: |deadly signal|timeout after|out-of-memory' "$log" || true)
    frame=$(grep -m1 '/Sources/' "$log" || true)
    while IFS=$'\t' read -r kind where note; do
        [[ -z $kind || $kind == \#* ]] && continue
        if grep -qE "$kind" <<<"$error" && grep -qE "$where" <<<"$frame"; then echo "$note"; return 0; fi
    done <Fuzz/known-crashes.tsv
    return 1
}

# fuzz_one MODE TARGET LIBFUZZER-FLAGS...: runs one target, keeps its log, appends its final
# figures to $STATS. MODE smoke starts from the seeds alone and keeps its crashes out of the
# tree; MODE run grows .build-fuzz/corpus and saves crashes to Fuzz/findings/<target>/.
fuzz_one() {
    local mode=$1 target=$2; shift 2
    local work=$SCRATCH/corpus/$target log=$SCRATCH/logs/$target.log findings=$ROOT/Fuzz/findings/$target
    if [ "$mode" = smoke ]; then
        work=$SCRATCH/smoke/corpus/$target findings=$SCRATCH/smoke/findings/$target log=$SCRATCH/logs/smoke-$target.log
        rm -rf "$work" "$findings"
    fi
    mkdir -p "$work" "$SCRATCH/logs" "$findings"
    # The target's dictionary, if it has one, plus the shared edge-case numbers.
    local dict=()
    if [ -f "Fuzz/dictionaries/$target.dict" ]; then
        cat "Fuzz/dictionaries/$target.dict" Fuzz/dictionaries/numbers.inc >"$SCRATCH/$target.dict"
        dict=(-dict="$SCRATCH/$target.dict")
    fi
    local before status=0
    before=$(ls "$findings")
    FUZZ_TARGET=$target "$BIN" "$@" "${dict[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$ROOT/Fuzz/corpus/$target" </dev/null >"$log" 2>&1 || status=$?
    local last execs
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' <<<"$last" | tr -d '#')
    printf '%s\t%s\t%s\texecs=%s\t%s\n' "$target" "$mode" "$(date -u +%FT%TZ)" "${execs:-?}" \
        "$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+(/[0-9]+[a-zA-Z]*)?' <<<"$last" || echo 'no coverage line')" | tee -a "$STATS"
    # Every new crash, timeout or oom input is replayed alone and matched against the known ones.
    local input failed=0 note
    for input in $(comm -13 <(echo "$before") <(ls "$findings")); do
        local replay_log=$SCRATCH/logs/$target-$input.log
        FUZZ_TARGET=$target "$BIN" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$SCRATCH/replay-" "$findings/$input" </dev/null >"$replay_log" 2>&1 || true
        if note=$(known "$replay_log"); then
            echo "KNOWN $target: $note ($findings/$input)"
        else
            failed=1
            echo "FAIL $target: $(grep -m1 -E 'ERROR|Fatal error|SUMMARY' "$replay_log" || true)"
            echo "  first frame: $(grep -m1 '/Sources/' "$replay_log" | sed 's/.* in //' || true)"
            echo "  input: $findings/$input; log: $replay_log"
        fi
    done
    if [ $status -ne 0 ] && [ -z "$(comm -13 <(echo "$before") <(ls "$findings"))" ]; then
        echo "FAIL $target: libFuzzer exited $status without saving an input; see $log"
        failed=1
    fi
    return $failed
}

fuzz_all() {
    local mode=$1 failed=()
    shift
    while read -r target; do
        fuzz_one "$mode" "$target" "$@" || failed+=("$target")
    done < <(targets "${names[@]}")
    if [ ${#failed[@]} -gt 0 ]; then echo "fuzzing failed: ${failed[*]}"; return 1; fi
}

replay() {
    local failed=()
    while read -r target; do
        local dir=Fuzz/regressions/$target
        [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] || continue
        if FUZZ_TARGET=$target "$BIN" -runs=0 -timeout=10 -artifact_prefix="$SCRATCH/replay-" "$dir" </dev/null >"$SCRATCH/logs/replay-$target.log" 2>&1; then
            echo "$target: replayed $(ls "$dir" | wc -l) regression input(s)"
        else
            echo "FAIL $target: $(grep -m1 -E 'ERROR|Fatal error|SUMMARY' "$SCRATCH/logs/replay-$target.log" || true)"
            failed+=("$target")
        fi
    done < <(targets "${names[@]}")
    if [ ${#failed[@]} -gt 0 ]; then echo "regressions failed: ${failed[*]}"; return 1; fi
}

mode=${1:-run}; shift || true
names=("$@")
mkdir -p "$SCRATCH/logs"
case $mode in
    build) build ;;
    # Fork mode keeps a long run going past a crash; each saved input is judged afterwards.
    run) fuzz_all run -max_total_time="${FUZZ_SECONDS:-600}" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 ;;
    # A fixed seed and a count, not a time: the smoke run in make test explores the same inputs every time.
    smoke) fuzz_all smoke -runs="${FUZZ_SMOKE_RUNS:-3000}" -seed=1 ;;
    replay) replay ;;
    *) echo "usage: Fuzz/fuzz.sh build|run|smoke|replay [target...]" >&2; exit 64 ;;
esac
