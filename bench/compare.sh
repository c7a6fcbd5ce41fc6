#!/usr/bin/env bash
# Times linecount against the system's `wc -l`, and against a plain C probe of what the
# machine allows, on each workload with hyperfine (medians), and prints a table of medians
# and ratios, with linecount's peak resident memory from one more run under GNU time; then
# the counting kernels alone (Google Benchmark, bench/kernels_bench.cpp) on 256 KiB in cache,
# if that benchmark is built. Hot rows run each command's runs together after warm-up runs;
# cold rows alternate the commands, one run of each per round, so that a slow spell of the
# disk falls on all of them.
#
#   scripts/setup.sh --bench release bench   # once: hyperfine, GNU time, Google Benchmark, rg
#   bench/compare.sh [LINECOUNT] [DATA_DIR] [KERNELS_BENCH]
#
# The probe: the C file named by PROBE_SOURCE (default ../shared/limits/nlc.c beside this
# checkout, where the team keeps it), built with `cc -O2 -march=native -pthread`; the
# ratio columns are linecount / wc and linecount / probe. Without it the probe column is
# left empty.
#
# Cold-cache rows drop the page cache before every run (`echo 3 > /proc/sys/vm/drop_caches`),
# which needs root; without it they are skipped. COMPARE_ONLY=TEXT runs only the rows whose
# name contains TEXT (and not the kernels), e.g. COMPARE_ONLY="file, cold"; COMPARE_ONLY=compressed
# runs the -z rows: compressed files against each format's own tool
# piped into wc -l and against rg -z, and plain files with and without -z.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
linecount=$(realpath "${1:-$root/build/release/src/linecount}")
kernels_bench=$(realpath -m "${3:-$root/build/bench/bench/kernels_bench}")
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" > /dev/null ||
    { echo "compare: needs $tool (scripts/setup.sh --bench installs it)" >&2; exit 1; }
done
data=$("$root/bench/make_workloads.sh" "${2:-}")
cd "$data"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

probe=""
probe_source=${PROBE_SOURCE:-$root/../shared/limits/nlc.c}
if [[ -f $probe_source ]] && cc -O2 -march=native -pthread -o "$results/probe" "$probe_source"; then
  probe=$results/probe
else
  echo "compare: no probe ($probe_source): its column stays empty" >&2
fi

drop='sync; echo 3 > /proc/sys/vm/drop_caches'
can_drop=false
[[ $(id -u) -eq 0 ]] && [[ -w /proc/sys/vm/drop_caches ]] && can_drop=true

# row NAME COLD(yes/no/short) RUNS LINECOUNT_ARGS WC_ARGS [PROBE_ARGS]
# "short": hot, and run without a shell (-N), for commands of a millisecond or two.
row() {
  local name=$1 cold=$2 runs=$3 ours=$4 theirs=$5 limit=${6:-}
  [[ -z ${COMPARE_ONLY:-} || $name == *"$COMPARE_ONLY"* ]] || return 0
  [[ -n $probe ]] || limit=""
  local prepare=()
  if [[ $cold == yes ]]; then
    $can_drop || { echo "compare: skipping '$name' (dropping the page cache needs root)" >&2; return; }
    prepare=(--prepare "$drop")
  elif [[ $cold == short ]]; then
    prepare=(--warmup 20 -N)
  else
    prepare=(--warmup 2)
  fi
  local csvs=()
  if [[ $cold == yes ]]; then
    for ((round = 0; round < runs; round++)); do
      measure "$name.$round" 1 "$ours" "$theirs" "$limit" "${prepare[@]}"
      csvs+=("$results/$name.$round.csv")
    done
  else
    measure "$name" "$runs" "$ours" "$theirs" "$limit" "${prepare[@]}"
    csvs+=("$results/$name.csv")
  fi
  local peak
  [[ $cold == yes ]] && sh -c "$drop"
  peak=$( { sh -c "/usr/bin/time -f %M $linecount $ours > /dev/null"; } 2>&1 | tail -1)
  local ours_median theirs_median probe_median=""
  ours_median=$(median_of linecount "${csvs[@]}")
  theirs_median=$(median_of wc "${csvs[@]}")
  [[ -z $limit ]] || probe_median=$(median_of probe "${csvs[@]}")
  awk -v name="$name" -v peak="$peak" -v a="$ours_median" -v b="$theirs_median" -v p="$probe_median" '
    function shown(t) { return t < 0.01 ? sprintf("%.2f ms", t * 1000) : t < 1 ? sprintf("%.0f ms", t * 1000) : sprintf("%.2f s", t) }
    BEGIN {
      probe = p == "" ? "—" : shown(p)
      versus = p == "" ? "—" : sprintf("%.2f", a / p)
      printf "| %s | %s | %s | %s | %.2f | %s | %.1f MiB |\n", name, shown(a), shown(b), probe, a / b, versus, peak / 1024
    }'
}

