#pragma once
// Runs the real linecount binary the way a shell would, and captures what it did.

#include <optional>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace linecount::testing {

struct invocation {
  std::vector<std::string> args;             ///< after the program name
  std::optional<std::string> stdin_data;     ///< fed through a pipe
  std::optional<std::string> stdin_path;     ///< standard input redirected from this file
  std::optional<std::string> stdout_path;    ///< standard output redirected to this file
  bool close_stdin = false;                  ///< as `<&-`
  bool close_stdout = false;                 ///< as `>&-`
  bool ignore_sigpipe = false;               ///< SIGPIPE set to SIG_IGN before exec
  std::optional<std::size_t> stdout_keep;    ///< stop reading (close the pipe) after this many bytes
  std::optional<rlim_t> open_file_limit;     ///< as `ulimit -n`
  std::string locale = "C";                  ///< LC_ALL for the run
  std::string cwd;                           ///< working directory, if not inherited
};

struct outcome {
  std::string out;
  std::string err;
  int exit_code = -1;  ///< -1 if killed by a signal
  int signal = 0;      ///< the signal that ended it, or 0
};

/// The binary under test: $LINECOUNT_BINARY (set by ctest).
[[nodiscard]] std::string linecount_binary();

[[nodiscard]] outcome run(const invocation& what);

/// Convenience: run with just arguments.
[[nodiscard]] outcome run(std::vector<std::string> args);

/// The lines of `text` (each without its '\n'), sorted, for completion-order output.
[[nodiscard]] std::vector<std::string> sorted_lines(const std::string& text);

}  // namespace linecount::testing
