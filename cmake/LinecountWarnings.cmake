# linecount_set_warnings(<target>): the project's warning set, kept per target (nothing global).
function(linecount_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
      -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  endif()
  if(LINECOUNT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
