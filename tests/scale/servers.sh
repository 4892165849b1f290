# Shared by the scale scripts (sourced): a free loopback port, and a throwaway influxd (Debian's 1.6)
# in a folder of its own.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_influxd() { # folder: starts influxd with its data there; sets influx_port and influx_pid, waits for /ping
  local dir=$1 rpc
  mkdir -p "$dir"
  influx_port=$(free_port); rpc=$(free_port)
  cat >"$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
  influxd -config "$dir/influxdb.conf" >"$dir/log" 2>&1 &
  influx_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$influx_port/ping" >/dev/null && break; sleep 0.2; done
}

start_service() { # bin, workdir, log, then NAME=VALUE settings: `run` on the workdir's registry and data, HTTP, MQTT and
  # the gateway on free ports; sets port and pid, waits (up to 60 s) until /healthz answers
  local bin=$1 dir=$2 log=$3 mqtt gw; shift 3
  port=$(free_port); mqtt=$(free_port); gw=$(free_port)
  env "$@" Http__Urls="http://127.0.0.1:$port" Mqtt__Port="$mqtt" Gateway__Port="$gw" \
    dotnet "$bin/EmissionMonitor.dll" run --config "$dir" --data "$dir/data" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
}

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; } # the started service's resident memory, MB

sample_rss() { # file: the started service's RSS every 100 ms into the file, in the background; sets sampler
  ( while kill -0 "$pid" 2>/dev/null; do rss; sleep 0.1; done ) >"$1" &
  sampler=$!
}

start_measured() { # label, then NAME=VALUE settings: start_service from $bin on $work with the API user scale-token
  # (log service-LABEL.log), stopped when the script ends, its RSS sampled into $work/rss-LABEL; peak_rss LABEL reads it
  local label=$1; shift
  start_service "$bin" "$work" "$work/service-$label.log" Api__Users__0__Token=scale-token "$@"
  trap 'kill $pid 2>/dev/null' EXIT
  sleep 3
  sample_rss "$work/rss-$label"
}

peak_rss() { sort -n "$work/rss-$1" | tail -1; } # label: the highest RSS sampled, MB
