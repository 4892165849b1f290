#!/usr/bin/env bash
# Page-load benchmark of the dashboard at province scale: generates N outlets x D days of hourly
# records ending today (so the current quarter, this year and the last 30 days have data), imports
# them, starts the service (Release) on them and times every page in headless Chromium
# (tests/scale/pages.mjs), then prints the service's peak RSS.
# Usage: bash tests/scale/pages.sh [OUTLETS] [DAYS] [WORKDIR]    (defaults 500 92 /tmp/em-pages-N)
set -euo pipefail
cd "$(dirname "$0")/../.."
outlets=${1:-500}
days=${2:-92}
work=${3:-/tmp/em-pages-$outlets}
dotnet build src/EmissionMonitor -c Release -v q -nologo >/dev/null
rm -rf "$work" && mkdir -p "$work"
cp -r src/EmissionMonitor/bin/Release/net10.0 "$work/bin"
em=(dotnet "$work/bin/EmissionMonitor.dll")
from=$(TZ=Asia/Shanghai date -d "-$days days" +%Y-%m-%d)
"${em[@]}" generate --outlets "$outlets" --days "$days" --from "$from" --out "$work/data.h212.gz"
"${em[@]}" import "$work/data.h212.gz" --config "$work" --data "$work/data" | tail -2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mqtt=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
gw=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
Http__Urls="http://127.0.0.1:$port" Mqtt__Port=$mqtt Gateway__Port=$gw "${em[@]}" run --config "$work" --data "$work/data" >"$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
sleep 3
node tests/scale/pages.mjs "http://127.0.0.1:$port"
echo
echo "service peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print int($2/1024)}') MB"
