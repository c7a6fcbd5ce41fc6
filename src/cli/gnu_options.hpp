#pragma once
// GNU getopt_long conventions on top of CLI11: unambiguous abbreviations of long options,
// getopt's messages for unknown, ambiguous or malformed options, and options mixed freely
// with operands. The result is a canonical argument list that CLI11 parses without surprises:
// every option spelled out in full (a value as the next argument), then "--", then the
// operands.

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace linecount::app {

struct option_spec {
  std::string_view long_name;  ///< without the leading "--"
  char short_name = '\0';      ///< '\0' when there is none
  bool takes_value = false;
};

/// A getopt-style complaint, without the program name ("unrecognized option '--x'").
struct option_error {
  std::string message;
};

[[nodiscard]] std::variant<std::vector<std::string>, option_error> canonicalize_options(
    std::span<const std::string> args, std::span<const option_spec> specs);

}  // namespace linecount::app
