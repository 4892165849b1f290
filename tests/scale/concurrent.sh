#!/usr/bin/env bash
# The service's memory under the heaviest calls at once: starts the service (a given build) on a store
# made by tests/scale/reports.sh and sends ROUNDS (3) rounds of eight calls in parallel — totals as
# JSON and CSV, cards and means as XLSX, every exceedance as CSV and XLSX, the month's tax, the trend —
# printing each call's status, bytes and time, the RSS after each round and the peak (sampled every 100 ms).
# Usage: [ROUNDS=3] bash tests/scale/concurrent.sh [WORKDIR] [BIN]   (defaults /tmp/em-scale-500, the Release build)
set -u
cd "$(dirname "$0")/../.."
work=${1:-/tmp/em-scale-500}; bin=${2:-src/EmissionMonitor/bin/Release/net10.0}
source tests/scale/servers.sh
start_measured concurrent Api__Users__0__Role=operator Api__MaxDownloadsPerUser=8
q=quarter=2025Q3
calls=()
for round in $(seq "${ROUNDS:-3}"); do
  for u in "/api/totals?$q" "/api/cards?$q&format=xlsx&lang=zh" "/api/exceedances?$q&format=csv" "/api/means?$q&format=xlsx&lang=zh" "/api/tax?month=2025-08" "/api/exceedances?$q&format=xlsx&lang=zh" "/api/totals?$q&format=csv" "/api/trend?$q"; do
    curl -s -o /dev/null -H "Authorization: Bearer scale-token" -w "$round %{http_code} %{size_download} %{time_total} $u\n" "http://127.0.0.1:$port$u" &
    calls+=($!)
  done
  wait "${calls[@]}"; calls=()
  echo "round $round: RSS $(rss) MB"
done
echo "peak $(peak_rss concurrent) MB; after $(rss) MB"
kill $sampler
