#include "linecount/count.hpp"

#include <algorithm>

namespace linecount {

std::uint64_t count_newlines(std::span<const std::byte> bytes) noexcept {
  // A plain loop the compiler vectorises; explicit SIMD kernels are a later step.
  return static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), std::byte{'\n'}));
}

}  // namespace linecount
