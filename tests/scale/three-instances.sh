#!/usr/bin/env bash
# Three instances behind one shared subscription and one InfluxDB (docs/scaling.md): starts Debian's
# mosquitto and influxd on free loopback ports in a temporary folder, three services (Mqtt:Mode
# external, Mqtt:SharedGroup, Storage:Backend influxdb, the v1 write API of influxdb 1.6), then a
# fleet of terminals (`simulate`) publishing at QoS 1; prints each instance's accepted frames, CPU
# time and peak RSS, and the fleet's own count.
# Usage: bash tests/scale/three-instances.sh [OUTLETS] [RATE] [SECONDS]   (defaults 300 3000 30)
set -euo pipefail
cd "$(dirname "$0")/../.."
outlets=${1:-300}; rate=${2:-3000}; seconds=${3:-30}
command -v mosquitto >/dev/null && command -v influxd >/dev/null || { echo "needs mosquitto and influxdb (bash tests/run-all.sh installs them)"; exit 2; }
dotnet build src/EmissionMonitor -c Release -v q -nologo >/dev/null
work=$(mktemp -d /tmp/em-three-XXXXXX)
cp -r src/EmissionMonitor/bin/Release/net10.0 "$work/bin"
em=(dotnet "$work/bin/EmissionMonitor.dll")
source tests/scale/servers.sh
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

# A registry of the fleet (the generator's), and a broker that knows every terminal and the service.
"${em[@]}" generate --outlets "$outlets" --days 1 --out "$work/unused.h212" --registry-out "$work/stations.json" >/dev/null
python3 - "$work/stations.json" >"$work/users" <<'EOF'
import json, sys
for e in json.load(open(sys.argv[1]))["enterprises"]:
    for o in e["outlets"]:
        print(o["mn"], o["password"])
print("emission-monitor svc")
EOF
touch "$work/passwd"
while read -r user password; do mosquitto_passwd -b "$work/passwd" "$user" "$password"; done <"$work/users"
mqtt=$(free_port)
cat >"$work/mosquitto.conf" <<EOF
listener $mqtt 127.0.0.1
allow_anonymous false
password_file $work/passwd
max_inflight_messages 0
max_queued_messages 1000000
persistence false
$( [ "$(id -un)" = root ] && echo "user root" )
EOF
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)

start_influxd "$work/influx"
influx=$influx_port
pids+=("$influx_pid")
curl -s -XPOST "http://127.0.0.1:$influx/query" --data-urlencode "q=CREATE DATABASE emission" >/dev/null

declare -a http services
for i in 1 2 3; do
  http[$i]=$(free_port)
  Mqtt__Mode=external Mqtt__Host=127.0.0.1 Mqtt__Port=$mqtt Mqtt__Username=emission-monitor Mqtt__Password=svc Mqtt__ClientId=emission-monitor-$i \
  Mqtt__SharedGroup=emission-monitor Storage__Backend=influxdb Influx__Url="http://127.0.0.1:$influx" Influx__Bucket=emission Influx__WriteApi=v1 \
  Http__Urls="http://127.0.0.1:${http[$i]}" Gateway__Port=$(free_port) Intake__MaxAge=3650.00:00:00 \
    "${em[@]}" run --config "$work" --data "$work/data-$i" >"$work/service-$i.log" 2>&1 &
  services[$i]=$!
  pids+=($!)
done
for i in 1 2 3; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:${http[$i]}/readyz" >/dev/null && break; sleep 0.2; done
done
sleep 2

accepted() { curl -s "http://127.0.0.1:${http[$1]}/metrics" | awk '/^em_frames_total\{status="accepted"\}/ {print $2}'; }
cpu() { awk '{print ($14+$15)/100}' "/proc/${services[$1]}/stat"; }
for i in 1 2 3; do before[$i]=$(cpu "$i"); done
"${em[@]}" simulate --target "mqtt://127.0.0.1:$mqtt" --registry "$work/stations.json" --outlets "$outlets" --rate "$rate" --duration "${seconds}s" | tee "$work/fleet"
sleep 5 # the last acknowledgements and group commits
echo
echo "| instance | frames accepted | share | CPU s | RSS MB |"
echo "|---|---:|---:|---:|---:|"
total=0
for i in 1 2 3; do n[$i]=$(accepted "$i"); total=$((total + ${n[$i]:-0})); done
for i in 1 2 3; do
  printf '| %s | %s | %.1f %% | %.1f | %s |\n' "$i" "${n[$i]}" "$(echo "100 * ${n[$i]} / $total" | bc -l)" "$(echo "$(cpu "$i") - ${before[$i]}" | bc -l)" \
    "$(awk '/VmRSS/ {print int($2/1024)}' "/proc/${services[$i]}/status")"
done
echo "| all | $total | | | |"
echo
echo "InfluxDB: $(du -sm "$work/influx" | cut -f1) MB under $work/influx"
