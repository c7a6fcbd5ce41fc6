#!/usr/bin/env bash
# Sets linecount up (packages, configure, build; only what is missing) and runs it:
#
#   scripts/run.sh /usr/share/common-licenses/*
#
# Everything the set-up prints goes to standard error, so standard output is linecount's own.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" release
exec "$root/build/release/src/linecount" "$@"
