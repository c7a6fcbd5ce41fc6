#include "cli/command_line.hpp"

#include "cli/gnu_options.hpp"
#include "linecount/count.hpp"
#include "report/quote.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <sched.h>
#include <thread>

#ifndef LINECOUNT_VERSION
#define LINECOUNT_VERSION "unknown"
#endif

namespace linecount::app {
namespace {

constexpr std::array<option_spec, 17> option_specs{{
    {"lines", 'l', false},
    {"keep-order", 'k', false},
    {"json", '\0', false},
    {"null", '0', false},
    {"recursive", 'r', false},
    {"decompress", 'z', false},
    {"include", '\0', true},
    {"exclude", '\0', true},
    {"exclude-dir", '\0', true},
    {"progress", '\0', false},
    {"count-unterminated", '\0', false},
    {"files0-from", '\0', true},
    {"total", '\0', true},
    {"jobs", 'j', true},
    {"threads", '\0', true},
    {"help", '\0', false},
    {"version", '\0', false},
}};

constexpr std::string_view try_help = "Try 'linecount --help' for more information.\n";

constexpr std::string_view help_text = R"help(Usage: linecount [OPTION]... [FILE]...
  or:  linecount [OPTION]... --files0-from=F
Print the number of newlines in each FILE, and a total line if more than one
FILE is specified. Files are read concurrently and each count is printed as
soon as its file is done, so lines come in the order files finish.

With no FILE, or when FILE is -, read standard input.

