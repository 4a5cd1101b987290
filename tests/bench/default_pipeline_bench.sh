#!/usr/bin/env bash
# The bundled default pipeline (`gantry run` with no gantry.yaml) on a copy of
# examples/flask-app against a loopback docker-registry, the refresh a dry run (no juju):
#   cold:      no build state, no step cache (the .debs cached, as on a second project)
#   unchanged: everything cached (target < 0.3 s)
#   edited:    app.py changed: the rock re-packed, only its changed layers pushed, the
#              charm cached (target < 1.5 s)
#
# Usage: tests/bench/default_pipeline_bench.sh [RUNS]   (after scripts/build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${GANTRY_BUILD:-$root/build/ci}"
gantry="$build/stage/bin/gantry"
runs="${1:-3}"
work=$(mktemp -d /var/tmp/gantry-pipeline-bench-XXXXXX)
unset GANTRY_PLUGIN_PATH SOURCE_DATE_EPOCH GANTRY_JUJU

source "$root/tests/bench/timing.sh"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null; rm -rf "$work"' EXIT
until (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do sleep 0.05; done

mkdir -p "$work/flask-app"
(cd "$root/examples/flask-app" && tar --exclude=.gantry --exclude='*.rock' --exclude='*.charm' -cf - .) |
  tar -xf - -C "$work/flask-app"
pipeline() { (cd "$work/flask-app" && PATH=/usr/bin:/bin "$gantry" -q run --registry "127.0.0.1:$port"); }
pipeline >/dev/null 2>&1  # fills the .deb cache

cold=(); same=(); edited=()
for ((i = 0; i < runs; i++)); do
  rm -rf "$work/flask-app/.gantry" "$work/flask-app/charm/.gantry"
  cold+=("$(seconds pipeline)")
  same+=("$(seconds pipeline)")
  echo "# edit $i" >> "$work/flask-app/app.py"
  edited+=("$(seconds pipeline)")
done
printf 'default pipeline: cold %.3f s  unchanged %.3f s (target < 0.3)  app.py edited %.3f s (target < 1.5)\n' \
  "$(median "${cold[@]}")" "$(median "${same[@]}")" "$(median "${edited[@]}")"
