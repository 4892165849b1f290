#!/usr/bin/env bash
# Scale benchmark of the dashboard's API calls: starts the service (Release) on a data set made by
# tests/scale/reports.sh, calls each endpoint the dashboard's pages use ten times, prints a Markdown
# table of the median and worst wall time, then the service's peak RSS.
# Usage: bash tests/scale/api.sh [WORKDIR]    (default /tmp/em-scale-500; runs the program copy reports.sh left there)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/em-scale-500}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mqtt=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
gw=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
Http__Urls="http://127.0.0.1:$port" Mqtt__Port=$mqtt Gateway__Port=$gw \
  dotnet "$work/bin/EmissionMonitor.dll" run --config "$work" --data "$work/data" >"$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
sleep 2 # the summaries check at start
base="http://127.0.0.1:$port"
echo "| call (dashboard) | median ms | worst ms | rows |"
echo "|---|---:|---:|---:|"
for path in "/api/stations" "/api/alerts?state=active&limit=100000" "/api/rates?by=outlet&limit=100000" "/api/rates?by=city" \
            "/api/cards?quarter=2025Q3" "/api/totals?quarter=2025Q3&by=enterprise" "/api/exceedances?quarter=2025Q3&limit=2000" "/api/exceedances?quarter=2025Q3&limit=200&offset=200000" \
            "/api/rates?quarter=2025Q3&by=outlet&limit=100000" "/api/rates?mn=GEN00000000&quarter=2025Q3" "/api/hours?mn=GEN00000000&quarter=2025Q3&limit=1000"; do
  times=()
  for _ in $(seq 1 10); do
    t=$(curl -s -o "$work/body" -D "$work/headers" -w '%{time_total}' "$base$path")
    times+=("$(python3 -c "print(round($t*1000))")")
  done
  rows=$(grep -i '^x-total-count' "$work/headers" | tr -dc '0-9' || true)
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "| \`$path\` | $(echo "$sorted" | sed -n 5p) | $(echo "$sorted" | tail -1) | ${rows:--} |"
done
echo
echo "service peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print int($2/1024)}') MB"
