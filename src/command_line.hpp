#pragma once
// The command line of linecount: options, operands, --help and --version.

#include "linecount/total_mode.hpp"

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace linecount::app {

inline constexpr unsigned default_jobs = 64;    ///< files open and in flight at once
inline constexpr unsigned default_threads = 4;  ///< threads doing blocking reads
inline constexpr unsigned max_jobs = 1U << 20;
inline constexpr unsigned max_threads = 256;

struct options {
  std::vector<std::string> files;           ///< operands, in order ("-" is standard input)
  std::optional<std::string> files0_from;   ///< --files0-from=F
  total_mode total = total_mode::automatic;
  unsigned jobs = default_jobs;
  unsigned threads = default_threads;
};

/// What to do instead of counting: print `out`/`err` and exit with `status`.
struct early_exit {
  int status = 0;
  std::string out;
  std::string err;
};

/// Parses the arguments after argv[0].
[[nodiscard]] std::variant<options, early_exit> parse_command_line(
    std::span<const std::string> args);

}  // namespace linecount::app
