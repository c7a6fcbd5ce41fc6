#pragma once
// --total=WHEN, with the semantics and argument matching of GNU wc.

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

namespace linecount {

enum class total_mode { automatic, always, only, never };

struct total_mode_name {
  std::string_view name;
  total_mode mode;
};

/// The accepted values, in the order --help and error messages list them.
inline constexpr std::array<total_mode_name, 4> total_mode_names{{
    {"auto", total_mode::automatic},
    {"always", total_mode::always},
    {"only", total_mode::only},
    {"never", total_mode::never},
}};

enum class argument_error { invalid, ambiguous };

/// Matches `text` like GNU argmatch: an exact name, or an unambiguous prefix of one.
[[nodiscard]] std::variant<total_mode, argument_error> parse_total_mode(std::string_view text);

/// Whether the total line is printed after `operands` operands (counted, failed or invalid).
[[nodiscard]] bool prints_total(total_mode mode, std::uint64_t operands) noexcept;

/// Whether a count line is printed for each file (all modes but `only`).
[[nodiscard]] bool prints_file_counts(total_mode mode) noexcept;

}  // namespace linecount
