#!/usr/bin/env bash
# `npm run bench`: speed and size goals, measured side by side in one run, printed as a table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npx tsc -p bench
node out-bench/bench/run.js "$@"
