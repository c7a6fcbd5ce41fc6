# Install and package rules: `cmake --install` and `cpack -G DEB`.
#
# Two components:
#   runtime      the program, its man page, bash and zsh completions and the license
#                (Debian package "linecount")
#   development  linecount::core — the static library, its headers in include/linecount and
#                the CMake package files for find_package(linecount)
#                (Debian package "linecount-dev")
# `cmake --install <build>` installs both.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(LINECOUNT_INSTALL "Generate the install and package rules" ${PROJECT_IS_TOP_LEVEL})
if(NOT LINECOUNT_INSTALL)
  return()
endif()

set(LINECOUNT_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/linecount"
    CACHE STRING "Where linecountConfig.cmake is installed, relative to the prefix")
mark_as_advanced(LINECOUNT_CMAKE_INSTALL_DIR)

# ---- runtime ----------------------------------------------------------------------------------

install(TARGETS linecount RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

# Debian wants man pages compressed with `gzip -9n` (no name, no time stamp: reproducible).
find_program(LINECOUNT_GZIP gzip)
mark_as_advanced(LINECOUNT_GZIP)
set(linecount_man_source "${PROJECT_SOURCE_DIR}/docs/linecount.1")
if(LINECOUNT_GZIP)
  set(LINECOUNT_MAN_PAGE "linecount.1.gz")
  add_custom_command(
    OUTPUT "${PROJECT_BINARY_DIR}/docs/linecount.1.gz"
    COMMAND ${CMAKE_COMMAND} -E copy "${linecount_man_source}" "${PROJECT_BINARY_DIR}/docs/linecount.1"
    COMMAND ${LINECOUNT_GZIP} -9nf "${PROJECT_BINARY_DIR}/docs/linecount.1"
    DEPENDS "${linecount_man_source}"
    COMMENT "Compressing the man page"
    VERBATIM)
  add_custom_target(linecount_man_page ALL DEPENDS "${PROJECT_BINARY_DIR}/docs/linecount.1.gz")
  set(linecount_man_file "${PROJECT_BINARY_DIR}/docs/linecount.1.gz")
else()
  set(LINECOUNT_MAN_PAGE "linecount.1")
  set(linecount_man_file "${linecount_man_source}")
endif()
install(FILES "${linecount_man_file}" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)

install(FILES "${PROJECT_SOURCE_DIR}/completions/linecount.bash"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME linecount
        COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/completions/_linecount"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions
        COMPONENT runtime)
# share/doc/linecount/copyright, as Debian policy names it.
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE"
        DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME copyright
        COMPONENT runtime)

# ---- development: find_package(linecount) -> linecount::core ---------------------------------

set_target_properties(linecount_core PROPERTIES EXPORT_NAME core OUTPUT_NAME linecount)
install(TARGETS linecount_core
        EXPORT linecountTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/linecount"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT development
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT linecountTargets
        NAMESPACE linecount::
        FILE linecountTargets.cmake
        DESTINATION ${LINECOUNT_CMAKE_INSTALL_DIR}
        COMPONENT development)
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/linecountConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/linecountConfig.cmake"
  INSTALL_DESTINATION ${LINECOUNT_CMAKE_INSTALL_DIR})
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/linecountConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/linecountConfig.cmake"
              "${PROJECT_BINARY_DIR}/linecountConfigVersion.cmake"
              "${CMAKE_CURRENT_LIST_DIR}/FindLibUring.cmake"
              "${CMAKE_CURRENT_LIST_DIR}/FindDecompressors.cmake"
        DESTINATION ${LINECOUNT_CMAKE_INSTALL_DIR}
        COMPONENT development)
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/linecount-dev
        RENAME copyright
        COMPONENT development)

# ---- CPack: cpack -G DEB (and TGZ) --------------------------------------------------------------

