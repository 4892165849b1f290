#!/usr/bin/env bash
# The data query's memory on a month of real-time data: one outlet sending every 30 s for 31 days
# (the `generate` command's --realtime 120: 90,009 frames with the hourly ones, 446,400 real-time readings), imported, then
# GET /api/outlets/{mn}/readings?cn=2011 for the month as the largest page the API gives (Api:MaxLimit),
# as CSV and as XLSX, one after another; prints each call's status, size, time and the service's RSS
# after it, and the peak RSS (sampled every 100 ms).
# Usage: bash tests/scale/readings.sh [WORKDIR] [BIN]   (defaults /tmp/em-scale-readings, the Release build)
set -u
cd "$(dirname "$0")/../.."
work=${1:-/tmp/em-scale-readings}; bin=${2:-src/EmissionMonitor/bin/Release/net10.0}
source tests/scale/servers.sh
if [ ! -d "$work/data" ]; then
  mkdir -p "$work"
  dotnet "$bin/EmissionMonitor.dll" generate --outlets 1 --days 31 --realtime 120 --from 2025-07-01 --out "$work/data.h212.gz" >/dev/null
  dotnet "$bin/EmissionMonitor.dll" import "$work/data.h212.gz" --config "$work" --data "$work/data" | head -2
fi
start_measured readings Api__Users__0__Role=operator
mn=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enterprises"][0]["outlets"][0]["mn"])' "$work/stations.json")
q="/api/outlets/$mn/readings?cn=2011&from=2025-07-01&to=2025-08-01"
echo "RSS at start $(rss) MB"
echo "| call | status | MB | s | RSS after MB |"
echo "|---|---:|---:|---:|---:|"
for u in "$q&limit=100000" "$q&offset=300000&limit=1000" "$q&format=csv" "$q&format=xlsx&lang=zh" "$q&format=csv&columns=raw"; do
  out=$(curl -s -o /dev/null -D "$work/headers" -H "Authorization: Bearer scale-token" -w "%{http_code} %{size_download} %{time_total}" "http://127.0.0.1:$port$u")
  read -r code size secs <<<"$out"
  printf '| `%s` | %s | %.1f | %.2f | %s |\n' "${u/$q/…}" "$code" "$(echo "$size / 1048576" | bc -l)" "$secs" "$(rss)"
done
echo "readings in the month (X-Total-Count of the last JSON call): $(curl -s -D - -o /dev/null -H "Authorization: Bearer scale-token" "http://127.0.0.1:$port$q&limit=1" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-total-count" {print $2}')"
echo "peak RSS $(peak_rss readings) MB"
