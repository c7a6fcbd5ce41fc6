# FindDecompressors: the libraries behind -z, as imported targets
#   Decompressors::zlib (zlib1g-dev), Decompressors::zstd (libzstd-dev),
#   Decompressors::lzma (liblzma-dev), Decompressors::bz2 (libbz2-dev),
#   Decompressors::lz4 (liblz4-dev), and Decompressors::isal (libisal-dev): only ISA-L's
#   header and the dynamic loader, for ISA-L is loaded at run time (dlopen), and only if
#   found: without it zlib inflates gzip.
# Installed with linecount's package files: linecount::core links them. Static archives are
# preferred, as for liburing: the linecount program is a static PIE.
include(FindPackageHandleStandardArgs)

set(_decompressors_required)
foreach(_spec IN ITEMS "zlib;zlib.h;z" "zstd;zstd.h;zstd" "lzma;lzma.h;lzma" "bz2;bzlib.h;bz2"
                       "lz4;lz4frame.h;lz4")
  list(GET _spec 0 _name)
  list(GET _spec 1 _header)
  list(GET _spec 2 _library)
  find_path(Decompressors_${_name}_INCLUDE_DIR ${_header})
  find_library(Decompressors_${_name}_LIBRARY NAMES lib${_library}.a ${_library})
  mark_as_advanced(Decompressors_${_name}_INCLUDE_DIR Decompressors_${_name}_LIBRARY)
  list(APPEND _decompressors_required
    Decompressors_${_name}_LIBRARY Decompressors_${_name}_INCLUDE_DIR)
endforeach()

find_package_handle_standard_args(Decompressors REQUIRED_VARS ${_decompressors_required})

if(Decompressors_FOUND)
  foreach(_name IN ITEMS zlib zstd lzma bz2 lz4)
    if(NOT TARGET Decompressors::${_name})
      add_library(Decompressors::${_name} UNKNOWN IMPORTED)
      set_target_properties(Decompressors::${_name} PROPERTIES
        IMPORTED_LOCATION "${Decompressors_${_name}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Decompressors_${_name}_INCLUDE_DIR}")
    endif()
  endforeach()
endif()
if(NOT TARGET Decompressors::isal)
  find_path(Decompressors_isal_INCLUDE_DIR isa-l/igzip_lib.h)
  mark_as_advanced(Decompressors_isal_INCLUDE_DIR)
  add_library(Decompressors::isal INTERFACE IMPORTED)
  set_target_properties(Decompressors::isal PROPERTIES INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")
  if(Decompressors_isal_INCLUDE_DIR)
    set_target_properties(Decompressors::isal PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${Decompressors_isal_INCLUDE_DIR}")
  endif()
endif()
unset(_decompressors_required)
