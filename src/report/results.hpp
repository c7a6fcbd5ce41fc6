#pragma once
// What happened to each operand, and how it is printed: text records as wc prints them
// (newline- or NUL-terminated) or JSON Lines; in the order files finish, or in operand order
// with --keep-order (a result then waits only for those before it); the total at the end.

#include "report/file_result.hpp"
#include "report/output.hpp"
#include "report/result_sink.hpp"
#include "report/total_mode.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace linecount::app {

enum class record_format { text, json };

struct output_style {
  record_format format = record_format::text;
  char terminator = '\n';  ///< '\0' with --null
  total_mode total = total_mode::automatic;
  bool keep_order = false;
  /// Standard output is a terminal: a name with control characters is shell-escaped.
  bool terminal = false;
};

class result_printer final : public result_sink {
 public:
  result_printer(record_writer& out, output_style style);

  /// Takes the result of one operand. Returns how many results were printed by it: 1, or
  /// with --keep-order 0 (it waits for an earlier one) or several (the earlier ones waited
  /// for it). A failure's message goes to standard error when its record would be printed.
  /// A result printed at once is left as it was (its name's memory may be reused); one that
  /// waits is moved from.
  std::size_t take(file_result& result) override;
  std::size_t take(file_result&& result) { return take(result); }

  /// After the last operand: prints the total if it is due.
  void finish();

  [[nodiscard]] std::uint64_t failures() const noexcept { return errors_; }

 private:
  void print(const file_result& result);
  void print_text(const file_result& result);
  void print_json(const file_result& result);

  record_writer& out_;
  output_style style_;
  std::map<std::uint64_t, file_result> waiting_;  // --keep-order: finished, not yet due
  std::uint64_t next_index_ = 0;
  std::uint64_t operands_ = 0;
  std::uint64_t counted_ = 0;
  std::uint64_t errors_ = 0;
  std::uint64_t lines_ = 0;
  std::string record_;
};

}  // namespace linecount::app
