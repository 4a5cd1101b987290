#!/usr/bin/env bash
# Times a pipeline of two independent `exec` steps that each sleep 1 s, with --jobs 2,
# and prints the median wall time of RUNS runs. Target (issue 2): under 1.9 s.
# Usage: tests/bench/parallel_pipeline.sh [path/to/gantry] [RUNS]
set -euo pipefail
gantry="$(realpath "${1:-$(dirname "$0")/../../build/ci/stage/bin/gantry}")"
runs="${2:-7}"
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
cat > "$project/gantry.yaml" <<'YAML'
steps:
  one: {uses: exec, with: {command: sleep, args: ["1"]}}
  two: {uses: exec, with: {command: sleep, args: ["1"]}}
YAML
times=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s.%N)
  (cd "$project" && "$gantry" run --jobs 2 -q --output plain)
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
echo "two 1 s sleeps, --jobs 2: median ${median} s over ${runs} runs (target < 1.9 s)"
