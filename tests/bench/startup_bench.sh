#!/usr/bin/env bash
# What every command pays before it does anything: `gantry --version` (answered by the
# launcher, which loads no library) and a no-op one-step pipeline (the host library, the
# noop test plugin alone, its description from the cache), beside /bin/true, the floor of
# any process on the machine. Prints the median and the fastest of RUNS runs of each in
# milliseconds, and fails when a median misses its target (--version < 5 ms, no-op
# pipeline < 15 ms).
# Usage: tests/bench/startup_bench.sh [RUNS] [BUILD_DIR]   (default: 50, build/ci)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-50}"
build="$(realpath "${2:-build/ci}")"
gantry="$build/bin/gantry"
timer="$PWD/tests/bench/spawn_timer.py"
work="$(mktemp -d "${TMPDIR:-/tmp}/gantry-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache" GANTRY_PLUGIN_PATH="$build/tests/plugins/noop"
printf 'steps:\n  nothing: {uses: noop}\n' >"$work/gantry.yaml"
cd "$work"

report() {  # NAME TARGET_MS COMMAND...: prints the figures; false when the median misses
  local name=$1 target=$2 median fastest
  shift 2
  read -r median fastest < <(/usr/bin/python3 "$timer" "$runs" "$@")
  printf '%-26s median %6.2f ms  fastest %6.2f ms  target %s\n' "$name" "$median" "$fastest" \
    "${target:+< $target ms}"
  [[ -z "$target" ]] || (($(echo "$median < $target" | bc)))
}

"$gantry" run -q "$work/gantry.yaml" >/dev/null  # fills the description cache
status=0
report "/bin/true (the floor)" "" /bin/true
report "gantry --version" 5 "$gantry" --version || status=1
report "no-op one-step pipeline" 15 "$gantry" run -q --output plain gantry.yaml || status=1
exit $status
