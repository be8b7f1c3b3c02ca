#!/usr/bin/env bash
# Installs the system packages the test suite needs, with apt, when they are missing.
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

need=()
# (No system packages are needed yet; later suites add theirs here, e.g. chromium.)

if [ ${#need[@]} -eq 0 ]; then
  echo "setup: nothing to install"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: please install: ${need[*]} (needs root)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
