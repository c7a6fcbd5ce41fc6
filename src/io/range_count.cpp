#include "linecount/range_count.hpp"

#include "linecount/count.hpp"
#include "io/page_buffer.hpp"
#include "io/retry_on_eintr.hpp"
#include "tuning.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace linecount {

using tuning::min_range_size;
using tuning::range_read_size;

// As many ranges as the span has min_range_size in it, at most max_ranges, split evenly and
// rounded down to whole reads.
std::vector<byte_range> plan_ranges(std::uint64_t begin, std::uint64_t size_hint,
                                    unsigned max_ranges) {
  const std::uint64_t span = size_hint > begin ? size_hint - begin : 0;
  const std::uint64_t ranges =
      std::clamp<std::uint64_t>(span / min_range_size, 1, std::max(max_ranges, 1U));
  const auto boundary = [&](std::uint64_t nth) {
    return nth == 0 ? begin : (begin + span * nth / ranges) / range_read_size * range_read_size;
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
  // One buffer per pool thread, reused for every range it counts.
  thread_local const page_buffer buffer = make_page_buffer(range_read_size);
  if (options.sequential)
    (void)::posix_fadvise(fd, static_cast<off_t>(begin), 0, POSIX_FADV_SEQUENTIAL);
  // The bytes go from the page cache into this core's buffer and are counted while they are
  // still in its L2 cache.
  range_tally tally;
  std::uint64_t at = begin;
  while (at < end) {  // to wherever the file ends now, if that is sooner (or later)
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(range_read_size, end - at));
    const ssize_t got =
        retry_on_eintr([&] { return ::pread(fd, buffer.get(), want, static_cast<off_t>(at)); });
    if (got < 0) {
      error.assign(errno, boost::system::system_category());
      return {};
    }
    if (got == 0) break;
    const auto size = static_cast<std::size_t>(got);
    tally.lines += count_newlines({buffer.get(), size});
    tally.last = buffer[size - 1];
    at += size;
    if (options.progress != nullptr) options.progress->fetch_add(size, std::memory_order_relaxed);
  }
  tally.bytes = at - begin;
  return tally;
}

}  // namespace linecount
