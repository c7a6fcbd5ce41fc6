#include "report/results.hpp"

#include "report/json.hpp"
#include "report/quote.hpp"

#include <fmt/format.h>

#include <iterator>

namespace linecount::app {

result_printer::result_printer(record_writer& out, output_style style)
    : out_(out), style_(style) {}

// The printer's side of the scheduler's contract (report/result_sink.hpp): the number
// returned frees that many slots.
std::size_t result_printer::take(file_result& result) {
  if (!style_.keep_order) {
    print(result);
    return 1;
  }
  // --keep-order: a result that overtook an earlier operand waits (at most --jobs do, as
  // the scheduler takes no operand while every slot is held).
  if (result.index != next_index_) {
    waiting_.emplace(result.index, std::move(result));
    return 0;
  }
  print(result);
  std::size_t printed = 1;
  ++next_index_;
  // The results that waited for this one, as far as they run on without a gap.
  for (auto due = waiting_.begin(); due != waiting_.end() && due->first == next_index_;
       due = waiting_.erase(due)) {
    print(due->second);
    ++printed;
    ++next_index_;
  }
  return printed;
}

// Counts the result towards the total, reports a failure on standard error, and appends the
// record (if the --total mode prints records of files) to the output's buffer.
void result_printer::print(const file_result& result) {
  ++operands_;
  if (result.lines) {
    ++counted_;
    lines_ += *result.lines;
  } else {
    ++errors_;
    out_.flush();  // the records before it first, where both streams go to one place
    report(result.diagnostic);
  }
  if (!prints_file_counts(style_.total)) return;
  record_.clear();
  if (style_.format == record_format::json) {
    print_json(result);
  } else if (result.lines) {
    print_text(result);
  } else {
    return;  // no record for a file that could not be counted
  }
  record_ += style_.terminator;
  out_.append(record_);
}

// wc's format: "LINES NAME", or "LINES" alone for standard input that was not named.
void result_printer::print_text(const file_result& result) {
  auto to = std::back_inserter(record_);
  if (!result.named) {
    fmt::format_to(to, "{}", *result.lines);
  } else if (style_.terminator == '\0') {
    fmt::format_to(to, "{} {}", *result.lines, result.name);  // NUL-terminated: never quoted
  } else if (style_.terminal) {  // control characters would act on the terminal
    fmt::format_to(to, "{} ", *result.lines);
    append_name_for_terminal(record_, result.name);
  } else {  // a newline in a name would split the record: quoted as GNU wc quotes it
    fmt::format_to(to, "{} ", *result.lines);
    append_name_for_output(record_, result.name);
  }
}

// One JSON Lines record. A name that is not UTF-8 cannot be a JSON string without losing
// bytes: it goes as base64 in "path_bytes" instead, so a script gets the exact name back.
void result_printer::print_json(const file_result& result) {
  const std::string_view name = result.named ? std::string_view{result.name} : "-";
  if (is_valid_utf8(name)) {
    record_ += R"({"path":)";
    append_json_string(record_, name);
  } else {
    record_ += R"({"path_bytes":")";
    record_ += base64(name);
    record_ += '"';
  }
  if (result.lines) {
    fmt::format_to(std::back_inserter(record_), R"(,"lines":{})", *result.lines);
    if (!result.compression.empty())  // a format name: nothing in it needs escaping
      fmt::format_to(std::back_inserter(record_), R"(,"compression":"{}")", result.compression);
    record_ += '}';
  } else {
    record_ += R"(,"error":)";
    append_json_string(record_, result.reason);
    record_ += '}';
  }
}

// The total, if the --total mode and the number of operands call for one (as wc decides).
void result_printer::finish() {
  if (!prints_total(style_.total, operands_)) return;
  record_.clear();
  auto to = std::back_inserter(record_);
  if (style_.format == record_format::json) {
    fmt::format_to(to, R"({{"total":{},"files":{},"errors":{}}})", lines_, counted_, errors_);
  } else if (style_.total == total_mode::only) {
    fmt::format_to(to, "{}", lines_);
  } else {
    fmt::format_to(to, "{} total", lines_);
  }
  record_ += style_.terminator;
  out_.append(record_);
}

}  // namespace linecount::app
