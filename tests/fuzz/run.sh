#!/usr/bin/env bash
# Runs every fuzzer built in build/fuzz for SECONDS each (default 20), one per core at a
# time, starting from its committed seed corpus, and fails when one finds a crash, a leak
# or a timeout. New inputs go to a scratch corpus, never into tests/fuzz/corpus. Prints
# the executions of each. Usage: tests/fuzz/run.sh [SECONDS] [NAME...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
shift || true
bin="build/fuzz/bin"
work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
names=("$@")
if ((${#names[@]} == 0)); then
  for fuzzer in "$bin"/*_fuzzer; do
    names+=("$(basename "$fuzzer" _fuzzer)")
  done
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One fuzzer per core at a time; each one's verdict is printed in order at the end.
fuzz_one() {
  local name=$1 log="$work/$1.log"
  mkdir -p "$work/$name" "$work/$name.artifacts"
  # -timeout: one input taking 10 s is a finding; -rss_limit_mb: so is 2 GB of memory.
  if "$bin/${name}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$work/$name.artifacts/" \
      "$work/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
    echo pass >"$work/$name.verdict"
  else
    echo fail >"$work/$name.verdict"
  fi
}
jobs_at_once=$(nproc)
for name in "${names[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs_at_once)); do
    wait -n || true
  done
  fuzz_one "$name" &
done
wait

failed=0
passed=0
for name in "${names[@]}"; do
  log="$work/$name.log"
  if [[ $(cat "$work/$name.verdict" 2>/dev/null) == pass ]]; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $name: ${runs:-?} executions in ${seconds} s, no finding"
    passed=$((passed + 1))
  else
    echo "fuzz $name: FINDING" >&2
    tail -n 60 "$log" >&2
    for artifact in "$work/$name.artifacts"/*; do
      [[ -e "$artifact" ]] && echo "input (base64): $(base64 -w0 "$artifact" | head -c 4000)" >&2
    done
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
