#!/usr/bin/env bash
# The InfluxDB backend at scale: a throwaway influxd (Debian's 1.6, written through POST /write) on
# a free port; the data set of tests/scale/reports.sh imported through the local buffer; the service
# run until every entry is forwarded and every marked day summarized on the server; then every
# report kind and grouping timed as a separate `report` process (wall time and peak RSS, GNU time).
# Usage: bash tests/scale/influx.sh [WORKDIR]   (default /tmp/em-scale-500; needs the data set and
# the program copy that reports.sh leaves there)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/em-scale-500}
source tests/scale/servers.sh
ix="$work/influx"
rm -rf "$ix" "$work/idata"
start_influxd "$ix"
port=$influx_port; ipid=$influx_pid
spid=
trap 'kill $ipid ${spid:-} 2>/dev/null || true' EXIT
export Storage__Backend=influxdb Influx__Url="http://127.0.0.1:$port" Influx__Bucket=emission Influx__WriteApi=v1
em=(dotnet "$work/bin/EmissionMonitor.dll")
count() { # an InfluxQL COUNT: the sum over its series
  curl -sG "http://127.0.0.1:$port/query" --data-urlencode db=emission --data-urlencode "q=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(sum(s["values"][0][1] for s in r.get("series",[])))'
}
source tests/scale/measure.sh
frames=$(zcat "$work/data.h212.gz" | wc -l)
echo "| step (InfluxDB backend) | wall s | peak RSS MB |"
echo "|---|---:|---:|"
measure "import $frames frames into the local buffer" "${em[@]}" import "$work/data.h212.gz" --config "$work" --data "$work/idata"
started=$(date +%s.%N)
Http__Urls="http://127.0.0.1:$(free_port)" Mqtt__Port=$(free_port) Gateway__Port=$(free_port) \
  "${em[@]}" run --config "$work" --data "$work/idata" >"$work/influx-service.log" 2>&1 &
spid=$!
until [ "$(count 'SELECT COUNT("id") FROM "frames"')" -ge "$frames" ] && [ "$(count 'SELECT COUNT("at") FROM "fact_dirty"')" -eq 0 ]; do
  kill -0 $spid || { echo "the service stopped: $(tail -3 "$work/influx-service.log")"; exit 1; }
  sleep 5
done
printf '| service: forwarded the rest and summarized every marked day | %.0f | %d |\n' "$(echo "$(date +%s.%N) - $started" | bc)" \
  "$(grep VmHWM /proc/$spid/status | awk '{print int($2/1024)}')"
kill -TERM $spid && wait $spid || true
spid=
report_all "$work/idata"
echo
echo "InfluxDB data: $(du -sm "$ix" | cut -f1) MB; local buffer: $(du -sm "$work/idata" | cut -f1) MB"
