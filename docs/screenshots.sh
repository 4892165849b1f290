#!/usr/bin/env bash
# Refreshes docs/screenshots (the pictures of README.md and docs/dashboard.md) by running the
# dashboard's browser tests against the demo with EM_SCREENSHOTS pointing there. Needs what the
# test command installs (Chromium, playwright-core under tests/browser).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build EmissionMonitor.sln -c Release -v quiet
EM_SCREENSHOTS="$PWD/docs/screenshots" dotnet test tests/EmissionMonitor.IntegrationTests -c Release --no-build --filter "FullyQualifiedName~Dashboard.BrowserTests"
ls -1 docs/screenshots
