// libFuzzer target: any argument vector given to parse_command_line. It must never crash;
// a rejection is exactly one message ("linecount: ..." on the first line and on no other,
// ending in a newline), nothing on standard output, and exit status 1; --help and
// --version print to standard output only; anything accepted is within the documented
// bounds. The input is the arguments, each ended by NUL; its first byte picks the locale.

#include "cli/command_line.hpp"

#include <clocale>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

[[noreturn]] void fail() { std::abort(); }

void check_rejection(const linecount::app::early_exit& exit) {
  if (!exit.out.empty()) fail();
  const std::string_view err = exit.err;
  if (!err.starts_with("linecount: ") || !err.ends_with("\n")) fail();
  // One message: no later line may pass itself off as a message of its own.
  if (err.find("\nlinecount: ") != std::string_view::npos) fail();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::setlocale(LC_ALL, data[0] % 2 == 0 ? "C" : "C.UTF-8");
  std::vector<std::string> args;
  std::string current;
  for (std::size_t at = 1; at < size; ++at) {
    if (data[at] == 0) {
      args.push_back(std::move(current));
      current.clear();
    } else {
      current += static_cast<char>(data[at]);
    }
  }
  if (!current.empty()) args.push_back(std::move(current));

  const auto parsed = linecount::app::parse_command_line(args);
  if (const auto* exit = std::get_if<linecount::app::early_exit>(&parsed)) {
    if (exit->status == 1) {
      check_rejection(*exit);
    } else if (exit->status != 0 || exit->out.empty() || !exit->err.empty()) {
      fail();  // --help or --version: standard output only
    }
    return 0;
  }
  const auto& opts = std::get<linecount::app::options>(parsed);
  if (opts.jobs < 1 || opts.jobs > linecount::app::max_jobs) fail();
  if (opts.threads && (*opts.threads < 1 || *opts.threads > linecount::app::max_threads)) fail();
  if (opts.files0_from && !opts.files.empty()) fail();
  return 0;
}