# measure TAG RUNS LINECOUNT_ARGS WC_ARGS PROBE_ARGS HYPERFINE_OPTIONS...: one hyperfine call.
measure() {
  local tag=$1 runs=$2 ours=$3 theirs=$4 limit=$5
  shift 5
  local commands=(-n linecount "$linecount $ours" -n wc "wc -l $theirs")
  [[ -z $limit ]] || commands+=(-n probe "$probe $limit")
  hyperfine --style basic --runs "$runs" "$@" --export-csv "$results/$tag.csv" "${commands[@]}" \
    > "$results/$tag.log" 2>&1 || { cat "$results/$tag.log" >&2; exit 1; }
}

# median_of COMMAND CSV...: the median of COMMAND's medians in the CSV files (of its times,
# where each file holds one run).
median_of() {
  local command=$1
  shift
  awk -F, -v command="$command" '
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["command"] == command { print $col["median"] }' "$@" |
    sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "linecount: $("$linecount" --version | head -1), $("$linecount" --version | tail -1)"
probe_name=none
[[ -z $probe ]] || probe_name=$(realpath "$probe_source")
echo "wc: $(wc --version | head -1); probe: $probe_name"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs), model $(grep -m1 '^model' /proc/cpuinfo | cut -d: -f2 | xargs)), $(nproc) cores"
echo
echo "| workload | linecount | wc -l | probe | linecount / wc | linecount / probe | linecount peak RSS |"
echo "|---|---|---|---|---|---|---|"
row "1 GiB file, large writes, hot" no 15 "big.txt" "big.txt" "preadmt big.txt 2 256"
row "1 GiB file, small writes, hot" no 15 "big-small-writes.txt" "big-small-writes.txt" \
  "preadmt big-small-writes.txt 2 256"
row "256 files of 4 MiB, small writes, hot" no 10 "medium/*" "medium/*" "dir medium 2"
row "256 files of 4 MiB, large writes, hot" no 10 "medium-large-writes/*" "medium-large-writes/*" \
  "dir medium-large-writes 2"
row "100,000 files of 1 KiB, hot (--files0-from)" no 10 "--files0-from=small.list" \
  "--files0-from=small.list" "dir small 2"
row "one file of 1 KiB, hot" short 300 "small/f000000.txt" "small/f000000.txt"
hundred=$(printf 'small/f%06d.txt ' $(seq 0 99))
row "100 files of 1 KiB, hot" short 300 "$hundred" "$hundred"
row "100,000 files of 1 KiB, cold" yes 5 "--files0-from=small.list" "--files0-from=small.list"
row "1 GiB file, cold" yes 20 "big.txt" "big.txt"

