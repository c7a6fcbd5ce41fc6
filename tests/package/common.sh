# Sourced by the package tests: shared helpers and the option list linecount documents.

# Every option of the binary under test, read from its --help ("  -j, --jobs=N   ..."), as
# the man page and the completions must list them: long options with "=" where they take a
# value, and the short ones. A test that sources this needs LINECOUNT_BINARY.
if [[ -n "${LINECOUNT_BINARY-}" ]]; then
  help_text=$("$LINECOUNT_BINARY" --help) || { echo "FAIL: $LINECOUNT_BINARY --help" >&2; exit 1; }
  mapfile -t long_options < <(sed -nE 's/^  (-[[:alnum:]], |    )(--[a-z0-9-]+)(=[A-Z]+)?.*/\2\3/p' \
    <<<"$help_text" | sed -E 's/=[A-Z]+$/=/')
  mapfile -t short_options < <(sed -nE 's/^  (-[[:alnum:]]), --.*/\1/p' <<<"$help_text")
  if [[ ${#long_options[@]} -lt 10 || ${#short_options[@]} -lt 3 ]]; then
    echo "FAIL: could not read the options from $LINECOUNT_BINARY --help" >&2
    exit 1
  fi
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_equal WHAT EXPECTED ACTUAL
expect_equal() {
  if [[ "$2" != "$3" ]]; then
    printf 'FAIL: %s\n  expected: %q\n  actual:   %q\n' "$1" "$2" "$3" >&2
    exit 1
  fi
}

# need VARIABLE...: the variables ctest sets (tests/package/CMakeLists.txt).
need() {
  local name
  for name in "$@"; do
    [[ -n "${!name-}" ]] || fail "$name is not set (run this test through ctest)"
  done
}

# A temporary directory, removed when the test ends.
make_work_dir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/linecount-package.XXXXXX")
  trap 'rm -rf "$work"' EXIT
}

# make_data_file PATH: 100000 lines, then a last line without a newline (not counted).
data_lines=100000
make_data_file() {
  seq 1 "$data_lines" >"$1"
  printf 'a last line without a newline' >>"$1"
}
