#!/usr/bin/env bash
# Installs the system packages the test suite needs (compilers, Chromium), with apt, when they are missing, then builds
# what needs them. Safe to run again: it does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# aws-lambda-ric (the Lambda suite's real runtime) compiles curl and aws-lambda-cpp from source.
for tool in autoconf:autoconf automake:automake libtoolize:libtool cmake:cmake make:make g++:g++; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
# The viewer's end-to-end test drives Debian's Chromium with playwright-core (which downloads nothing).
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install: ${need[*]} (needs root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# npm ci runs before this script, when the compilers may not exist yet, so package.json keeps
# aws-lambda-ric's install scripts off ("allowScripts") and they run here instead, once.
ric=node_modules/aws-lambda-ric
if [ -d "$ric" ] && [ ! -f "$ric/dist/rapid-client.node" ]; then
  echo "setup: building aws-lambda-ric (curl and aws-lambda-cpp from source, about two minutes)"
  # node-gyp must use the installed Node headers; it cannot download them here.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
  log=$(mktemp)
  if ! (cd "$ric" && sh ./scripts/preinstall.sh && sh ./scripts/postinstall.sh) >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "setup: building aws-lambda-ric failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
fi
echo "setup: done"
