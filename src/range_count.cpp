#include "linecount/range_count.hpp"

#include "linecount/count.hpp"
#include "mapped_window.hpp"

#include <algorithm>
#include <cerrno>
#include <memory>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace linecount {
namespace {

constexpr std::size_t range_buffer_size = std::size_t{256} * 1024;

}  // namespace

std::vector<byte_range> plan_ranges(std::uint64_t begin, std::uint64_t size_hint,
                                    unsigned max_ranges) {
  const std::uint64_t span = size_hint > begin ? size_hint - begin : 0;
  const std::uint64_t ranges =
      std::clamp<std::uint64_t>(span / min_range_size, 1, std::max(max_ranges, 1U));
  const auto boundary = [&](std::uint64_t nth) {
    return nth == 0 ? begin : (begin + span * nth / ranges) / map_window_size * map_window_size;
  };
  std::vector<byte_range> plan;
  plan.reserve(ranges);
  for (std::uint64_t range = 0; range < ranges; ++range)
    plan.push_back({boundary(range), range + 1 == ranges ? to_end_of_file : boundary(range + 1)});
  return plan;
}

range_tally count_range_blocking(int fd, std::uint64_t begin, std::uint64_t end,
                                 boost::system::error_code& error,
                                 range_options options) noexcept {
  const auto report = [progress = options.progress](std::uint64_t bytes) {
    if (progress != nullptr) progress->fetch_add(bytes, std::memory_order_relaxed);
  };
  // One buffer per pool thread, reused for every range it counts.
  thread_local const std::unique_ptr<std::byte[]> buffer =
      std::make_unique_for_overwrite<std::byte[]>(range_buffer_size);
  range_tally tally;
  std::uint64_t at = begin;
  // What the file holds now is counted in place, through maps: no copy out of the page
  // cache. If it cannot be mapped, or shrinks under the map, pread takes over from there.
  struct stat status {};
  if (!options.map) {
    (void)::posix_fadvise(fd, static_cast<off_t>(begin), 0, POSIX_FADV_SEQUENTIAL);
  } else if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) {
    const std::uint64_t mapped_end = std::min(end, static_cast<std::uint64_t>(status.st_size));
    while (at < mapped_end) {
      // Windows end on multiples of their size in the file: an aligned window of a cached
      // file is mapped in huge pages where the page cache holds them (a tenth as many page
      // faults), so only the first window of a range may be short.
      const std::uint64_t window_end = (at / map_window_size + 1) * map_window_size;
      const auto length = static_cast<std::size_t>(std::min(window_end, mapped_end) - at);
      const auto counted = detail::count_mapped_window(fd, at, length);
      if (!counted) break;
      tally.lines += counted->lines;
      tally.last = counted->last;
      at += length;
      report(length);
    }
    // Cut inside the last page while it was mapped, the file reads as zeros there rather
    // than raising SIGBUS: if it shrank meanwhile, count the range again with pread.
    if (at > begin && ::fstat(fd, &status) == 0 && static_cast<std::uint64_t>(status.st_size) < at) {
      tally = {};
      if (options.progress != nullptr)  // taken back: counted again below
        options.progress->fetch_sub(at - begin, std::memory_order_relaxed);
      at = begin;
    }
  }
  // The rest, and whatever the file has grown by since: read.
  while (at < end) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(range_buffer_size, end - at));
    const ssize_t got = ::pread(fd, buffer.get(), want, static_cast<off_t>(at));
    if (got < 0) {
      if (errno == EINTR) continue;
      error.assign(errno, boost::system::system_category());
      return {};
    }
    if (got == 0) break;  // the file ended (or shrank) before `end`
    tally.lines += count_newlines({buffer.get(), static_cast<std::size_t>(got)});
    tally.last = buffer[static_cast<std::size_t>(got) - 1];
    at += static_cast<std::uint64_t>(got);
    report(static_cast<std::uint64_t>(got));
  }
  tally.bytes = at - begin;
  return tally;
}

}  // namespace linecount
