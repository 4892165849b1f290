# Shared by the scale scripts (sourced): timing of one command, and every report kind and grouping.
# Needs $work (where the timings go) and the program as the array em=(dotnet .../EmissionMonitor.dll).

measure() { # label, command...: prints "| label | wall s | peak MB |" (GNU time)
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { echo "| $label | failed: $(tail -1 "$work/err") | |"; return; }
  read -r wall rss <"$work/time"
  printf '| %s | %s | %d |\n' "$label" "$wall" $((rss / 1024))
}

report_all() { # data folder: every report kind and grouping of 2025Q3 as its own process, then one outlet's hours
  local data=$1
  for kind in rates totals exceedances cards; do
    for by in "" pollutant enterprise city province; do
      [ "$kind" = exceedances ] && [ -n "$by" ] && continue
      [ "$kind" = cards ] && [ -n "$by" ] && continue
      measure "report $kind${by:+ --by $by}" "${em[@]}" report "$kind" --quarter 2025Q3 ${by:+--by "$by"} --format json --config "$work" --data "$data"
    done
  done
  measure "report hours --mn GEN00000000" "${em[@]}" report hours --quarter 2025Q3 --mn GEN00000000 --format json --config "$work" --data "$data"
}
