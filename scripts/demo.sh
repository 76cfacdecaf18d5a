#!/usr/bin/env bash
# `npm run demo`: installs what it needs, builds the .vsix, and runs the product on its embedded default
# (moto + a seeded AWS world + VS Code in the browser on 127.0.0.1). Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
rm -rf out && npx tsc -p .
npm run --silent package
exec node scripts/demo.mjs "$@"
