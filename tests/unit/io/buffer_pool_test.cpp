// buffer_pool: buffers carved out of blocks, page-aligned, apart, reused, within the limit.

#include "io/buffer_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <span>
#include <vector>

namespace {

using linecount::app::buffer_block;
using linecount::app::buffer_pool;

bool overlap(std::span<std::byte> a, std::span<std::byte> b) {
  return a.data() < b.data() + b.size() && b.data() < a.data() + a.size();
}

TEST(BufferPool, BuffersOfManyBlocksArePageAlignedApartAndWritable) {
  // 16 KiB buffers: more than the first block and two huge-page blocks hold.
  constexpr std::size_t size = 16 * 1024;
  constexpr std::size_t count = 2 * buffer_block::alignment / size + 40;
  buffer_pool pool{size};
  std::vector<std::span<std::byte>> taken;
  for (std::size_t i = 0; i < count; ++i) {
    taken.push_back(pool.try_acquire());
    ASSERT_EQ(taken.back().size(), size);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(taken.back().data()) % 4096, 0U) << i;
    std::memset(taken.back().data(), static_cast<int>(i & 0xffU), size);
  }
  std::vector<std::span<std::byte>> sorted = taken;
  std::sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return a.data() < b.data(); });
  for (std::size_t i = 1; i < sorted.size(); ++i) EXPECT_FALSE(overlap(sorted[i - 1], sorted[i]));
  // Each still holds what was written to it: no other buffer wrote over it.
  for (std::size_t i = 0; i < count; ++i) {
    const auto expected = static_cast<std::byte>(i & 0xffU);
    const auto kept = [expected](std::byte b) { return b == expected; };
    EXPECT_TRUE(std::all_of(taken[i].begin(), taken[i].end(), kept)) << i;
  }
  for (auto buffer : taken) pool.release(buffer);
}

TEST(BufferPool, AReleasedBufferIsTheNextOneOut) {
  buffer_pool pool{128 * 1024};
  const auto first = pool.try_acquire();
  const auto second = pool.try_acquire();
  pool.release(first);
  EXPECT_EQ(pool.try_acquire().data(), first.data());  // the buffer whose pages are touched
  pool.release(first);
  pool.release(second);
}

TEST(BufferPool, NoMoreThanTheLimitAtOnce) {
  buffer_pool pool{128 * 1024, 3};
  std::set<std::byte*> out;
  for (int i = 0; i < 3; ++i) out.insert(pool.try_acquire().data());
  EXPECT_EQ(out.size(), 3U);
  EXPECT_TRUE(pool.try_acquire().empty());
  pool.release({*out.begin(), 128 * 1024});
  EXPECT_EQ(pool.try_acquire().data(), *out.begin());
  EXPECT_TRUE(pool.try_acquire().empty());
  for (auto* buffer : out) pool.release({buffer, 128 * 1024});
}

TEST(BufferBlock, AHugeBlockIsAlignedToTheHugePageSize) {
  const buffer_block block{3 * 1024 * 1024, true};
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block.data()) % buffer_block::alignment, 0U);
  EXPECT_EQ(block.size(), 2 * buffer_block::alignment);
  std::memset(block.data(), 1, block.size());
  const buffer_block small{5000, false};
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(small.data()) % 4096, 0U);
  EXPECT_EQ(small.size(), 8192U);
  std::memset(small.data(), 1, small.size());
}

// Under AddressSanitizer a buffer no one holds, and the page after each buffer, are
// poisoned. Built only there (a skip elsewhere would be a skip without a reason that CI
// accepts); GCC 12 has no __has_feature, hence the nesting.
#if defined(__SANITIZE_ADDRESS__)
#define LINECOUNT_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LINECOUNT_TEST_UNDER_ASAN 1
#endif
#endif

#ifdef LINECOUNT_TEST_UNDER_ASAN
void touch(std::byte* at) {
  volatile std::byte* where = at;
  *where = std::byte{1};
}

TEST(BufferPoolDeathTest, UnderAddressSanitizerAReleasedBufferOrOnePastABufferIsCaught) {
  static_assert(linecount::app::under_address_sanitizer);
  EXPECT_DEATH(
      {
        buffer_pool pool{16 * 1024};
        const auto buffer = pool.try_acquire();
        pool.release(buffer);
        touch(buffer.data());
      },
      "use-after-poison");
  EXPECT_DEATH(
      {
        buffer_pool pool{16 * 1024};
        const auto buffer = pool.try_acquire();
        const auto next = pool.try_acquire();
        touch(buffer.data() + buffer.size());
        pool.release(next);
      },
      "use-after-poison");
}

#endif

}  // namespace
