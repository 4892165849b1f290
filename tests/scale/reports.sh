#!/usr/bin/env bash
# Scale benchmark of the reports: generates N outlets x D days of hourly records (the `generate`
# command), imports them, then times every report kind and grouping (wall time and peak RSS, from
# GNU time) and prints a Markdown table for docs/benchmarks.md.
# Usage: bash tests/scale/reports.sh [OUTLETS] [DAYS] [WORKDIR]    (defaults 500 92 /tmp/em-scale-N)
set -euo pipefail
cd "$(dirname "$0")/../.."
outlets=${1:-500}
days=${2:-92}
work=${3:-/tmp/em-scale-$outlets}
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
dotnet build src/EmissionMonitor -c Release -v q -nologo >/dev/null
rm -rf "$work" && mkdir -p "$work"
cp -r src/EmissionMonitor/bin/Release/net10.0 "$work/bin" # a copy: later builds do not change the program mid-run
em=(dotnet "$work/bin/EmissionMonitor.dll")
"${em[@]}" generate --outlets "$outlets" --days "$days" --from 2025-07-01 --out "$work/data.h212.gz"
source tests/scale/measure.sh
echo "| step ($outlets outlets x $days days) | wall s | peak RSS MB |"
echo "|---|---:|---:|"
measure "import $(zcat "$work/data.h212.gz" | wc -l) frames" "${em[@]}" import "$work/data.h212.gz" --config "$work" --data "$work/data"
grep -E "imported" "$work/out" | sed 's/^/<!-- /; s/$/ -->/'
report_all "$work/data"
echo
echo "store: $(du -sm "$work/data" | cut -f1) MB"
