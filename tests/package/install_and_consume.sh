#!/usr/bin/env bash
# package.install_and_consume: `cmake --install` of this build into a temporary prefix puts
# every file where it belongs; an external CMake project (tests/package/consumer) finds the
# installed package with find_package(linecount), builds against linecount::core and counts a
# file right; the installed linecount counts it too.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
need LINECOUNT_SOURCE_DIR LINECOUNT_BUILD_DIR LINECOUNT_VERSION LINECOUNT_LIBDIR \
  LINECOUNT_MAN_PAGE LINECOUNT_CMAKE LINECOUNT_CMAKE_GENERATOR LINECOUNT_CXX
make_work_dir
prefix=$work/prefix
unset DESTDIR

# ---- install
config_args=()
[[ -n "${LINECOUNT_CONFIG-}" ]] && config_args=(--config "$LINECOUNT_CONFIG")
"$LINECOUNT_CMAKE" --install "$LINECOUNT_BUILD_DIR" --prefix "$prefix" "${config_args[@]}" \
  >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "cmake --install failed"; }

# Exactly these files, nothing else.
cmake_dir=$LINECOUNT_LIBDIR/cmake/linecount
expected_files=(
  bin/linecount
  "share/man/man1/$LINECOUNT_MAN_PAGE"
  share/bash-completion/completions/linecount
  share/zsh/vendor-completions/_linecount
  share/doc/linecount/copyright
  share/doc/linecount-dev/copyright
  "$LINECOUNT_LIBDIR/liblinecount.a"
  "$cmake_dir/linecountConfig.cmake"
  "$cmake_dir/linecountConfigVersion.cmake"
  "$cmake_dir/FindDecompressors.cmake"
  "$cmake_dir/FindLibUring.cmake"
  "$cmake_dir/linecountTargets.cmake"
  "$cmake_dir/linecountTargets-$(tr '[:upper:]' '[:lower:]' <<<"${LINECOUNT_CONFIG:-noconfig}").cmake"
)
for header in "$LINECOUNT_SOURCE_DIR"/include/linecount/*.hpp; do
  expected_files+=("include/linecount/${header##*/}")
done
expect_equal "installed files" "$(printf '%s\n' "${expected_files[@]}" | LC_ALL=C sort)" \
  "$(cd "$prefix" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort)"
[[ -x $prefix/bin/linecount ]] || fail "bin/linecount is not executable"

# The installed text files are the project's own.
cmp "$LINECOUNT_SOURCE_DIR/completions/linecount.bash" "$prefix/share/bash-completion/completions/linecount"
cmp "$LINECOUNT_SOURCE_DIR/completions/_linecount" "$prefix/share/zsh/vendor-completions/_linecount"
cmp "$LINECOUNT_SOURCE_DIR/LICENSE" "$prefix/share/doc/linecount/copyright"
man_page=$prefix/share/man/man1/$LINECOUNT_MAN_PAGE
if [[ $man_page == *.gz ]]; then
  gzip -t "$man_page" || fail "$man_page is not a valid gzip file"
  gzip -dc "$man_page" | cmp "$LINECOUNT_SOURCE_DIR/docs/linecount.1" - || fail "$man_page differs"
else
  cmp "$LINECOUNT_SOURCE_DIR/docs/linecount.1" "$man_page"
fi
for header in "$LINECOUNT_SOURCE_DIR"/include/linecount/*.hpp; do
  cmp "$header" "$prefix/include/linecount/${header##*/}"
done

# The exported target carries its usage requirements and nothing of this build: no warning or
# sanitizer flags, no path into the source or build tree.
targets=$prefix/$cmake_dir/linecountTargets.cmake
expect_equal "linecount::core's interface properties" \
  "$(printf '%s\n' \
      'INTERFACE_COMPILE_FEATURES "cxx_std_20"' \
      'INTERFACE_INCLUDE_DIRECTORIES "${_IMPORT_PREFIX}/include"' \
      'INTERFACE_LINK_LIBRARIES "Boost::headers;Threads::Threads;\$<LINK_ONLY:LibUring::LibUring>;\$<LINK_ONLY:Decompressors::zlib>;\$<LINK_ONLY:Decompressors::zstd>;\$<LINK_ONLY:Decompressors::lzma>;\$<LINK_ONLY:Decompressors::bz2>;\$<LINK_ONLY:Decompressors::lz4>;\$<LINK_ONLY:Decompressors::isal>"')" \
  "$(grep -E '^ +INTERFACE_' "$targets" | sed 's/^ *//')"
grep -q 'add_library(linecount::core STATIC IMPORTED)' "$targets" ||
  fail "linecountTargets.cmake does not define linecount::core as an imported static library"
for tree in "$LINECOUNT_SOURCE_DIR" "$LINECOUNT_BUILD_DIR"; do
  if grep -rlF "$tree" "$prefix/$cmake_dir"; then
    fail "the installed CMake files name $tree"
  fi
done
if grep -rlE -- '-fsanitize|-W(all|error|extra)' "$prefix/$cmake_dir"; then
  fail "the installed CMake files carry build flags"
fi

# ---- a file with a known count
data=$work/data.txt
make_data_file "$data"

# ---- the installed program
expect_equal "installed linecount on a file" "$data_lines $data" "$("$prefix/bin/linecount" "$data")"
version=$("$prefix/bin/linecount" --version)
expect_equal "installed linecount --version, first line" "linecount $LINECOUNT_VERSION" \
  "$(head -1 <<<"$version")"

# ---- the consumer: find_package(linecount) from the prefix alone
consumer_build=$work/consumer-build
"$LINECOUNT_CMAKE" -S "$here/consumer" -B "$consumer_build" -G "$LINECOUNT_CMAKE_GENERATOR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$LINECOUNT_CXX" \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  >"$work/consumer-configure.log" 2>&1 ||
  { cat "$work/consumer-configure.log" >&2; fail "configuring the consumer failed"; }
found=$(sed -n 's/^linecount_DIR:PATH=//p' "$consumer_build/CMakeCache.txt")
expect_equal "linecount_DIR of the consumer" "$prefix/$cmake_dir" "$found"
"$LINECOUNT_CMAKE" --build "$consumer_build" --parallel 2 >"$work/consumer-build.log" 2>&1 ||
  { cat "$work/consumer-build.log" >&2; fail "building the consumer failed"; }

consumer=$consumer_build/count_lines
expect_equal "consumer on a file" "$data_lines" "$("$consumer" "$data")"
gzip -c "$data" > "$work/data.gz"
expect_equal "consumer -z on a gzip file" "$data_lines" "$("$consumer" -z "$work/data.gz")"
expect_equal "consumer -z on a plain file" "$data_lines" "$("$consumer" -z "$data")"
expect_equal "consumer with the scalar kernel" "$data_lines" "$(LINECOUNT_KERNEL=scalar "$consumer" "$data")"
: >"$work/empty"
expect_equal "consumer on an empty file" "0" "$("$consumer" "$work/empty")"
status=0
output=$("$consumer" "$work/missing" 2>"$work/consumer.err") || status=$?
expect_equal "consumer's exit status for a missing file" "1" "$status"
expect_equal "consumer's output for a missing file" "" "$output"
expect_equal "consumer's message for a missing file" \
  "count_lines: $work/missing: No such file or directory" "$(cat "$work/consumer.err")"
echo "install and consumer OK"
