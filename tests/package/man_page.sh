#!/usr/bin/env bash
# package.man_page: docs/linecount.1 renders without a single groff warning, carries the
# project's version, and its OPTIONS section documents exactly linecount's options.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
need LINECOUNT_SOURCE_DIR LINECOUNT_VERSION LINECOUNT_BINARY

page=$LINECOUNT_SOURCE_DIR/docs/linecount.1
[[ -f $page ]] || fail "$page is missing"
command -v groff >/dev/null || fail "groff is not installed (Debian package groff-base)"

# Every warning (-ww), in UTF-8 and ASCII output; -z: check only, no output.
for device in utf8 ascii; do
  warnings=$(groff -man -T"$device" -ww -z "$page" 2>&1) || fail "groff -T$device failed: $warnings"
  expect_equal "groff -man -T$device -ww warnings" "" "$warnings"
done
if command -v man >/dev/null; then
  warnings=$(MANWIDTH=80 man --warnings=all -l "$page" 2>&1 >/dev/null) || fail "man -l failed: $warnings"
  expect_equal "man -l warnings" "" "$warnings"
fi

# .TH LINECOUNT 1 DATE "linecount VERSION" "User Commands"
th=$(grep -m1 '^\.TH ' "$page")
[[ $th =~ ^\.TH\ LINECOUNT\ 1\ [0-9]{4}-[0-9]{2}-[0-9]{2}\ \"linecount\ ([^\"]*)\"\ \"User\ Commands\"$ ]] ||
  fail "unexpected .TH line: $th"
expect_equal ".TH version (project(linecount VERSION) in CMakeLists.txt)" "$LINECOUNT_VERSION" \
  "${BASH_REMATCH[1]}"

# The sections man(7) pages are expected to have, in this order.
sections=$(grep '^\.SH ' "$page" | sed 's/^\.SH //; s/"//g' | paste -sd,)
expect_equal "sections" "NAME,SYNOPSIS,DESCRIPTION,OPTIONS,OUTPUT,EXIT STATUS,ENVIRONMENT,EXAMPLES,SEE ALSO" \
  "$sections"

# The options of the item headers (the line after each .TP) of the OPTIONS section.
documented=$(awk '
  /^\.SH / { in_options = ($2 == "OPTIONS") }
  in_options && take { print; take = 0 }
  in_options && /^\.TP/ { take = 1 }' "$page" |
  sed 's/\\-/-/g; s/\\f[BIRP]//g' |
  grep -oE '(^|[ "])-(-[a-z0-9][a-z0-9-]*=?|[a-z0-9])' | sed 's/^[ "]//' | LC_ALL=C sort)
expected=$(printf '%s\n' "${long_options[@]}" "${short_options[@]}" | LC_ALL=C sort)
expect_equal "options documented under OPTIONS" "$expected" "$documented"

# The environment variable and every example command the page promises.
grep -q '^\.B LINECOUNT_KERNEL$' "$page" || fail "LINECOUNT_KERNEL is not documented"
rendered=$(groff -man -Tutf8 -rLL=200n -P-cbou "$page" 2>/dev/null | sed 's/^ *//')
for example in \
  "linecount *.log" \
  "linecount --total=only src/*.cpp" \
  "find . -name '*.txt' -print0 | linecount --files0-from=-" \
  "linecount -r -k src" \
  "linecount --json *.log | jq -r 'select(.lines) | \"\\(.lines) \\(.path)\"'" \
  "linecount -0 *.txt | sort -z -n" \
  "linecount --progress -r /data"; do
  grep -qxF "$example" <<<"$rendered" || fail "example not rendered as typed: $example"
done
echo "man page OK"
