#!/usr/bin/env bash
# Stages python3-flask (with its Depends closure, ~50 packages on bookworm) from this
# machine's apt sources with `gantry deb-stage` and with the shell equivalent (`apt-get
# download` of the same resolved name=version list, then `dpkg-deb -x` of each into one
# directory), alternating, and prints the median ratios gantry/shell:
#   cold: no .deb cached on either side (gantry's index cache kept, as apt keeps its lists)
#   warm: everything cached (gantry's cache; the .debs already in apt-get's directory);
#         staged files are copies (reflinks where the filesystem can), and, reported
#         beside, hard links into the cache (--link)
#   fully cold (reported, no target): gantry's whole cache removed, indexes included
# Targets (issue 4): cold <= 0.5, warm <= 0.2.
#
# Usage: tests/bench/deb_stage_bench.sh [RUNS] [PACKAGES]   (after scripts/build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${GANTRY_BUILD:-$root/build/ci}"
gantry="$build/stage/bin/gantry"
runs="${1:-5}"
packages="${2:-python3-flask}"
work=$(mktemp -d /var/tmp/gantry-deb-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
unset GANTRY_PLUGIN_PATH

source "$root/tests/bench/timing.sh"

stage_gantry() {
  "$gantry" deb-stage --packages "$packages" --into "$work/gantry-root" \
    --cache-dir "$work/cache" --output=plain
}
stage_gantry_link() {
  "$gantry" deb-stage --packages "$packages" --into "$work/gantry-root" \
    --cache-dir "$work/cache" --link --output=plain
}
stage_shell() {
  mkdir -p "$work/debs"
  (cd "$work/debs" && apt-get download -q "${resolved[@]}") &&
    for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/shell-root"; done
}

echo "resolving $packages..." >&2
mapfile -t resolved < <(rm -rf "$work/gantry-root"; stage_gantry 2>/dev/null | sed -n 's/^packages=//p' | tr , '\n')
echo "${#resolved[@]} packages: ${resolved[*]}" >&2

cold_g=(); cold_s=(); warm_g=(); warm_s=(); warm_l=(); full_g=()
for ((i = 0; i < runs; i++)); do
  for tool in $( ((i % 2 == 0)) && echo "gantry shell" || echo "shell gantry"); do
    if [[ $tool == gantry ]]; then
      rm -rf "$work/cache/debs" "$work/cache/trees" "$work/gantry-root"
      cold_g+=("$(seconds stage_gantry)")
      rm -rf "$work/gantry-root"
      warm_g+=("$(seconds stage_gantry)")
      rm -rf "$work/gantry-root"
      warm_l+=("$(seconds stage_gantry_link)")
    else
      rm -rf "$work/debs" "$work/shell-root"
      cold_s+=("$(seconds stage_shell)")
      rm -rf "$work/shell-root"
      warm_s+=("$(seconds stage_shell)")
    fi
  done
  rm -rf "$work/cache" "$work/gantry-root"
  full_g+=("$(seconds stage_gantry)")
done

cg=$(median "${cold_g[@]}"); cs=$(median "${cold_s[@]}")
wg=$(median "${warm_g[@]}"); ws=$(median "${warm_s[@]}")
wl=$(median "${warm_l[@]}")
fg=$(median "${full_g[@]}")
printf 'cold:  gantry %.3f s  shell %.3f s  ratio %s (target <= 0.5)\n' "$cg" "$cs" "$(ratio "$cg" "$cs")"
printf 'warm:  gantry %.3f s  shell %.3f s  ratio %s (target <= 0.2)\n' "$wg" "$ws" "$(ratio "$wg" "$ws")"
printf 'warm --link: gantry %.3f s  ratio %s\n' "$wl" "$(ratio "$wl" "$ws")"
printf 'fully cold gantry (indexes too): %.3f s  ratio to cold shell %s\n' "$fg" "$(ratio "$fg" "$cs")"
