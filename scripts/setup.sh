#!/usr/bin/env bash
# Sets linecount up on a Debian 12 machine: installs the Debian packages it needs (only those
# missing), then configures and builds each CMake preset named (default: release).
#
#   scripts/setup.sh                       # release build
#   scripts/setup.sh --test release asan   # also the packages the test builds need
#   scripts/setup.sh --bench release bench # also hyperfine, GNU time, Google Benchmark, ripgrep
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

build_packages=(cmake make gcc g++ libboost1.81-dev libcli11-dev libfmt-dev libgtest-dev liburing-dev
  zlib1g-dev libzstd-dev liblzma-dev libbz2-dev liblz4-dev libisal-dev)
# What the tests use: strace for fault injection, the static analysers, groff for the man
# page check, tmux and util-linux's script for terminals, jq for JSON, and the compressors
# that make -z's test files and give the counts they are checked against.
test_packages=(strace clang-tidy-14 cppcheck groff-base tmux bsdutils jq
  gzip zstd xz-utils bzip2 lz4)
# The clang presets (clang-asan, clang-tsan, fuzz): the compiler and its sanitizer and
# libFuzzer runtimes (g++'s come with g++ itself).
clang_packages=(clang-14 libclang-rt-14-dev)
# bench/compare.sh times whole runs with hyperfine and GNU time; the bench preset builds the
# kernel benchmark against Google Benchmark.
bench_packages=(hyperfine time libbenchmark-dev ripgrep pigz)

want_tests=false
want_bench=false
presets=()
for arg in "$@"; do
  case "$arg" in
    --test) want_tests=true ;;
    --bench) want_bench=true ;;
    *) presets+=("$arg") ;;
  esac
done
[[ ${#presets[@]} -gt 0 ]] || presets=(release)

packages=("${build_packages[@]}")
$want_tests && packages+=("${test_packages[@]}")
for preset in "${presets[@]}"; do
  case "$preset" in
    clang-* | fuzz) packages+=("${clang_packages[@]}"); break ;;
  esac
done
$want_bench && packages+=("${bench_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$package")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

jobs=$(nproc 2>/dev/null || echo 2)
for preset in "${presets[@]}"; do
  echo "setup: configuring and building preset '$preset'" >&2
  cmake -S "$root" --preset "$preset" >&2
  cmake --build "$root/build/$preset" --parallel "$jobs" >&2
done