  -l, --lines            count newlines (the only count; accepted as in wc)
      --files0-from=F    read input from the files named by NUL-terminated
                           names in file F; if F is -, read the names from
                           standard input; the list is read as it streams in
      --total=WHEN       when to print a line with the total count;
                           WHEN is one of: auto, always, only, never
                           (auto: when more than one FILE; only: the bare
                           total, no line per file)
  -k, --keep-order       print the records in the order of the operands (files
                           are still counted concurrently; a record waits
                           only for the ones before it)
      --json             print JSON Lines: {"path":...,"lines":N} or
                           {"path":...,"error":"..."} per operand, then
                           {"total":N,"files":N,"errors":N}; a name that is
                           not UTF-8 is given as base64 in "path_bytes"
  -0, --null             end each record with NUL, not newline, and never
                           quote names (for xargs -0, sort -z)
  -r, --recursive        count every regular file below directory operands;
                           symbolic links inside are not followed (those
                           given as operands are); other special files inside
                           are skipped; entries are taken in name order
  -z, --decompress       count the lines of the decompressed data of files in
                           gzip, zstd, xz, bzip2 or lz4 format (known by their
                           first bytes, not by their names); other files are
                           counted as they are
      --include=GLOB     count only the files whose base name matches GLOB
                           (a FILE operand: its name or any part after a /)
      --exclude=GLOB     skip the files whose name matches GLOB, as above;
                           of all --include and --exclude, the last one that
                           matches a name decides
      --exclude-dir=GLOB  with -r, skip the directories inside the walk whose
                           base name matches GLOB (never a FILE operand)
      --progress         show a live status line on standard error (files,
                           bytes, rate, time) when it is a terminal
      --count-unterminated  also count a last line that has no newline
                           (wc -l does not)
  -j, --jobs=N           have at most N files open and in flight at once
                           (default 256, lowered to fit the open-file limit)
      --threads=N        use exactly N threads for the blocking reads (default:
                           one per core, more while reads wait for storage or
                           are blocked, up to 16 or twice the cores)
      --help             display this help and exit
      --version          output version information and exit

Output: "COUNT NAME" for each FILE (a bare "COUNT" for implicit standard input),
then "COUNT total". A FILE that cannot be read gets a message on standard error
and no count line (with --json, an "error" object); the total is the sum of the
counts printed.

Examples:
  linecount *.log                          count each log, then the total
  linecount --total=only src/*.cpp         print only the total
  find . -name '*.txt' -print0 | linecount --files0-from=-
  linecount < notes.txt                    a bare count, like wc -l < notes.txt
  linecount -r -k src                      every file below src, in name order
  linecount -r --include='*.[ch]' --exclude-dir=.git .
                                           C sources and headers, not in .git
  linecount --json *.log | jq -r 'select(.lines) | "\(.lines) \(.path)"'
  linecount -0 *.txt | sort -z -n          NUL-terminated records, sorted
  linecount --progress -r /data            watch a long count as it goes
  linecount --count-unterminated notes.txt count a last line without newline

Exit status: 0 if every FILE was counted, 1 if any FILE failed, the arguments
were wrong, or output could not be written.
)help";

constexpr std::string_view version_text =
    "linecount " LINECOUNT_VERSION "\n"
    "License MIT: <https://opensource.org/licenses/MIT>.\n"
    "This is free software: you are free to change and redistribute it.\n";

early_exit usage_error(std::string_view message) {
  return early_exit{1, {}, fmt::format("linecount: {}\n{}", message, try_help)};
}

// Parses a count for --jobs or --threads: a decimal number from 1 to `max`.
std::optional<unsigned> parse_count(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end || value == 0 || value > max) return std::nullopt;
  return value;
}

early_exit count_error(std::string_view what, std::string_view text, unsigned max) {
  return early_exit{
      1, {}, fmt::format("linecount: invalid number of {}: {} (1 to {})\n", what,
                         quote_locale(text), max)};
}

std::string total_mode_error(std::string_view value, argument_error error) {
  std::string message = fmt::format(
      "linecount: {} argument {} for {}\nValid arguments are:\n",
      error == argument_error::ambiguous ? "ambiguous" : "invalid", quote_locale(value),
      quote_locale("--total"));
  for (const auto& entry : total_mode_names)
    message += fmt::format("  - {}\n", quote_locale(entry.name));
  message += try_help;
  return message;
}

// Takes --include, --exclude and --exclude-dir out of the canonical arguments, in their
// order (which decides between --include and --exclude, and which CLI11 would not keep
// across two options); returns the rest, for CLI11.
std::vector<std::string> take_name_filters(std::vector<std::string> canonical,
                                           name_filters& filters) {
  std::vector<std::string> rest;
  rest.reserve(canonical.size());
  std::size_t at = 0;
  // Options come first, each spelled out in full, a value as the next argument; then "--".
  for (; at < canonical.size() && canonical[at] != "--"; ++at) {
    const std::string_view name = std::string_view{canonical[at]}.substr(2);
    const auto* const spec =
        std::find_if(option_specs.begin(), option_specs.end(),
                     [name](const option_spec& s) { return s.long_name == name; });
    if (spec == option_specs.end() || !spec->takes_value) {
      rest.push_back(std::move(canonical[at]));
    } else if (name == "include") {
      filters.include(std::move(canonical[++at]));
    } else if (name == "exclude") {
      filters.exclude(std::move(canonical[++at]));
    } else if (name == "exclude-dir") {
      filters.exclude_directory(std::move(canonical[++at]));
    } else {
      rest.push_back(std::move(canonical[at]));
      rest.push_back(std::move(canonical[++at]));
    }
  }
  const auto operands = canonical.begin() + static_cast<std::ptrdiff_t>(at);  // "--" on
  rest.insert(rest.end(), std::make_move_iterator(operands),
              std::make_move_iterator(canonical.end()));
  return rest;
}

}  // namespace

unsigned default_threads() noexcept {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  const int cpus = ::sched_getaffinity(0, sizeof allowed, &allowed) == 0
                       ? CPU_COUNT(&allowed)
                       : static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(static_cast<unsigned>(cpus), 2U, max_threads / 2);
}

unsigned max_default_threads() noexcept { return std::max(tuning::default_thread_ceiling, 2 * default_threads()); }

std::variant<options, early_exit> parse_command_line(std::span<const std::string> args) {
  auto canonical = canonicalize_options(args, option_specs);
  if (auto* error = std::get_if<option_error>(&canonical)) return usage_error(error->message);

  CLI::App cli{"linecount", "linecount"};
  cli.set_help_flag();  // the GNU-style --help below replaces CLI11's
  cli.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  bool help = false;
  bool version = false;
  bool lines = false;
  std::string total_text = "auto";
  std::string jobs_text;
  std::string threads_text;
  options result;
  std::string files0_from;
  cli.add_flag("--help", help);
  cli.add_flag("--version", version);
  cli.add_flag("--lines", lines);
  cli.add_flag("--keep-order", result.keep_order);
  cli.add_flag("--json", result.json);
  cli.add_flag("--null", result.null_terminated);
  cli.add_flag("--recursive", result.recursive);
  cli.add_flag("--decompress", result.decompress);
  cli.add_flag("--progress", result.progress);
  cli.add_flag("--count-unterminated", result.count_unterminated);
  auto* files0_option = cli.add_option("--files0-from", files0_from);
  cli.add_option("--total", total_text);
  auto* jobs_option = cli.add_option("--jobs", jobs_text);
  auto* threads_option = cli.add_option("--threads", threads_text);
  cli.add_option("files", result.files)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);

  // CLI11 wants argv in reverse order when given a vector.
  std::vector<std::string> reversed = take_name_filters(
      std::get<std::vector<std::string>>(std::move(canonical)), result.filters);
  std::reverse(reversed.begin(), reversed.end());
  try {
    cli.parse(reversed);
  } catch (const CLI::ParseError& error) {
    // CLI11 quotes arguments raw: a newline in one must not start a second message.
    return usage_error(escape_unprintable(error.what()));
  }

  if (help) return early_exit{0, std::string{help_text}, {}};
  if (version)
    return early_exit{0,
                      fmt::format("{}Counting kernel: {}\n", version_text,
                                  active_newline_kernel().name),
                      {}};

  auto total = parse_total_mode(total_text);
  if (auto* error = std::get_if<argument_error>(&total))
    return early_exit{1, {}, total_mode_error(total_text, *error)};
  result.total = std::get<total_mode>(total);

  if (jobs_option->count() > 0) {
    auto jobs = parse_count(jobs_text, max_jobs);
    if (!jobs) return count_error("jobs", jobs_text, max_jobs);
    result.jobs = *jobs;
  }
  if (threads_option->count() > 0) {
    auto threads = parse_count(threads_text, max_threads);
    if (!threads) return count_error("threads", threads_text, max_threads);
    result.threads = *threads;
  }

  if (files0_option->count() > 0) {
    if (!result.files.empty())
      return usage_error(fmt::format(
          "extra operand {}\nfile operands cannot be combined with --files0-from",
          quote_always(result.files.front())));
    result.files0_from = std::move(files0_from);
  }
  return result;
}

}  // namespace linecount::app