# walk_row NAME RUNS DIR...: -r against the same files named by find through a pipe, and
# against ripgrep, which walks and counts in parallel (`rg -c '' -uuu`: every file, hidden and
# ignored ones too). Hot: the tree is read once before.
walk_row() {
  local name=$1 runs=$2
  shift 2
  [[ -z ${COMPARE_ONLY:-} || $name == *"$COMPARE_ONLY"* ]] || return 0
  command -v rg > /dev/null || { echo "compare: skipping '$name' (no rg: scripts/setup.sh --bench)" >&2; return; }
  local dirs="$*" tag=${name//[^a-z0-9]/_}
  hyperfine --style basic --runs "$runs" --warmup 2 --export-csv "$results/$tag.csv" \
    -n linecount "$linecount -r --total=only $dirs" \
    -n find "find $dirs -type f -print0 | $linecount --files0-from=- --total=only" \
    -n rg "rg -c '' -uuu $dirs" > "$results/$tag.log" 2>&1 || { cat "$results/$tag.log" >&2; exit 1; }
  local peak ours find_median rg_median
  peak=$( { sh -c "/usr/bin/time -f %M $linecount -r --total=only $dirs > /dev/null"; } 2>&1 | tail -1)
  ours=$(median_of linecount "$results/$tag.csv")
  find_median=$(median_of find "$results/$tag.csv")
  rg_median=$(median_of rg "$results/$tag.csv")
  awk -v name="$name" -v peak="$peak" -v a="$ours" -v f="$find_median" -v r="$rg_median" '
    function shown(t) { return t < 0.01 ? sprintf("%.2f ms", t * 1000) : t < 1 ? sprintf("%.0f ms", t * 1000) : sprintf("%.2f s", t) }
    BEGIN { printf "| %s | %s | %s | %s | %.2f | %.2f | %.1f MiB |\n", name, shown(a), shown(f), shown(r), a / f, a / r, peak / 1024 }'
}

if [[ -z ${COMPARE_ONLY:-} || ${COMPARE_ONLY:-} == *tree* ]]; then
  echo
  echo "| tree, hot | linecount -r | find \| linecount --files0-from=- | rg -c '' -uuu | -r / find | -r / rg | linecount -r peak RSS |"
  echo "|---|---|---|---|---|---|---|"
  walk_row "real tree: /usr/include and /usr/share/doc" 10 /usr/include /usr/share/doc
  walk_row "deep tree: 10,000 directories, 10 levels, 100,000 files" 10 deep
  walk_row "flat tree: 100,000 files in one directory" 10 small
fi

# compressed_row NAME RUNS FILES TOOL: -z against the format's own tool piped into wc -l
# (one process for all the files, as `zcat *.gz | wc -l` is typed), and against ripgrep's -z
# (which runs that tool once per file, several at once).
compressed_row() {
  local name=$1 runs=$2 files=$3 tool=$4 tag
  [[ -z ${COMPARE_ONLY:-} || $COMPARE_ONLY == compressed || $name == *"$COMPARE_ONLY"* ]] || return 0
  tag=${name//[^a-z0-9]/_}
  local commands=(-n linecount "$linecount -z --total=only $files" -n tool "$tool $files | wc -l")
  command -v rg > /dev/null && commands+=(-n rg "rg -z -c '' $files")
  hyperfine --style basic --runs "$runs" --warmup 1 --export-csv "$results/$tag.csv" \
    "${commands[@]}" > "$results/$tag.log" 2>&1 || { cat "$results/$tag.log" >&2; exit 1; }
  local peak ours tool_median rg_median=""
  peak=$( { sh -c "/usr/bin/time -f %M $linecount -z --total=only $files > /dev/null"; } 2>&1 | tail -1)
  ours=$(median_of linecount "$results/$tag.csv")
  tool_median=$(median_of tool "$results/$tag.csv")
  command -v rg > /dev/null && rg_median=$(median_of rg "$results/$tag.csv")
  awk -v name="$name" -v peak="$peak" -v a="$ours" -v t="$tool_median" -v r="$rg_median" '
    function shown(t) { return t < 0.01 ? sprintf("%.2f ms", t * 1000) : t < 1 ? sprintf("%.0f ms", t * 1000) : sprintf("%.2f s", t) }
    BEGIN {
      rg = r == "" ? "—" : shown(r); versus = r == "" ? "—" : sprintf("%.2f", a / r)
      printf "| %s | %s | %s | %s | %.2f | %s | %.1f MiB |\n", name, shown(a), shown(t), rg, a / t, versus, peak / 1024
    }'
}

# z_row NAME RUNS ARGS [short]: what -z costs on plain files (it looks at each file's first
# bytes): linecount with and without it. Both orders are timed, and each figure is the mean
# of its two medians: hyperfine runs one command's runs after the other's, and on rows of a
# few milliseconds whichever ran first could differ by 20% from the same binary run second.
z_row() {
  local name=$1 runs=$2 args=$3 short=${4:-} tag
  [[ -z ${COMPARE_ONLY:-} || $COMPARE_ONLY == compressed || $name == *"$COMPARE_ONLY"* ]] || return 0
  tag=z_${name//[^a-z0-9]/_}
  local options=(--warmup 3)
  [[ -z $short ]] || options=(--warmup 20 -N)
  local plain=(-n plain "$linecount $args") z=(-n z "$linecount -z $args") order
  for order in forward reversed; do
    local commands=("${plain[@]}" "${z[@]}")
    [[ $order == forward ]] || commands=("${z[@]}" "${plain[@]}")
    hyperfine --style basic --runs "$runs" "${options[@]}" --export-csv "$results/$tag-$order.csv" \
      "${commands[@]}" > "$results/$tag-$order.log" 2>&1 ||
      { cat "$results/$tag-$order.log" >&2; exit 1; }
  done
  plain=$(median_of plain "$results/$tag"-{forward,reversed}.csv)
  z=$(median_of z "$results/$tag"-{forward,reversed}.csv)
  awk -v name="$name" -v a="$plain" -v b="$z" '
    function shown(t) { return t < 0.01 ? sprintf("%.2f ms", t * 1000) : t < 1 ? sprintf("%.0f ms", t * 1000) : sprintf("%.2f s", t) }
    BEGIN { printf "| %s | %s | %s | %.3f |\n", name, shown(a), shown(b), b / a }'
}

if [[ -z ${COMPARE_ONLY:-} || $COMPARE_ONLY == compressed ]]; then
  echo
  echo "| compressed, hot | linecount -z | tool \| wc -l | rg -z -c '' | linecount / tool | linecount / rg | linecount peak RSS |"
  echo "|---|---|---|---|---|---|---|"
  compressed_row "64 files of 16 MiB of log, gzip -6 (tool: zcat)" 9 "compressed/gz/*" zcat
  compressed_row "64 files of 16 MiB of log, zstd -3 (tool: zstd -dc)" 9 "compressed/zst/*" "zstd -q -dc"
  compressed_row "1 GiB of log in one gzip -6 file (tool: zcat)" 9 compressed/logs.txt.gz zcat
  compressed_row "1 GiB of log in one zstd -3 file (tool: zstd -dc)" 9 compressed/logs.txt.zst "zstd -q -dc"
  echo
  echo "| plain files, hot | linecount | linecount -z | -z / without |"
  echo "|---|---|---|---|"
  # Each hot row of the first table, and a walk; cold storage reads the same with -z.
  z_row "plain: 1 GiB file, large writes" 41 big.txt
  z_row "plain: 1 GiB file, small writes" 41 big-small-writes.txt
  z_row "plain: 256 files of 4 MiB, small writes" 41 "medium/*"
  z_row "plain: 256 files of 4 MiB, large writes" 41 "medium-large-writes/*"
  z_row "plain: 100,000 files of 1 KiB (--files0-from)" 11 --files0-from=small.list
  z_row "plain: one file of 1 KiB" 301 small/f000000.txt short
  z_row "plain: 100 files of 1 KiB" 301 "$hundred" short
  z_row "plain: deep tree, -r (100,000 files)" 11 "-r --total=only deep"
fi

if [[ -x $kernels_bench && -z ${COMPARE_ONLY:-} ]]; then
  # Separate processes: on a shared virtual machine one process can run at half the speed of
  # the next, so the median of several is quoted, with the range.
  echo
  echo "| kernel, 256 KiB in cache, from a page boundary (or 16 bytes past one) | median of 7 runs | range |"
  echo "|---|---|---|"
  for _ in 1 2 3 4 5 6 7; do
    "$kernels_bench" --benchmark_filter='/262144/' --benchmark_min_time=0.2 \
      --benchmark_format=csv 2> /dev/null | grep '/262144/'
  done | awk -F, '
    {
      gsub(/"/, "", $1)
      sub(/\/262144\/0$/, "", $1)
      sub(/\/262144\/16$/, " (16 bytes past)", $1)
      rate[$1] = rate[$1] " " $6 / 1e9
    }
    END {
      for (kernel in rate) {
        n = split(substr(rate[kernel], 2), r, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
        printf "| %s | %.0f GB/s | %.0f-%.0f GB/s |\n", kernel, r[int((n + 1) / 2)], r[1], r[n]
      }
    }' | sort -t'|' -k3 -r -n
else
  echo "compare: no kernel benchmark at $kernels_bench (cmake --preset bench && cmake --build --preset bench)" >&2
fi
