#!/usr/bin/env bash
# Runs every test of EmissionMonitor on this machine, installing first what the tests need.
# Usage: bash tests/run-all.sh            (CI calls exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

# Servers and tools the integration tests start themselves (on free loopback ports, in temporary
# folders). Installed from Debian's packages when missing; needs root (or sudo) the first time.
packages=(mosquitto influxdb chromium fonts-wqy-zenhei python3-aiosmtpd)
install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
if [ "${#packages[@]}" -gt 0 ]; then install_missing; fi

# The dashboard's browser test drives Debian's Chromium with playwright-core (no browser download).
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

log=$(mktemp)
# The tests' temporary folders (stores, broker and influxd data, browser profiles) go under one
# folder of this run, removed at the end: runs do not pile folders up in /tmp. Traversable by all,
# as the test that runs the service as user nobody needs.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/em-tests.XXXXXX")
chmod 755 "$scratch"
trap 'rm -f "$log"; rm -rf "$scratch"' EXIT
status=0
TMPDIR="$scratch" dotnet test EmissionMonitor.sln -c Release 2>&1 | tee "$log" || status=$?

# One closing line over all test projects, in the plain 'N passed, N failed' form.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
