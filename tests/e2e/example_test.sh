#!/usr/bin/env bash
# The README's main command end to end, as a new user runs it on a clean clone (CI runs
# this on its own clean clone once the suite has built everything): `scripts/example`,
# twice. It checks what that user would look at:
#   - the .rock and the .charm exist;
#   - the registry holds the image under the digest the pipeline reported (skopeo);
#   - the refresh printed `juju refresh` with --path and --resource flask-app-image=…@sha256:…
#     (a dry run: these machines have no juju client);
#   - the second run packs and pushes nothing: rock and charm cached, push up to date, and
#     the dry run prints its command again.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() {
  echo "e2e: FAILED: $*" >&2
  exit 1
}
if command -v juju >/dev/null; then
  fail "a juju client is on PATH: this test checks the dry run the README describes"
fi

# `scripts/example` with the registry kept from run to run, then everything it printed.
example() {
  local name=$1
  if ! scripts/example --output plain >"$work/$name.out" 2>"$work/$name.err"; then
    cat "$work/$name.out" "$work/$name.err" >&2
    fail "scripts/example exited with an error ($name run)"
  fi
  cat "$work/$name.out" "$work/$name.err" >"$work/$name.all"
}
# The output NAME of step STEP in the latest run's event log.
output_of() {
  local log
  log=$(ls -d examples/flask-app/.gantry/runs/*/ | sort | tail -1)events.jsonl
  /usr/bin/python3 - "$log" "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    event = json.loads(line)
    if event.get("event") == "step-finished" and event.get("step") == sys.argv[2]:
        print(event["outputs"][sys.argv[3]])
PY
}
expect_line() {  # FILE TEXT WHAT
  grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$3: no line with '$2'"; }
}

example first
rock=examples/flask-app/flask-app_0.1_amd64.rock
charm=examples/flask-app/flask-app_amd64.charm
[[ -s $rock ]] || fail "no $rock"
[[ -s $charm ]] || fail "no $charm"
pinned=$(output_of push pinned)
[[ $pinned == 127.0.0.1:*/flask-app@sha256:* ]] || fail "push reported '$pinned'"
expect_line "$work/first.all" "Pushed: ${pinned}" "skopeo inspect of the pushed tag"
expect_line "$work/first.all" \
  "would run: juju refresh flask-app --path $root/$charm --resource flask-app-image=$pinned" \
  "the refresh"

example second
# The line saying how step STEP ended in FILE.
ended() { grep -F "[$2] succeeded in" "$1" || true; }
for step in rock charm; do
  [[ $(ended "$work/second.all" "$step") == *"(cached)" ]] ||
    fail "the second run packed again: '$(ended "$work/second.all" "$step")'"
done
[[ $(ended "$work/second.all" push) == *"(up to date)" ]] ||
  fail "the second run pushed again: '$(ended "$work/second.all" push)'"
[[ $(output_of push pinned) == "$pinned" ]] || fail "the second run pushed another image"
expect_line "$work/second.all" "Pushed: ${pinned}" "skopeo inspect after the second run"
expect_line "$work/second.all" "would run: juju refresh flask-app --path $root/$charm" \
  "the second refresh"
echo "e2e: scripts/example packed, pushed $pinned, printed the refresh; the second run was cached"
