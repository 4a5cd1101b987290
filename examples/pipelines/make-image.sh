#!/bin/sh
# Builds a small OCI archive with umoci (until gantry's rock-pack exists): a layer of the
# staged packages in $1 (when given) and one holding index.html. Writes rock=PATH to
# $GANTRY_OUTPUT.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/gantry-example-XXXXXX")
umoci init --layout "$out/layout"
umoci new --image "$out/layout:0.1"
if [ -n "${1:-}" ]; then
  umoci insert --rootless --image "$out/layout:0.1" "$1" /
fi
umoci insert --rootless --image "$out/layout:0.1" "$here/index.html" /srv/index.html
umoci gc --layout "$out/layout"
(cd "$out/layout" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
  -cf "$out/hello_0.1_amd64.rock" oci-layout index.json blobs)
echo "built $out/hello_0.1_amd64.rock"
echo "rock=$out/hello_0.1_amd64.rock" >> "$GANTRY_OUTPUT"
