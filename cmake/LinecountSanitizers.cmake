# LINECOUNT_SANITIZE: a comma-separated list handed to -fsanitize= (for example
# "address,undefined" or "thread"). Applied to every target of this project only.
set(LINECOUNT_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined or thread")
option(LINECOUNT_WERROR "Treat warnings as errors" OFF)

function(linecount_apply_sanitizers target)
  if(LINECOUNT_SANITIZE)
    target_compile_options(${target} PRIVATE
      -fsanitize=${LINECOUNT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${LINECOUNT_SANITIZE})
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 15
       AND LINECOUNT_SANITIZE MATCHES "undefined")
      # clang <= 14 cannot emit UBSan's function-type check for coroutines ("Cannot represent
      # a difference across sections", llvm-project issue 49689); every other check stays on.
      target_compile_options(${target} PRIVATE -fno-sanitize=function)
    endif()
  endif()
endfunction()
