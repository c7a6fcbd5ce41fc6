#!/usr/bin/env bash
# package.zsh_completion: completions/_linecount offers exactly the options that
# linecount --help lists, short and long, each long option that takes a value with "=".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
need LINECOUNT_SOURCE_DIR LINECOUNT_BINARY

script=$LINECOUNT_SOURCE_DIR/completions/_linecount
[[ -f $script ]] || fail "$script is missing"

# Each line of the args=( ... ) array is one specification: an optional exclusion list
# ('(-l --lines)', alone or at the start of the quoted spec), then either a brace of
# spellings ({-j+,--jobs=}) or one spelling ('--total=[...', or '*--include=[...' for one
# that may be repeated), then the description.
offered=$(
  sed -n '/^args=(/,/^)/p' "$script" | sed '1d;$d' | while IFS= read -r spec; do
    spec=${spec#"${spec%%[! ]*}"}               # leading blanks
    spec=$(sed -E "s/^'\\([^)]*\\)'//; s/^'\\([^)]*\\)/'/" <<<"$spec")  # exclusion list
    if [[ $spec == \{* ]]; then
      tr ',' '\n' <<<"${spec%%\}*}" | tr -d '{'
    elif [[ $spec == \'-* || $spec == \'\*-* ]]; then
      spec=${spec#\'}
      spec=${spec#\*}
      echo "${spec%%\[*}"
    fi
  done | sed -E 's/\+$//' | LC_ALL=C sort -u)
expected=$(printf '%s\n' "${long_options[@]}" "${short_options[@]}" | LC_ALL=C sort -u)
expect_equal "options offered by $script" "$expected" "$offered"
echo "zsh completion OK"
