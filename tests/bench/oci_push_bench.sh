#!/usr/bin/env bash
# Pushes the same ~200 MB, 3-layer .rock (gzip layers of random bytes) to a fresh
# docker-registry with `gantry copy` and with `skopeo copy`, alternating, and prints the
# median ratio gantry/skopeo: cold (new registry data and skopeo's blob-info cache
# removed each run) and warm (every blob already there). Then the peak RSS of gantry
# pushing a 1 GiB layer. Targets (issue 3): cold <= 0.6, warm <= 0.2, RSS <= 100 MB.
#
# Usage: tests/bench/oci_push_bench.sh [RUNS]   (after scripts/build; needs GNU time)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${GANTRY_BUILD:-$root/build/ci}"
gantry="$build/stage/bin/gantry"
runs="${1:-5}"
work=$(mktemp -d /var/tmp/gantry-bench-XXXXXX)
registry_pid=""
cleanup() { [[ -n "$registry_pid" ]] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if [[ $(id -u) -eq 0 ]]; then
  skopeo_cache=/var/lib/containers/cache/blob-info-cache-v1.boltdb
else
  skopeo_cache="${XDG_DATA_HOME:-$HOME/.local/share}/containers/cache/blob-info-cache-v1.boltdb"
fi

start_registry() {
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local data="$work/registry-$port"
  cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $data}}
http: {addr: 127.0.0.1:$port, secret: bench}
YAML
  docker-registry serve "$work/registry.yml" >/dev/null 2>&1 &
  registry_pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; do sleep 0.02; done
}
stop_registry() { kill "$registry_pid"; wait "$registry_pid" 2>/dev/null || true; registry_pid=""; }

source "$root/tests/bench/timing.sh"
push_gantry() { seconds "$gantry" copy -q --dest-tls-verify=false "oci-archive:$work/app.rock" "docker://127.0.0.1:$port/app:0.2"; }
push_skopeo() { seconds skopeo --insecure-policy copy -q --dest-tls-verify=false "oci-archive:$work/app.rock" "docker://127.0.0.1:$port/app:0.2"; }

echo "making a 3 x 66 MiB test rock..." >&2
"$build/bin/make_test_rock" "$work/app.rock" 0.2 66 66 66 >/dev/null
echo "archive: $(du -m "$work/app.rock" | cut -f1) MB" >&2

cold_g=(); cold_s=()
for ((i = 0; i < runs; i++)); do
  for tool in $( ((i % 2 == 0)) && echo "gantry skopeo" || echo "skopeo gantry"); do
    start_registry
    rm -f "$skopeo_cache"
    if [[ $tool == gantry ]]; then cold_g+=("$(push_gantry)"); else cold_s+=("$(push_skopeo)"); fi
    stop_registry
  done
done

start_registry
push_gantry >/dev/null
warm_g=(); warm_s=()
for ((i = 0; i < runs; i++)); do
  warm_g+=("$(push_gantry)")
  warm_s+=("$(push_skopeo)")
done
stop_registry

cg=$(median "${cold_g[@]}"); cs=$(median "${cold_s[@]}")
wg=$(median "${warm_g[@]}"); ws=$(median "${warm_s[@]}")
printf 'cold push: gantry %.3f s, skopeo %.3f s, ratio %.2f (target <= 0.6)\n' "$cg" "$cs" "$(echo "$cg / $cs" | bc -l)"
printf 'warm push: gantry %.3f s, skopeo %.3f s, ratio %.2f (target <= 0.2)\n' "$wg" "$ws" "$(echo "$wg / $ws" | bc -l)"

echo "making a 1 GiB-layer test rock..." >&2
rm -f "$work/app.rock"
"$build/bin/make_test_rock" "$work/big.rock" 0.1 1024 >/dev/null
start_registry
rss_kb=$( { /usr/bin/time -f '%M' "$gantry" copy -q --dest-tls-verify=false "oci-archive:$work/big.rock" "docker://127.0.0.1:$port/big:0.1" >/dev/null; } 2>&1 | tail -1)
stop_registry
printf 'peak RSS pushing a 1 GiB layer: %d MB (target <= 100 MB)\n' "$((rss_kb / 1024))"
