// libFuzzer target: count_newlines against a byte-at-a-time reference, at every start
// offset up to 64 and for every length the input allows.

#include "linecount/count.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span bytes{reinterpret_cast<const std::byte*>(data), size};
  for (std::size_t offset = 0; offset < 64 && offset <= size; ++offset) {
    const auto tail = bytes.subspan(offset);
    std::uint64_t expected = 0;
    for (const std::byte b : tail) expected += b == std::byte{'\n'};
    if (linecount::count_newlines(tail) != expected) std::abort();
  }
  return 0;
}
