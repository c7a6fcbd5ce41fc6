#pragma once
// Counting newline bytes: the one operation every path of linecount ends in.

#include <cstddef>
#include <cstdint>
#include <span>

namespace linecount {

/// Number of '\n' bytes in `bytes`. Binary-safe: CR, NUL and bytes >= 0x80 are
/// ordinary data, exactly as `wc -l` counts.
[[nodiscard]] std::uint64_t count_newlines(std::span<const std::byte> bytes) noexcept;

}  // namespace linecount
