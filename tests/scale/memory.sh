#!/usr/bin/env bash
# Memory and time at scale, one request at a time: starts the service (a given build) on a store made
# by tests/scale/reports.sh, calls the quarter's trend TRENDS times (3), then downloads every exceedance
# of the quarter as XLSX and as CSV, printing each call's time (first byte and total) and the
# service's RSS after each step and at its peak (sampled every 100 ms). GC settings come from the
# environment (e.g. DOTNET_GCConserveMemory=0, DOTNET_gcServer=1).
# Usage: bash tests/scale/memory.sh [WORKDIR] [BIN] [LABEL]   (defaults /tmp/em-scale-5000, WORKDIR/bin, run)
set -u
work=${1:-/tmp/em-scale-5000}; bin=${2:-$work/bin}; label=${3:-run}
source "$(dirname "$0")/servers.sh"
start_service "$bin" "$work" "$work/service-$label.log" Api__Users__0__Token=scale-token Api__Users__0__Role=inspector
sleep 3
H="Authorization: Bearer scale-token"
echo "## $label (RSS at start $(rss) MB)"
for i in $(seq 1 ${TRENDS:-3}); do
  curl -s -o /dev/null -H "$H" -w "trend quarter: %{http_code} %{time_total} s\n" "http://127.0.0.1:$port/api/trend?quarter=2025Q3"
done
echo "RSS after trend: $(rss) MB"
sample_rss "$work/rss-$label"
for f in xlsx csv; do
  curl -s -o "$work/export.$f" -H "$H" -w "exceedances $f: %{http_code} %{size_download} B, first byte %{time_starttransfer} s, total %{time_total} s\n" "http://127.0.0.1:$port/api/exceedances?quarter=2025Q3&format=$f&lang=zh"
  echo "RSS after $f: $(rss) MB; peak so far $(sort -n "$work/rss-$label" | tail -1) MB"
done
kill $sampler 2>/dev/null
kill $pid; wait $pid 2>/dev/null
