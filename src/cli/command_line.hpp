#pragma once
// The command line of linecount: options, operands, --help and --version.

#include "cli/name_filters.hpp"
#include "report/total_mode.hpp"
#include "tuning.hpp"

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace linecount::app {

inline constexpr unsigned default_jobs = tuning::default_jobs;  ///< files in flight at once
/// Read threads at the start: one per core this process may run on (at least 2). Reads
/// that wait for storage, or a pool stuck behind blocked reads, add threads up to
/// max_default_threads() (fewer if --jobs is lower) unless --threads fixes the number.
[[nodiscard]] unsigned default_threads() noexcept;
/// 16 (tuning.hpp), or twice default_threads() on a machine with more than 8 cores.
[[nodiscard]] unsigned max_default_threads() noexcept;
inline constexpr unsigned max_jobs = 1U << 20;
inline constexpr unsigned max_threads = 256;

struct options {
  std::vector<std::string> files;           ///< operands, in order ("-" is standard input)
  std::optional<std::string> files0_from;   ///< --files0-from=F
  total_mode total = total_mode::automatic;
  unsigned jobs = default_jobs;
  std::optional<unsigned> threads;          ///< --threads=N: a fixed pool of N threads
  bool keep_order = false;                  ///< -k: records in operand order
  bool json = false;                        ///< --json: JSON Lines records
  bool null_terminated = false;             ///< -0: records end with NUL, names unquoted
  bool recursive = false;                   ///< -r: walk directory operands
  bool decompress = false;                  ///< -z: count compressed files' contents
  name_filters filters;                     ///< --include, --exclude, --exclude-dir
  bool progress = false;                    ///< --progress: status line on a terminal
  bool count_unterminated = false;          ///< count a last line without a newline
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
