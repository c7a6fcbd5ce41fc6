#!/usr/bin/env bash
# Sets linecount up and runs its tests (unit, end-to-end, fault injection, packaging).
#
#   scripts/test.sh                # quick: the release build (with cppcheck, and clang-tidy
#                                  # without its static analyzer) and g++ ASan+UBSan
#   scripts/test.sh --all          # also clang-tidy's static analyzer, clang++ ASan+UBSan,
#                                  # clang++ TSan and the fuzzers (what CI runs: .ci/run)
#   scripts/test.sh asan fuzz      # just these CMake presets
#
# Skipped tests are listed with their reasons. With CI=true in the environment, a skip fails
# the run unless its reason holds on this machine (a test names its reason with
# LINECOUNT_SKIP, tests/support/skip.hpp; the reasons and their checks are below). A missing
# tool is never a reason: scripts/setup.sh --test installs every tool the tests use.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

quick=(release asan)
all=(release asan clang-asan clang-tsan fuzz)
presets=()
for arg in "$@"; do
  case "$arg" in
    --all) presets+=("${all[@]}") ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "test: unknown option $arg (try --help)" >&2; exit 2 ;;
    *) presets+=("$arg") ;;
  esac
done
if [[ ${#presets[@]} -eq 0 ]]; then
  presets=("${quick[@]}")
  export LINECOUNT_LINT_QUICK=1  # scripts/lint.sh: no static analyzer (--all runs it)
fi

# Whether a skip's reason holds here: "not-root", "cpu-lacks:FLAG", "temp-in-memory".
reason_holds() {
  case "$1" in
    not-root) [[ $(id -u) -ne 0 ]] ;;
    cpu-lacks:*) ! grep -m1 '^flags' /proc/cpuinfo | grep -qw -- "${1#cpu-lacks:}" ;;
    temp-in-memory) [[ $(stat -f -c %T "${TMPDIR:-/tmp}") == tmpfs ]] ;;
    *) return 1 ;;
  esac
}

started=$(date +%s)
"$root/scripts/setup.sh" --test "${presets[@]}" || { echo "test: set-up failed" >&2; exit 1; }

passed=0
failed=0
skipped=0
failed_presets=()
bad_skips=()
for preset in "${presets[@]}"; do
  echo "=== ctest --preset $preset"
  log=$(mktemp)
  skip_log="$root/build/$preset/skipped-tests.log"
  : > "$skip_log"
  (cd "$root" && LINECOUNT_SKIP_LOG="$skip_log" ctest --preset "$preset") 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  # "The following tests did not run:" then one "<tab> N - NAME (Skipped)" line each.
  mapfile -t skipped_here < <(sed -nE 's/^[[:space:]]+[0-9]+ - (.*) \(Skipped\)$/\1/p' "$log")
  rm -f "$log"
  if [[ -z "$summary" ]]; then
    failed_presets+=("$preset")
    continue
  fi
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  bad=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$summary")
  passed=$((passed + total - bad - ${#skipped_here[@]}))
  failed=$((failed + bad))
  skipped=$((skipped + ${#skipped_here[@]}))
  [[ $status -eq 0 ]] || failed_presets+=("$preset")
  for name in "${skipped_here[@]}"; do
    entry=$(awk -F'\t' -v name="$name" '$1 == name { print; exit }' "$skip_log")
    reason=$(cut -f2 <<<"$entry")
    detail=$(cut -f3 <<<"$entry")
    if [[ -z "$entry" ]]; then
      echo "=== skipped ($preset): $name (no reason given)"
      bad_skips+=("$preset: $name (no reason given)")
    elif reason_holds "$reason"; then
      echo "=== skipped ($preset): $name [$reason: holds here] $detail"
    else
      echo "=== skipped ($preset): $name [$reason: does NOT hold here] $detail"
      bad_skips+=("$preset: $name ($reason does not hold here)")
    fi
  done
done

echo "=== presets: ${presets[*]} ($(( $(date +%s) - started )) s with set-up)"
[[ ${#failed_presets[@]} -eq 0 ]] || echo "=== failing presets: ${failed_presets[*]}"
echo "all presets: $passed passed, $failed failed, $skipped skipped"
if [[ ${CI:-} == true && ${#bad_skips[@]} -gt 0 ]]; then
  echo "=== CI=true: skips without a reason that holds on this machine:"
  printf '  %s\n' "${bad_skips[@]}"
  exit 1
fi
[[ ${#failed_presets[@]} -eq 0 && $failed -eq 0 ]]
