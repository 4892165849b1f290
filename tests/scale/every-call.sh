#!/usr/bin/env bash
# The service's memory after every call the dashboard and the README name, one after another, on a
# store made by tests/scale/reports.sh (generated from 2025-07-01): the calls of the allocation gate
# (tests/EmissionMonitor.IntegrationTests/Gate/GateCalls.cs), each JSON, CSV and XLSX. Prints a
# Markdown table of each call's status, size and time with the service's RSS after it, then the
# peak RSS (sampled every 100 ms), the RSS after the last call and again IDLE seconds later (default
# 60: the alert desk's first daily and barometer ticks fall in that minute).
# Usage: [IDLE=60] bash tests/scale/every-call.sh [WORKDIR] [BIN]   (defaults /tmp/em-scale-500, the Release build)
set -u
cd "$(dirname "$0")/../.."
work=${1:-/tmp/em-scale-500}; bin=${2:-src/EmissionMonitor/bin/Release/net10.0}
source tests/scale/servers.sh
start_measured every-call Api__Users__0__Role=operator Api__MaxDownloadsPerUser=8
mn=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enterprises"][1]["outlets"][0]["mn"])' "$work/stations.json")
enterprise=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enterprises"][1]["id"])' "$work/stations.json")
q=quarter=2025Q3
city=city=%E8%A5%BF%E5%AE%81%E5%B8%82 # 西宁市: a document covers Api:MaxDocumentOutlets at most
urls=()
for kind in rates exceedances totals cards anomalies trend means; do
  for f in "" "&format=csv" "&format=xlsx&lang=zh"; do urls+=("/api/$kind?$q$f"); done
done
for f in "" "&format=csv" "&format=xlsx&lang=zh"; do urls+=("/api/hours?$q&mn=$mn$f" "/api/tax?month=2025-08$f" "/api/barometer?year=2025$f" \
  "/api/outlets/$mn/readings?cn=2061&from=2025-07-01&to=2025-10-01$f" "/api/permits/deadlines?year=2025$f" "/api/alerts?limit=1000$f" "/api/marks?limit=1000$f" "/api/orders?limit=1000$f"); done
urls+=("/api/rates?$q&by=city" "/api/exceedances?$q&mn=$mn" "/api/tax?month=2025-08&by=city" "/api/facilities/episodes?$q" "/api/facilities/findings?$q" \
  "/api/alerts/counts" "/api/alerts/handling?$q" "/api/manual-data?$q" "/api/notifications" "/api/publications" "/api/public/publications" "/api/stations" \
  "/api/checks" "/api/codes" "/api/commands/catalogue" "/api/outlets/$mn/commands" "/metrics" "/openapi/v1.json" \
  "/api/documents/daily?date=2025-08-01&$city" "/api/documents/monthly?month=2025-08&$city" "/api/documents/quarterly?$q&$city" "/api/documents/annual?year=2025&$city" \
  "/api/documents/execution?enterprise=$enterprise&$q")
echo "| call | status | MB | s | RSS after MB |"
echo "|---|---:|---:|---:|---:|"
for u in "${urls[@]}"; do
  out=$(curl -s -o /dev/null -H "Authorization: Bearer scale-token" -w "%{http_code} %{size_download} %{time_total}" "http://127.0.0.1:$port$u")
  read -r code size secs <<<"$out"
  printf '| `%s` | %s | %.1f | %.2f | %s |\n' "$u" "$code" "$(echo "$size / 1048576" | bc -l)" "$secs" "$(rss)"
done
echo
echo "peak RSS $(peak_rss every-call) MB; after the last call $(rss) MB"
sleep "${IDLE:-60}"
echo "${IDLE:-60} s later $(rss) MB; peak since the start $(peak_rss every-call) MB"
kill $sampler 2>/dev/null
