#!/usr/bin/env bash
# Sets linecount up and runs every test: the whole ctest suite (unit, end-to-end and fault
# injection) in a release build (with clang-tidy and cppcheck), under ASan+UBSan with g++ and
# with clang++, and under TSan with clang++; then each libFuzzer target for a bounded time.
#
#   scripts/test.sh                  # every preset
#   scripts/test.sh release asan     # just these
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

presets=("$@")
[[ ${#presets[@]} -gt 0 ]] || presets=(release asan clang-asan clang-tsan fuzz)

"$root/scripts/setup.sh" --test "${presets[@]}" || { echo "test: set-up failed" >&2; exit 1; }

passed=0
failed=0
failed_presets=()
for preset in "${presets[@]}"; do
  echo "=== ctest --preset $preset"
  log=$(mktemp)
  (cd "$root" && ctest --preset "$preset") 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  rm -f "$log"
  if [[ -z "$summary" ]]; then
    failed_presets+=("$preset")
    continue
  fi
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  bad=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$summary")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  [[ $status -eq 0 ]] || failed_presets+=("$preset")
done

echo "=== presets: ${presets[*]}"
[[ ${#failed_presets[@]} -eq 0 ]] || echo "=== failing presets: ${failed_presets[*]}"
echo "all presets: $passed passed, $failed failed"
[[ ${#failed_presets[@]} -eq 0 && $failed -eq 0 ]]
