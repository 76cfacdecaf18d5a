#!/usr/bin/env bash
# `npm test`: installs what it needs, builds, then runs every suite — lint, unit, integration (real moto),
# the HA pair in network namespaces, the extension-host suite in real VS Code, and UI tests in the workbench.
# It ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
failed_stages=()

stage() { # name command...
  local name=$1; shift
  echo; echo "=== $name ==="
  if "$@" 2>&1 | tee "$results/$name.log"; then :; else failed_stages+=("$name"); fi
}

rm -rf out && npx tsc -p . || exit 1
# The production .vsix: the UI tests install it into code-server, as a user would.
npm run --silent package >/dev/null || exit 1
node scripts/vscode-host/install.mjs >/dev/null || exit 1
stage lint npx eslint src agent test scripts bench
stage unit node --test --test-reporter=spec out/test/unit/
stage scripts node --test --test-reporter=spec test/scripts/
stage integration node --test --test-reporter=spec --test-concurrency=2 out/test/integration/
if [ -d out/test/ha ]; then stage ha node --test --test-reporter=spec out/test/ha/; fi
# The suite runs against the development build (source maps), in the real extension host.
node scripts/build.mjs || exit 1
stage extension-host node scripts/vscode-host/runExtensionTests.mjs --extension "$PWD" --tests "$PWD/out/test/suite/index.js"
stage ui node --test --test-reporter=spec test/ui/

# Tally node:test ("ℹ pass N" / "# pass N") and mocha ("N passing") summaries of every stage.
read -r passed failed < <(cat "$results"/*.log | awk '
  /^(ℹ|#) pass [0-9]+/ { p += $3 } /^(ℹ|#) fail [0-9]+/ { f += $3 }
  /^ *[0-9]+ passing/ { p += $1 } /^ *[0-9]+ failing/ { f += $1 }
  END { print p + 0, f + 0 }')
echo
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "Failed stages: ${failed_stages[*]}"
  [ "$failed" -gt 0 ] || failed=${#failed_stages[@]}
fi
echo "$passed passed, $failed failed"
[ ${#failed_stages[@]} -eq 0 ]
