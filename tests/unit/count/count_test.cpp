#include "linecount/count.hpp"
#include "support/skip.hpp"

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

// Every kernel this CPU supports, against the byte-by-byte reference.
class Kernel : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (const auto& kernel : linecount::newline_kernels())
      if (kernel.name == GetParam()) kernel_ = &kernel;
    ASSERT_NE(kernel_, nullptr);
    if (!kernel_->supported())
      LINECOUNT_SKIP("cpu-lacks:" + GetParam(), GetParam() + " is not supported by this CPU");
  }
  std::uint64_t count(const std::vector<std::byte>& bytes, std::size_t offset,
                      std::size_t length) const {
    return kernel_->count(bytes.data() + offset, length);
  }
  const linecount::newline_kernel* kernel_ = nullptr;
};

TEST_P(Kernel, EveryLengthAtEveryMisalignment) {
  // 64-byte aligned storage, so offset k really is misalignment k.
  const auto source = random_bytes(1100 + 64, 7, 20);
  alignas(64) static std::byte aligned[1100 + 128];
  std::copy(source.begin(), source.end(), aligned);
  const std::vector<std::byte> bytes(aligned, aligned + source.size());
  for (std::size_t offset = 0; offset < 64; ++offset)
    for (std::size_t length = 0; length <= 1100; ++length)
      ASSERT_EQ(kernel_->count(aligned + offset, length), reference_count(bytes, offset, length))
          << GetParam() << " offset " << offset << " length " << length;
}

TEST_P(Kernel, RandomDataWithFixedSeeds) {
  for (const std::uint32_t seed : {1U, 2U, 3U, 42U}) {
    for (const int density : {0, 2, 30, 100}) {
      const auto bytes = random_bytes(300'000 + seed, seed, density);
      ASSERT_EQ(count(bytes, 0, bytes.size()), reference_count(bytes, 0, bytes.size()))
          << GetParam() << " seed " << seed << " density " << density;
    }
  }
}

TEST_P(Kernel, CountersNeverOverflow) {
  // All newlines, long enough for every per-byte counter to be flushed many times.
  const std::vector<std::byte> newlines(1'000'003, std::byte{'\n'});
  EXPECT_EQ(count(newlines, 0, newlines.size()), newlines.size());
  EXPECT_EQ(count(newlines, 1, newlines.size() - 1), newlines.size() - 1);
}

std::vector<std::string> kernel_names() {
  std::vector<std::string> names;
  for (const auto& kernel : linecount::newline_kernels()) names.emplace_back(kernel.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(All, Kernel, ::testing::ValuesIn(kernel_names()),
                         [](const auto& param_info) { return param_info.param; });

TEST(KernelChoice, ScalarIsAlwaysThereAndLast) {
  const auto kernels = linecount::newline_kernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.back().name, "scalar");
  EXPECT_TRUE(kernels.back().supported());
}

TEST(KernelChoice, ActiveKernelIsSupported) {
  EXPECT_TRUE(linecount::active_newline_kernel().supported());
}

}  // namespace
