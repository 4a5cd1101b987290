#!/usr/bin/env bash
# rock-pack against the tools a user would otherwise run, in one run, alternating:
#   layer: a bare rock with one dump part of a ~200 MB tree of real files (copies of
#          /usr/lib/python3 and /usr/share/doc), packed from cold, vs `umoci insert` of the
#          same tree into an empty image (umoci init + new + insert). Target ratio <= 0.5.
#   flask: a bare rock staging python3-flask and gunicorn plus an app: cold pack (the .debs
#          cached, as a second project would have them), re-pack with nothing changed
#          (target < 0.3 s), re-pack after editing app.py (target < 1 s).
#
# Usage: tests/bench/rock_pack_bench.sh [RUNS]   (after scripts/build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${GANTRY_BUILD:-$root/build/ci}"
gantry="$build/stage/bin/gantry"
runs="${1:-3}"
work=$(mktemp -d /var/tmp/gantry-rock-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
unset GANTRY_PLUGIN_PATH SOURCE_DATE_EPOCH

source "$root/tests/bench/timing.sh"

# The tree: real files, ~200 MB.
mkdir -p "$work/tree/payload"
cp -a /usr/lib/python3* "$work/tree/payload/" 2>/dev/null || true
cp -a /usr/share/doc "$work/tree/payload/doc"
while (( $(du -sm "$work/tree" | cut -f1) < 200 )); do
  n=$(ls "$work/tree" | wc -l)
  cp -a "$work/tree/payload" "$work/tree/payload-$n"
done
echo "tree: $(du -sh "$work/tree" | cut -f1), $(find "$work/tree" | wc -l) entries" >&2

mkdir -p "$work/layer-project"
cat > "$work/layer-project/rockcraft.yaml" <<'YAML'
name: big
summary: A big tree
description: One dump part.
version: "1"
base: bare
build-base: ubuntu@24.04
platforms:
  amd64:
entrypoint-command: /bin/true
parts:
  tree:
    plugin: dump
    source: ../tree
YAML
pack_layer() { "$gantry" -q rock-pack --project "$work/layer-project"; }
insert_umoci() {
  umoci init --layout "$work/umoci" && umoci new --image "$work/umoci:t" &&
    umoci insert --rootless --image "$work/umoci:t" "$work/tree" /
}

layer_g=(); layer_u=()
for ((i = 0; i < runs; i++)); do
  # Each side starts from nothing, cleaned outside the timing.
  rm -rf "$work/layer-project/.gantry" "$work/layer-project"/*.rock "$work/umoci"
  sync
  if ((i % 2 == 0)); then
    layer_g+=("$(seconds pack_layer)"); layer_u+=("$(seconds insert_umoci)")
  else
    layer_u+=("$(seconds insert_umoci)"); layer_g+=("$(seconds pack_layer)")
  fi
done
lg=$(median "${layer_g[@]}"); lu=$(median "${layer_u[@]}")
printf 'layer: gantry rock-pack %.3f s  umoci insert %.3f s  ratio %s (target <= 0.5)\n' \
  "$lg" "$lu" "$(ratio "$lg" "$lu")"

cp -a "$root/tests/integration/fixtures/rock/flask-bare" "$work/flask"
pack_flask() { "$gantry" -q rock-pack --project "$work/flask"; }
pack_flask >/dev/null 2>&1  # fills the .deb cache
cold=(); same=(); edited=()
for ((i = 0; i < runs; i++)); do
  rm -rf "$work/flask/.gantry"
  cold+=("$(seconds pack_flask)")
  same+=("$(seconds pack_flask)")
  echo "# edit $i" >> "$work/flask/app/app.py"
  edited+=("$(seconds pack_flask)")
done
printf 'flask: cold %.3f s  unchanged %.3f s (target < 0.3)  app.py edited %.3f s (target < 1)\n' \
  "$(median "${cold[@]}")" "$(median "${same[@]}")" "$(median "${edited[@]}")"
