#!/usr/bin/env bash
# Times linecount against the system's `wc -l` on each workload with hyperfine (alternating
# runs, medians) and prints a table of medians and ratios (linecount / wc), with linecount's
# peak resident memory from one more run under GNU time.
#
#   bench/compare.sh [LINECOUNT] [DATA_DIR]
#
# Cold-cache rows drop the page cache before every run (`echo 3 > /proc/sys/vm/drop_caches`),
# which needs root; without it they are skipped.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
linecount=$(realpath "${1:-$root/build/release/src/linecount}")
data=$("$root/bench/make_workloads.sh" "${2:-}")
command -v hyperfine > /dev/null || { echo "compare: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "compare: needs GNU time (apt-get install time)" >&2; exit 1; }
cd "$data"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

drop='sync; echo 3 > /proc/sys/vm/drop_caches'
can_drop=false
[[ $(id -u) -eq 0 ]] && [[ -w /proc/sys/vm/drop_caches ]] && can_drop=true

# row NAME COLD(yes/no) RUNS LINECOUNT_ARGS WC_ARGS
row() {
  local name=$1 cold=$2 runs=$3 ours=$4 theirs=$5
  local prepare=()
  if [[ $cold == yes ]]; then
    $can_drop || { echo "compare: skipping '$name' (dropping the page cache needs root)" >&2; return; }
    prepare=(--prepare "$drop")
  else
    prepare=(--warmup 2)
  fi
  hyperfine --style basic --runs "$runs" "${prepare[@]}" --export-csv "$results/$name.csv" \
    -n linecount "$linecount $ours" -n wc "wc -l $theirs" > "$results/$name.log" 2>&1 ||
    { cat "$results/$name.log" >&2; exit 1; }
  local peak
  [[ $cold == yes ]] && sh -c "$drop"
  peak=$( { sh -c "/usr/bin/time -f %M $linecount $ours > /dev/null"; } 2>&1 | tail -1)
  awk -F, -v name="$name" -v peak="$peak" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { median[$col["command"]] = $col["median"] }
    END {
      printf "| %s | %.3f s | %.3f s | %.2f | %.1f MiB |\n", name, median["linecount"],
             median["wc"], median["linecount"] / median["wc"], peak / 1024
    }' "$results/$name.csv"
}

echo "linecount: $("$linecount" --version | head -1), $("$linecount" --version | tail -1)"
echo "wc: $(wc --version | head -1); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "| workload | linecount | wc -l | ratio | linecount peak RSS |"
echo "|---|---|---|---|---|"
row "1 GiB file, hot" no 15 "big.txt" "big.txt"
row "100,000 files of 1 KiB, hot (--files0-from)" no 10 "--files0-from=small.list" "--files0-from=small.list"
row "256 files of 4 MiB, hot" no 10 "medium/*" "medium/*"
row "100,000 files of 1 KiB, cold" yes 3 "--files0-from=small.list" "--files0-from=small.list"
row "1 GiB file, cold" yes 5 "big.txt" "big.txt"
