# Sourced by the package tests: shared helpers and the option list linecount documents.

# Every option, as the man page and the completions must list them.
long_options=(--lines --files0-from= --total= --jobs= --threads= --keep-order --json --null
              --recursive --progress --count-unterminated --help --version)
short_options=(-l -j -k -0 -r)

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
