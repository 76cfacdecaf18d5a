#!/usr/bin/env bash
# `npm run bench`: speed and size goals, measured side by side in one run, printed as a table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
rm -rf out && npx tsc -p .
npx tsc -p bench
npm run --silent package >/dev/null   # production bundles in dist/ and the .vsix
node scripts/vscode-host/install.mjs >/dev/null
node out-bench/bench/run.js "$@"
