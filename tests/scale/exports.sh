#!/usr/bin/env bash
# Memory of parallel downloads: starts the service (Release) on a data set made by
# tests/scale/reports.sh with four API users, runs PARALLEL full-quarter downloads of every
# exceedance (format csv and xlsx alternating, two per user: Api:MaxDownloadsPerUser), samples the
# service's RSS every 100 ms while they run, and prints a Markdown table: wall time, bytes and status
# of each download, then the service's peak RSS during the downloads and its RSS after.
# Usage: bash tests/scale/exports.sh [WORKDIR] [PARALLEL]    (default /tmp/em-scale-500, 8)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/em-scale-500}
parallel=${2:-8}
source tests/scale/servers.sh
users=()
for i in 0 1 2 3; do users+=("Api__Users__${i}__Token=export-user-token-$i" "Api__Users__${i}__Role=inspector"); done
start_service "$work/bin" "$work" "$work/service.log" "${users[@]}"
trap 'kill $pid 2>/dev/null || true' EXIT
sleep 2
echo "service RSS before: $(rss) MB"
peak=0
sample_rss "$work/rss"
echo "| download | format | status | MB | wall s |"
echo "|---|---|---:|---:|---:|"
downloads=()
for i in $(seq 0 $((parallel - 1))); do
  format=$([ $((i % 2)) -eq 0 ] && echo xlsx || echo csv)
  user=$((i / 2 % 4))
  ( out=$(curl -s -o "$work/export-$i" -w '%{http_code} %{size_download} %{time_total}' -H "Authorization: Bearer export-user-token-$user" \
        "http://127.0.0.1:$port/api/exceedances?quarter=2025Q3&format=$format&lang=zh")
    read -r code size t <<<"$out"
    printf '| %d | %s | %s | %s | %s |\n' "$i" "$format" "$code" "$(python3 -c "print(round($size/1048576, 1))")" "$t" ) &
  downloads+=($!)
done
wait "${downloads[@]}"
sleep 3
kill $sampler 2>/dev/null || true
echo
echo "service peak RSS during the downloads: $(sort -n "$work/rss" | tail -1) MB; after them: $(rss) MB; VmHWM $(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status) MB"
