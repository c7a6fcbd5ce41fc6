#!/usr/bin/env bash
# package.deb: `cpack -G DEB` makes two Debian packages from this build: "linecount" with
# exactly the program, its man page, the bash and zsh completions and the copyright file,
# and "linecount-dev" with the library, headers and CMake package files. The extracted
# program runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
need LINECOUNT_SOURCE_DIR LINECOUNT_BUILD_DIR LINECOUNT_VERSION LINECOUNT_LIBDIR \
  LINECOUNT_MAN_PAGE LINECOUNT_CPACK
command -v dpkg-deb >/dev/null || fail "dpkg-deb is not installed"
make_work_dir
unset DESTDIR

# ---- build the packages, into the temporary directory
# The build's own CPackConfig.cmake, with one change: with a Makefile generator cpack first
# runs `make preinstall` (building every target, the tests too), which would rebuild the
# tree under the tests running beside this one. ctest runs on a finished build, so package
# it as it is; a generator without a preinstall target (Ninja) tells cpack just that.
cat >"$work/CPackConfig.cmake" <<CONFIG
include("$LINECOUNT_BUILD_DIR/CPackConfig.cmake")
set(CPACK_CMAKE_GENERATOR "Ninja")
CONFIG
config_args=()
[[ -n "${LINECOUNT_CONFIG-}" ]] && config_args=(-C "$LINECOUNT_CONFIG")
(cd "$work" && "$LINECOUNT_CPACK" -G DEB --config "$work/CPackConfig.cmake" \
  -B "$work/out" "${config_args[@]}") >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
if grep -q 'preinstall' "$work/cpack.log"; then
  cat "$work/cpack.log" >&2
  fail "cpack ran the preinstall build"
fi

arch=$(dpkg --print-architecture)
runtime_deb=linecount_${LINECOUNT_VERSION}_$arch.deb
dev_deb=linecount-dev_${LINECOUNT_VERSION}_$arch.deb
expect_equal "packages made" "$(printf '%s\n' "$runtime_deb" "$dev_deb" | LC_ALL=C sort)" \
  "$(cd "$work/out" && ls -1 -- *.deb | LC_ALL=C sort)"
runtime_deb=$work/out/$runtime_deb
dev_deb=$work/out/$dev_deb

# files_of DEB: the regular files and links in the package, sorted, without the leading "./".
files_of() {
  dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./||' | LC_ALL=C sort
}

# ---- linecount: the program and what goes with it, and nothing else
expect_equal "files in $(basename "$runtime_deb")" \
  "$(printf '%s\n' \
      usr/bin/linecount \
      usr/share/bash-completion/completions/linecount \
      usr/share/doc/linecount/copyright \
      "usr/share/man/man1/$LINECOUNT_MAN_PAGE" \
      usr/share/zsh/vendor-completions/_linecount | LC_ALL=C sort)" \
  "$(files_of "$runtime_deb")"
field() { dpkg-deb -f "$1" "$2"; }
expect_equal "Package" "linecount" "$(field "$runtime_deb" Package)"
expect_equal "Version" "$LINECOUNT_VERSION" "$(field "$runtime_deb" Version)"
expect_equal "Architecture" "$arch" "$(field "$runtime_deb" Architecture)"
expect_equal "Section" "utils" "$(field "$runtime_deb" Section)"
expect_equal "Maintainer" "The linecount authors <linecount@example.invalid>" \
  "$(field "$runtime_deb" Maintainer)"
description=$(field "$runtime_deb" Description)
expect_equal "Description's synopsis" "count the newlines in many files at once, like wc -l" \
  "$(head -1 <<<"$description")"
[[ $(wc -l <<<"$description") -gt 1 ]] || fail "Description has no long description"

# ---- linecount-dev: the library for find_package(linecount)
cmake_dir=usr/$LINECOUNT_LIBDIR/cmake/linecount
expected=(
  usr/share/doc/linecount-dev/copyright
  "usr/$LINECOUNT_LIBDIR/liblinecount.a"
  "$cmake_dir/linecountConfig.cmake"
  "$cmake_dir/linecountConfigVersion.cmake"
  "$cmake_dir/FindDecompressors.cmake"
  "$cmake_dir/FindLibUring.cmake"
  "$cmake_dir/linecountTargets.cmake"
  "$cmake_dir/linecountTargets-$(tr '[:upper:]' '[:lower:]' <<<"${LINECOUNT_CONFIG:-noconfig}").cmake"
)
for header in "$LINECOUNT_SOURCE_DIR"/include/linecount/*.hpp; do
  expected+=("usr/include/linecount/${header##*/}")
done
expect_equal "files in $(basename "$dev_deb")" \
  "$(printf '%s\n' "${expected[@]}" | LC_ALL=C sort)" "$(files_of "$dev_deb")"
expect_equal "Package" "linecount-dev" "$(field "$dev_deb" Package)"
expect_equal "Section" "libdevel" "$(field "$dev_deb" Section)"
expect_equal "Depends" "libboost1.81-dev | libboost-dev (>= 1.81), liburing-dev, zlib1g-dev, libzstd-dev, liblzma-dev, libbz2-dev, liblz4-dev, libisal2 (>= 2.30)" "$(field "$dev_deb" Depends)"

# ---- unpack linecount and run it
root=$work/root
dpkg-deb -x "$runtime_deb" "$root"
# libc6 either way (a static program still reads its locale data and gconv modules), and
# nothing of the C++ runtime or fmt, which the program carries (linked statically).
depends=$(field "$runtime_deb" Depends)
[[ $depends =~ (^|, )libc6\ \(\>=\ [0-9.]+\)(,|$) ]] || fail "Depends lacks libc6: $depends"
[[ ! $depends =~ libstdc\+\+|libfmt|libgcc ]] || fail "Depends names a library linked in: $depends"
# ISA-L, which inflates gzip, is loaded at run time: no tool sees it but the package's own.
[[ $depends =~ (^|, )libisal2\ \(\>=\ 2\.30\)(,|$) ]] || fail "Depends lacks libisal2: $depends"
version=$("$root/usr/bin/linecount" --version)
expect_equal "packaged linecount --version, first line" "linecount $LINECOUNT_VERSION" \
  "$(head -1 <<<"$version")"
data=$work/data.txt
make_data_file "$data"
expect_equal "packaged linecount on a file" "$data_lines $data" "$("$root/usr/bin/linecount" "$data")"
expect_equal "packaged linecount on two files" \
  "$(printf '%s\n' "$data_lines $data" "$data_lines $data" "$((2 * data_lines)) total")" \
  "$("$root/usr/bin/linecount" "$data" "$data")"
man_page=$root/usr/share/man/man1/$LINECOUNT_MAN_PAGE
if [[ $man_page == *.gz ]]; then
  gzip -dc "$man_page" | cmp "$LINECOUNT_SOURCE_DIR/docs/linecount.1" - || fail "packaged man page differs"
else
  cmp "$LINECOUNT_SOURCE_DIR/docs/linecount.1" "$man_page"
fi
cmp "$LINECOUNT_SOURCE_DIR/completions/linecount.bash" "$root/usr/share/bash-completion/completions/linecount"
cmp "$LINECOUNT_SOURCE_DIR/LICENSE" "$root/usr/share/doc/linecount/copyright"
echo "Debian packages OK"
