#include "linecount/count.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

std::uint64_t reference_count(const std::vector<std::byte>& bytes, std::size_t offset,
                              std::size_t length) {
  std::uint64_t lines = 0;
  for (std::size_t i = offset; i < offset + length; ++i) lines += bytes[i] == std::byte{'\n'};
  return lines;
}

std::vector<std::byte> random_bytes(std::size_t size, std::uint32_t seed, int newline_percent) {
  std::mt19937 random{seed};
  std::uniform_int_distribution<int> byte_value{0, 255};
  std::uniform_int_distribution<int> percent{0, 99};
  std::vector<std::byte> bytes(size);
  for (auto& b : bytes)
    b = percent(random) < newline_percent ? std::byte{'\n'}
                                          : static_cast<std::byte>(byte_value(random));
  return bytes;
}

TEST(CountNewlines, EmptyInputHasNoLines) {
  EXPECT_EQ(linecount::count_newlines({}), 0U);
}

TEST(CountNewlines, OnlyNewlineBytesCount) {
  // Every byte value once: CR, NUL, 0x0b, 0x85 and the rest are ordinary data.
  std::vector<std::byte> all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::byte>(i);
  EXPECT_EQ(linecount::count_newlines(all), 1U);
}

TEST(CountNewlines, AllNewlines) {
  const std::vector<std::byte> newlines(4099, std::byte{'\n'});
  EXPECT_EQ(linecount::count_newlines(newlines), 4099U);
}

TEST(CountNewlines, MatchesReferenceOverLengthsAndOffsets) {
  const auto bytes = random_bytes(4096 + 128, 20261125, 10);
  for (std::size_t offset = 0; offset < 64; ++offset)
    for (std::size_t length = 0; length <= 1100; ++length)
      ASSERT_EQ(linecount::count_newlines(std::span(bytes).subspan(offset, length)),
                reference_count(bytes, offset, length))
          << "offset " << offset << " length " << length;
}

TEST(CountNewlines, MatchesReferenceOnLargeRandomInputs) {
  for (const int density : {0, 1, 50, 100}) {
    const auto bytes = random_bytes((1U << 20) + 17, static_cast<std::uint32_t>(density), density);
    EXPECT_EQ(linecount::count_newlines(bytes), reference_count(bytes, 0, bytes.size()))
        << "density " << density;
  }
}

}  // namespace
