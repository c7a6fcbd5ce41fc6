// Portable kernel: eight bytes at a time in a 64-bit word (SWAR).

#include "count/kernels/kernels.hpp"

#include <bit>
#include <cstring>

namespace linecount::kernels {

std::uint64_t count_scalar(const std::byte* data, std::size_t size) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
  constexpr std::uint64_t low_seven = 0x7f7f7f7f7f7f7f7fULL;
  constexpr std::uint64_t newlines = ones * '\n';
  std::uint64_t total = 0;
  std::size_t at = 0;
  for (; at + 8 <= size; at += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, data + at, 8);
    const std::uint64_t x = word ^ newlines;  // a zero byte where there was '\n'
    // Exact zero-byte test: high bit set only for bytes that were zero.
    const std::uint64_t zero = ~(((x & low_seven) + low_seven) | x | low_seven);
    total += static_cast<std::uint64_t>(std::popcount(zero & high_bits));
  }
  for (; at < size; ++at) total += data[at] == std::byte{'\n'};
  return total;
}

}  // namespace linecount::kernels
