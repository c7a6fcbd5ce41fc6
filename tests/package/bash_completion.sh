#!/usr/bin/env bash
# package.bash_completion: completions/linecount.bash, sourced in a bare `bash --norc` (no
# bash-completion package), registers a completion function for linecount that offers
# exactly linecount's options, the --total values and file names.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
need LINECOUNT_SOURCE_DIR LINECOUNT_BINARY

script=$LINECOUNT_SOURCE_DIR/completions/linecount.bash
[[ -f $script ]] || fail "$script is missing"
make_work_dir
mkdir "$work/files" "$work/files/subdir"
touch "$work/files/alpha.txt" "$work/files/beta.log" "$work/files/also here.txt"

# complete WORD...: the words of the command line as bash splits them for completion (with
# the default COMP_WORDBREAKS, "--total=o" is "--total" "=" "o"), the cursor at the end of
# the last one. Prints COMPREPLY sorted, one per line.
complete_words() {
  (cd "$work/files" && LC_ALL=C bash --norc --noprofile -s -- "$script" "$@" <<'SHELL'
set -u
script=$1
shift
source "$script"
spec=$(complete -p linecount) || exit 3
function=$(sed -nE 's/^complete (.* )?-F ([^ ]+) (.* )?linecount$/\2/p' <<<"$spec")
[[ -n $function ]] || { echo "not a complete -F spec: $spec" >&2; exit 3; }
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMP_TYPE=9
COMPREPLY=()
"$function" linecount "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
SHELL
  )
}

# check EXPECTED WORD...: EXPECTED is the sorted replies, one per line.
check() {
  local expected=$1
  shift
  local actual
  actual=$(complete_words "$@") || fail "completing '$*' failed"
  expect_equal "completions of '$*'" "$expected" "$actual"
}
lines() { printf '%s\n' "$@" | LC_ALL=C sort; }

check "--total=" linecount --to
check "only" linecount --total = o
check "$(lines auto always)" linecount --total = a
check "$(lines auto always only never)" linecount --total =
check "$(lines auto always only never)" linecount --total ""
check "--total=never" linecount --total=n  # when "=" is not in COMP_WORDBREAKS
check "$(lines "${long_options[@]}")" linecount --
check "$(lines "${long_options[@]}" "${short_options[@]}")" linecount -
check "$(lines --jobs= --json)" linecount --j
check "--count-unterminated" linecount -l --cou
check "" linecount --jobs = ""
check "" linecount --threads = ""
check "" linecount -j ""
check "$(lines --exclude= --exclude-dir=)" linecount --exc
check "--include=" linecount -r --inc
check "" linecount --include = ""
check "" linecount --exclude-dir ""  # a pattern: no file names
check "$(lines alpha.txt "also here.txt")" linecount al
check "$(lines alpha.txt "also here.txt" beta.log subdir)" linecount -l ""
check "$(lines alpha.txt "also here.txt")" linecount --files0-from = al
check "$(lines - alpha.txt "also here.txt" beta.log subdir)" linecount --files0-from = ""
check "beta.log" linecount -- b
check "" linecount -- --to  # after --, only file names
echo "bash completion OK"