set(CPACK_PACKAGE_NAME linecount)
set(CPACK_PACKAGE_VENDOR "The linecount authors")
set(CPACK_PACKAGE_CONTACT "The linecount authors <linecount@example.invalid>")
# CPackDeb puts this summary first in every package's Description, then the component's text.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "count the newlines in many files at once, like wc -l")
set(CPACK_PACKAGE_DESCRIPTION
    "linecount counts exactly what GNU wc -l counts, but reads many files concurrently and
prints each file's count as soon as that file is done. It takes file names from the
command line or as a NUL-separated stream (--files0-from), keeps the number of open
files bounded and counts with SIMD kernels chosen at run time.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_INSTALL_DIRECTORY linecount)
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build/" "/\\.cache/" "compile_commands\\.json$")

find_program(LINECOUNT_DPKG dpkg)
mark_as_advanced(LINECOUNT_DPKG)
if(LINECOUNT_DPKG)
  set(CPACK_GENERATOR DEB TGZ)
else()
  set(CPACK_GENERATOR TGZ)
endif()

set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_COMPONENT_RUNTIME_DISPLAY_NAME "linecount program")
set(CPACK_COMPONENT_DEVELOPMENT_DISPLAY_NAME "linecount::core library and headers")
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)  # one tarball with everything

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # linecount_0.2.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME linecount)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
# dpkg-shlibdeps (dpkg-dev) computes Depends from the binary; CPackDeb also needs `file`.
find_program(LINECOUNT_DPKG_SHLIBDEPS dpkg-shlibdeps)
find_program(LINECOUNT_FILE file)
mark_as_advanced(LINECOUNT_DPKG_SHLIBDEPS LINECOUNT_FILE)
# libisal2: gzip is inflated by ISA-L, which linecount loads at run time (dlopen), where
# dpkg-shlibdeps cannot see it (without it, zlib inflates gzip, more slowly).
if(LINECOUNT_HAS_STATIC_PIE AND NOT LINECOUNT_SANITIZE)
  # A static PIE (src/CMakeLists.txt) needs no shared library, but still reads the C
  # library's locale data and, in a locale that is not UTF-8, loads its gconv modules, and
  # it loads ISA-L with the C library's own shared copy: all must come from the C library
  # it was linked with (GNU libc's rule for dlopen in a static program), of this release.
  execute_process(COMMAND getconf GNU_LIBC_VERSION OUTPUT_VARIABLE _linecount_libc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_linecount_libc MATCHES "([0-9]+)\\.([0-9]+)")
    math(EXPR _linecount_next "${CMAKE_MATCH_2} + 1")
    set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS
        "libc6 (>= ${CMAKE_MATCH_1}.${CMAKE_MATCH_2}), libc6 (<< ${CMAKE_MATCH_1}.${_linecount_next}), libisal2 (>= 2.30)")
  else()
    set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libc6 (>= 2.36), libc6 (<< 2.37), libisal2 (>= 2.30)")
  endif()
elseif(LINECOUNT_DPKG_SHLIBDEPS AND LINECOUNT_FILE)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libisal2 (>= 2.30)")  # merged with what it computes
else()
  # What dpkg-shlibdeps gives for a g++ 12 build on Debian 12: the program carries its C++
  # runtime and fmt (linked statically, for start-up time), so only the C library.
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libc6 (>= 2.36), libisal2 (>= 2.30)")
endif()

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME linecount-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "libboost1.81-dev | libboost-dev (>= 1.81), liburing-dev, zlib1g-dev, libzstd-dev, liblzma-dev, libbz2-dev, liblz4-dev, libisal2 (>= 2.30)")
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION
    "This package holds linecount::core, the static library behind linecount, and its
headers, for C++20 programs: SIMD newline counting (count_newlines), async_chunks (an
async iterator over an Asio stream), pooled_file (an Asio stream whose blocking reads
run on a thread pool), decompressing_stream (gzip, zstd, xz, bzip2 and lz4
decoders behind an Asio stream), the --files0-from list reader and GNU-style name quoting.
Use it from CMake with find_package(linecount) and linecount::core.")

include(CPack)
