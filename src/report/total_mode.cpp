#include "report/total_mode.hpp"

#include <optional>

namespace linecount {

// GNU's argmatch: an exact name, or an unambiguous prefix of one ("al" for "always"); a
// prefix shared by names of the same mode is not ambiguous.
std::variant<total_mode, argument_error> parse_total_mode(std::string_view text) {
  std::optional<total_mode> prefix_match;
  bool ambiguous = false;
  for (const auto& [name, mode] : total_mode_names) {
    if (name == text) return mode;
    if (name.starts_with(text)) {  // as in argmatch, "" is a prefix of every name
      if (prefix_match && *prefix_match != mode) ambiguous = true;
      prefix_match = mode;
    }
  }
  if (ambiguous) return argument_error::ambiguous;
  if (prefix_match) return *prefix_match;
  return argument_error::invalid;
}

// wc's rule: by default a total only when more than one operand was given.
bool prints_total(total_mode mode, std::uint64_t operands) noexcept {
  switch (mode) {
    case total_mode::automatic: return operands > 1;
    case total_mode::always:
    case total_mode::only: return true;
    case total_mode::never: return false;
  }
  return false;
}

bool prints_file_counts(total_mode mode) noexcept { return mode != total_mode::only; }

}  // namespace linecount
