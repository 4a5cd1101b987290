#!/bin/bash
# Idempotent migration, as paas-charm runs it before the app starts: creates the app's
# state directory and records the schema version once.
set -euo pipefail
state="${FLASK_STATE_DIR:-/tmp/flask-app}"
mkdir -p "$state"
if [ ! -f "$state/schema" ]; then
  echo 1 > "$state/schema"
fi
