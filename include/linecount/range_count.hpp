#pragma once
// Counting a byte range of an open file on a pool thread: pread into a buffer of the
// thread's own, small enough to stay in the core's L2 cache while it is counted, so the
// bytes are copied out of the page cache once and touched only by the core that counts
// them. pread costs the same however the file's pages came into the page cache; mapping
// the file instead costs a page fault per small page, which ranged from 10% faster to
// ten times slower on the virtual machines measured (docs/performance.md). A file that
// shrinks is counted as far as it now goes; a file that grows is read on to its new end.
//
// A large file is split into ranges counted in parallel and joined by the coroutine that
// owns the file. Handing each chunk of a gigabyte to another core to count would move every
// byte between caches and cost a thread hop per chunk; a range costs one hop in all.

#include "linecount/run_on_pool.hpp"

#include <boost/system/error_code.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

namespace linecount {

/// The end of a range that runs to the end of the file, wherever that turns out to be.
inline constexpr std::uint64_t to_end_of_file = std::numeric_limits<std::uint64_t>::max();

/// Bytes [begin, end) of a file.
struct byte_range {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  friend bool operator==(const byte_range&, const byte_range&) = default;
};

/// How bytes [begin, about size_hint) of a file are split to be counted in parallel: up to
/// `max_ranges` ranges of at least 4 MiB (always one), split on multiples of the read size
/// (256 KiB; both in src/tuning.hpp). The last one ends at to_end_of_file: the file is
/// read to wherever it really ends.
[[nodiscard]] std::vector<byte_range> plan_ranges(std::uint64_t begin, std::uint64_t size_hint,
                                                  unsigned max_ranges);

/// What counting a range found.
struct range_tally {
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;  ///< bytes counted: fewer than asked for if the file ended first
  std::byte last{};         ///< the last byte counted, when `bytes` is not 0
};

struct range_options {
  /// Ask the kernel for sequential readahead (POSIX_FADV_SEQUENTIAL doubles it): what a
  /// file on cold storage wants.
  bool sequential = false;
  /// If set, the bytes are added to it as they are counted (a live status line).
  std::atomic<std::uint64_t>* progress = nullptr;
};

/// The blocking part: bytes [begin, end) of `fd`, read with pread. Stops early at end of
/// file. Sets `error` (errno) on a read error.
range_tally count_range_blocking(int fd, std::uint64_t begin, std::uint64_t end,
                                 boost::system::error_code& error,
                                 range_options options = {}) noexcept;

/// Counts [begin, end) of `fd` on `pool`; completes on the handler's executor with
/// (error_code, range_tally). `fd` (and `options.progress`, if set) must stay valid until
/// then.
template <typename CompletionToken>
auto async_count_range(read_pool& pool, int fd,
                       std::uint64_t begin, std::uint64_t end, CompletionToken&& token,
                       range_options options = {}) {
  return async_run_on_pool(
      pool,
      [fd, begin, end, options] {
        boost::system::error_code error;
        const range_tally tally = count_range_blocking(fd, begin, end, error, options);
        return std::tuple{error, tally};
      },
      std::forward<CompletionToken>(token));
}

}  // namespace linecount
