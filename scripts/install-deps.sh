#!/usr/bin/env bash
# Installs what the tests and the demo need on a fresh machine; every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages: reinstall when package-lock.json changed since the last install.
stamp=node_modules/.awsops-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  npm ci --no-audit --no-fund
  echo "$hash" > "$stamp"
fi

# moto (the AWS emulator): preinstalled here; elsewhere from pip.
if ! command -v moto_server >/dev/null 2>&1; then
  python3 -m pip install --quiet "moto[server]==5.2.1"
fi

# Debian packages for the config checks, the HA test and the UI tests.
missing=()
for bin_pkg in haproxy:haproxy keepalived:keepalived ip:iproute2 curl:curl chromium:chromium openssl:openssl; do
  command -v "${bin_pkg%%:*}" >/dev/null 2>&1 || missing+=("${bin_pkg##*:}")
done
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }
fi
