#!/usr/bin/env bash
# What every command pays before it does anything: `gantry --version` (loads no plugin)
# and a no-op one-step pipeline (loads the noop test plugin alone, its description from
# the cache). Prints the median and mean of RUNS runs of each in milliseconds, and fails
# when a median misses its target (--version < 5 ms, no-op pipeline < 15 ms).
# Usage: tests/bench/startup_bench.sh [RUNS] [BUILD_DIR]   (default: 50, build/ci)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-50}"
build="$(realpath "${2:-build/ci}")"
gantry="$build/bin/gantry"
work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache" GANTRY_PLUGIN_PATH="$build/tests/plugins/noop"
printf 'steps:\n  nothing: {uses: noop}\n' >"$work/gantry.yaml"

# Prints each run's wall time in microseconds.
times_us() {
  local i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
  done
}
report() {  # NAME TARGET_MS TIMES...
  local name=$1 target=$2
  shift 2
  local median mean
  median=$(printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p")
  mean=$(printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%d", s / NR }')
  printf '%-28s median %6.2f ms  mean %6.2f ms  target < %s ms\n' "$name" \
    "$(echo "scale=2; $median / 1000" | bc)" "$(echo "scale=2; $mean / 1000" | bc)" "$target"
  ((median < target * 1000))
}

"$gantry" run -q "$work/gantry.yaml" >/dev/null  # fills the description cache
status=0
report "gantry --version" 5 $(times_us "$gantry" --version) || status=1
report "no-op one-step pipeline" 15 $(times_us "$gantry" run -q --output plain "$work/gantry.yaml") ||
  status=1
exit $status
