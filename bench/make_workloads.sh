#!/usr/bin/env bash
# Creates the benchmark workloads in DIR (default: bench-data beside this checkout):
#   big.txt              1 GiB of 80-byte lines, written in large writes (320 KB at a time)
#   big-small-writes.txt the same bytes written 8 KiB at a time (head -c), as logs and build
#                        outputs are written: the page cache holds them in small pages
#   small/               100,000 files of 1 KiB, and small.list naming them (NUL-separated)
#   medium/              256 files of 4 MiB written 8 KiB at a time (head -c)
#   medium-large-writes/ the same 256 files written in one write each (dd bs=4M)
#   deep/                a tree for -r: 10,000 directories, 10 levels (1,000 chains of 10),
#                        10 files of 960 bytes in each: 100,000 files
#   logs.txt             1 GiB of web server log lines (bench/log_lines.awk), written 8 KiB at
#                        a time, and compressed/ made from it:
#   compressed/gz/       64 line-aligned parts of it of 16 MiB, each gzip -6
#   compressed/zst/      the same 64, each zstd -3
#   compressed/logs.txt.gz, compressed/logs.txt.zst   all of it in one file, gzip -6, zstd -3
# Existing workloads are kept. Needs about 6.5 GB of disk.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bench-data}
mkdir -p "$dir"
cd "$dir"

line() { printf '%079d\n' "$1"; }  # 80 bytes with its newline

if [[ ! -f big.txt ]]; then
  echo "make_workloads: big.txt" >&2
  for i in $(seq 1 1000); do line "$i"; done > block.txt  # 80,000 bytes
  : > big.txt
  while [[ $(stat -c %s big.txt) -lt $((1 << 30)) ]]; do cat block.txt block.txt block.txt block.txt >> big.txt; done
  truncate -s $((1 << 30)) big.txt
  rm -f block.txt
fi

if [[ ! -f big-small-writes.txt ]]; then
  echo "make_workloads: big-small-writes.txt" >&2
  head -c $((1 << 30)) big.txt > big-small-writes.txt.part
  mv big-small-writes.txt.part big-small-writes.txt
fi

if [[ ! -f small.list ]]; then
  echo "make_workloads: small/ (100,000 files)" >&2
  mkdir -p small
  head -c 1024 big.txt > small/template
  (cd small && seq -f 'f%06g.txt' 0 99999 | xargs -n 1000 sh -c 'for f; do cp template "$f"; done' sh)
  rm -f small/template
  (cd "$dir" && find small -name '*.txt' -print0 | sort -z) > small.list
fi

if [[ ! -d medium ]]; then
  echo "make_workloads: medium/ (256 files of 4 MiB)" >&2
  mkdir -p medium.part
  for i in $(seq -w 0 255); do head -c $((4 << 20)) big.txt > "medium.part/m$i.txt"; done
  mv medium.part medium
fi

if [[ ! -d medium-large-writes ]]; then
  echo "make_workloads: medium-large-writes/ (256 files of 4 MiB)" >&2
  mkdir -p medium-large-writes.part
  for i in $(seq -w 0 255); do
    dd if=big.txt of="medium-large-writes.part/m$i.txt" bs=4M count=1 status=none
  done
  mv medium-large-writes.part medium-large-writes
fi
if [[ ! -d deep ]]; then
  echo "make_workloads: deep/ (10,000 directories, 100,000 files)" >&2
  block=$(head -c 960 big.txt)  # 12 lines; printf gives back the last newline
  for chain in $(seq -w 0 999); do
    path=deep.part/c${chain:0:1}/c$chain
    for level in 1 2 3 4 5 6 7 8 9 10; do
      [[ $level -eq 1 ]] || path+=/l$level
      mkdir -p "$path"
      for f in 0 1 2 3 4 5 6 7 8 9; do printf '%s\n' "$block" > "$path/f$f.txt"; done
    done
  done
  mv deep.part deep
fi
if [[ ! -f logs.txt ]]; then
  echo "make_workloads: logs.txt" >&2
  awk -v lines=8000000 -f "$here/log_lines.awk" | head -c $((1 << 30)) > logs.txt.part || true
  [[ $(stat -c %s logs.txt.part) -eq $((1 << 30)) ]] || { echo "make_workloads: logs.txt is short" >&2; exit 1; }
  mv logs.txt.part logs.txt
fi

if [[ ! -d compressed ]]; then
  echo "make_workloads: compressed/ (gzip -6 and zstd -3, 64 parts and the whole)" >&2
  for tool in gzip zstd; do
    command -v $tool > /dev/null || { echo "make_workloads: needs $tool (scripts/setup.sh --bench)" >&2; exit 1; }
  done
  rm -rf compressed.part
  mkdir -p compressed.part/gz compressed.part/zst
  (cd compressed.part/gz && split -n l/64 -d -a 2 --additional-suffix=.log ../../logs.txt part)
  cp compressed.part/gz/*.log compressed.part/zst/
  cores=$(nproc)
  find compressed.part/gz -name '*.log' -print0 | xargs -0 -P "$cores" -n 8 gzip -6
  find compressed.part/zst -name '*.log' -print0 | xargs -0 -P "$cores" -n 8 zstd -q -3 --rm
  gzip -6 -c logs.txt > compressed.part/logs.txt.gz
  zstd -q -3 -T1 -c logs.txt > compressed.part/logs.txt.zst
  mv compressed.part compressed
fi
echo "$dir"
