#!/usr/bin/env bash
# Static analysis with the checked-in configuration: clang-tidy (.clang-tidy) over every
# source file of src/, and cppcheck (.cppcheck-suppressions). Exits non-zero on any finding.
#
#   scripts/lint.sh [BUILD_DIR]   # a configured build folder with compile_commands.json
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/release}
status=0

for tool in clang-tidy-14 cppcheck; do
  if ! command -v "$tool" > /dev/null; then
    echo "lint: $tool is not installed (scripts/setup.sh --test installs it)" >&2
    status=1
  fi
done
[[ $status -eq 0 ]] || exit $status

# LINECOUNT_LINT_QUICK=1 (scripts/test.sh without --all) leaves out clang's static analyzer,
# which takes almost half the time; CI runs everything.
quick_checks=()
if [[ ${LINECOUNT_LINT_QUICK:-0} == 1 ]]; then
  quick_checks=(--checks=-clang-analyzer-*)
  echo "lint: quick (clang-tidy without the static analyzer)"
fi

echo "lint: clang-tidy"
# One file per process, as many at once as there are cores (each file takes 10-25 s, most
# of it in Asio's headers and the static analyzer). g++'s own warning flags in
# compile_commands.json are unknown to clang: not findings.
if ! printf '%s\0' "$root"/src/*.cpp "$root"/src/*/*.cpp |
    xargs -0 -n1 -P "$(nproc 2>/dev/null || echo 2)" clang-tidy-14 -p "$build" --quiet \
      "${quick_checks[@]}" --extra-arg=-Wno-unknown-warning-option \
      2> >(grep -v 'warnings generated' >&2); then
  status=1
fi

echo "lint: cppcheck"
if ! cppcheck --std=c++20 --language=c++ --enable=warning,style,performance,portability \
    --inline-suppr --suppressions-list="$root/.cppcheck-suppressions" --error-exitcode=1 \
    --quiet -I "$root/include" -I "$root/src" "$root/src"; then
  status=1
fi
exit $status
