#include "linecount/range_count.hpp"
#include "tuning.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

// A temporary file with random bytes; removed on destruction.
class random_file {
 public:
  explicit random_file(std::size_t size) {
    char pattern[] = "/tmp/linecount-range-XXXXXX";
    fd_ = ::mkstemp(pattern);
    path_ = pattern;
    std::mt19937 random{static_cast<std::uint32_t>(size)};
    content_.resize(size);
    for (auto& c : content_) c = random() % 9 == 0 ? '\n' : static_cast<char>(random());
    EXPECT_EQ(::write(fd_, content_.data(), size), static_cast<ssize_t>(size));
  }
  ~random_file() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  random_file(const random_file&) = delete;
  random_file& operator=(const random_file&) = delete;

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::byte at(std::size_t i) const { return static_cast<std::byte>(content_[i]); }
  [[nodiscard]] std::uint64_t lines(std::size_t begin, std::size_t end) const {
    end = std::min(end, content_.size());
    std::uint64_t n = 0;
    for (std::size_t i = begin; i < end; ++i) n += content_[i] == '\n';
    return n;
  }

 private:
  int fd_ = -1;
  std::string path_;
  std::string content_;
};

TEST(RangeCount, RangesAddUpToTheWholeFileAtEveryBoundary) {
  const std::size_t size = (std::size_t{1} << 20) + 12345;  // several 256 KiB reads
  random_file file{size};
  const std::uint64_t whole = file.lines(0, size);
  for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{4095},
                                std::size_t{262144}, std::size_t{262145}, size / 3, size - 1, size}) {
    boost::system::error_code error;
    const auto first = linecount::count_range_blocking(file.fd(), 0, cut, error).lines;
    const auto second =
        linecount::count_range_blocking(file.fd(), cut, linecount::to_end_of_file, error).lines;
    EXPECT_FALSE(error);
    EXPECT_EQ(first, file.lines(0, cut)) << "cut " << cut;
    EXPECT_EQ(first + second, whole) << "cut " << cut;
  }
}

TEST(RangePlan, OneRangePerMinimumSizeUpToTheLimitOnReadBoundaries) {
  using linecount::byte_range;
  using linecount::plan_ranges;
  using linecount::to_end_of_file;
  constexpr std::uint64_t mib = std::uint64_t{1} << 20;
  constexpr std::uint64_t read = linecount::tuning::range_read_size;
  static_assert(linecount::tuning::min_range_size == 4 * mib);
  // Too small for two: one range, from where it starts to wherever the file ends.
  EXPECT_EQ(plan_ranges(100, 8 * mib + 99, 8), (std::vector<byte_range>{{100, to_end_of_file}}));
  EXPECT_EQ(plan_ranges(100, 50, 8), (std::vector<byte_range>{{100, to_end_of_file}}));
  // Three ranges' worth and more: three ranges with three threads, split on read boundaries.
  EXPECT_EQ(plan_ranges(100, 12 * mib + 100, 3),
            (std::vector<byte_range>{{100, 4 * mib}, {4 * mib, 8 * mib}, {8 * mib, to_end_of_file}}));
  EXPECT_EQ(plan_ranges(16384, 12 * mib + read + 16384, 3)[1].begin, 4 * mib)
      << "a boundary is rounded down to a whole read";
  // Never more than asked for, and at least one even if asked for none.
  EXPECT_EQ(plan_ranges(0, 256 * mib, 2),
            (std::vector<byte_range>{{0, 128 * mib}, {128 * mib, to_end_of_file}}));
  EXPECT_EQ(plan_ranges(0, 256 * mib, 0).size(), 1U);
}

TEST(RangeCount, StopsAtTheEndOfAShorterFile) {
  random_file file{1000};
  boost::system::error_code error;
  EXPECT_EQ(linecount::count_range_blocking(file.fd(), 500, 100000, error).lines, file.lines(500, 1000));
  EXPECT_EQ(linecount::count_range_blocking(file.fd(), 5000, 6000, error).lines, 0U);
  EXPECT_FALSE(error);
}

TEST(RangeCount, TallyGivesTheBytesCountedAndTheLastOne) {
  for (const std::size_t size : {std::size_t{1000}, std::size_t{5} << 20}) {
    random_file file{size};
    for (const std::size_t end : {std::size_t{11}, size / 2, size, size + 1000}) {
      boost::system::error_code error;
      const auto tally = linecount::count_range_blocking(file.fd(), 10, end, error);
      const std::size_t stop = std::min(end, size);
      EXPECT_EQ(tally.bytes, stop - 10) << size << " " << end;
      EXPECT_EQ(tally.last, file.at(stop - 1)) << size << " " << end;
      EXPECT_EQ(tally.lines, file.lines(10, stop)) << size << " " << end;
    }
    boost::system::error_code error;
    EXPECT_EQ(linecount::count_range_blocking(file.fd(), size, linecount::to_end_of_file, error).bytes, 0U);
  }
}

TEST(RangeCount, ReadErrorIsReported) {
  boost::system::error_code error;
  EXPECT_EQ(linecount::count_range_blocking(-1, 0, 100, error).lines, 0U);
  EXPECT_EQ(error.value(), EBADF);
}

boost::asio::awaitable<std::uint64_t> count_rest(linecount::read_pool& pool, int fd,
                                                 std::thread::id caller) {
  auto result = co_await linecount::async_count_range(
      pool, fd, 1000, linecount::to_end_of_file,
      boost::asio::as_tuple(boost::asio::use_awaitable));
  const auto [error, tally] = result;
  EXPECT_EQ(std::this_thread::get_id(), caller);
  EXPECT_FALSE(error);
  co_return tally.lines;
}

TEST(RangeCount, AsyncRangesCompleteOnTheCallersExecutor) {
  random_file file{3 << 20};
  boost::asio::io_context io;
  linecount::read_pool pool{io, 2};
  auto future = boost::asio::co_spawn(io, count_rest(pool, file.fd(), std::this_thread::get_id()),
                                      boost::asio::use_future);
  io.run();
  EXPECT_EQ(future.get(), file.lines(1000, 3 << 20));
}

constexpr std::size_t mib = std::size_t{1} << 20;

TEST(RangeCount, UnalignedStartsAndEndsAddUpExactly) {
  const std::size_t size = 9 * mib + 4097;  // reads of 256 KiB, the last one short
  constexpr std::size_t read = linecount::tuning::range_read_size;
  random_file file{size};
  for (const std::size_t cut : {std::size_t{1}, std::size_t{4095}, std::size_t{4096},
                                std::size_t{4097}, read - 1, read, read + 1, 4 * mib - 1,
                                4 * mib, 4 * mib + 1, 8 * mib + 3, size - 1}) {
    boost::system::error_code error;
    const auto head = linecount::count_range_blocking(file.fd(), 0, cut, error).lines;
    const auto middle = linecount::count_range_blocking(file.fd(), cut, cut + 3 * mib, error).lines;
    const auto tail = linecount::count_range_blocking(file.fd(), cut + 3 * mib,
                                                      linecount::to_end_of_file, error).lines;
    EXPECT_FALSE(error);
    EXPECT_EQ(head, file.lines(0, cut)) << "cut " << cut;
    EXPECT_EQ(middle, file.lines(cut, cut + 3 * mib)) << "cut " << cut;
    EXPECT_EQ(head + middle + tail, file.lines(0, size)) << "cut " << cut;
  }
}

TEST(RangeCount, APipeIsAnErrorNotAHang) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  boost::system::error_code error;
  EXPECT_EQ(linecount::count_range_blocking(fds[0], 0, 4096, error).lines, 0U);
  EXPECT_EQ(error.value(), ESPIPE);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(RangeCount, AFileTruncatedWhileItIsCountedIsCountedAsItNowIs) {
  const std::size_t size = 48 * mib;
  random_file file{size};
  std::atomic<bool> truncated{false};
  std::thread cutter{[&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ASSERT_EQ(::truncate(file.path().c_str(), static_cast<off_t>(mib)), 0);
    truncated = true;
  }};
  // Counting races the truncation: each count is that of some prefix that still holds the
  // first MiB (never cut), and never more than the whole.
  while (!truncated) {
    boost::system::error_code error;
    const auto lines =
        linecount::count_range_blocking(file.fd(), 0, linecount::to_end_of_file, error).lines;
    EXPECT_GE(lines, file.lines(0, mib));
    EXPECT_LE(lines, file.lines(0, size));
    EXPECT_FALSE(error);
  }
  cutter.join();
  boost::system::error_code error;
  EXPECT_EQ(linecount::count_range_blocking(file.fd(), 0, linecount::to_end_of_file, error).lines,
            file.lines(0, mib));
}

TEST(RangeCount, SequentialRangesAndProgressCountTheSame) {
  const std::size_t size = 5 * mib + 77;
  random_file file{size};
  for (const bool sequential : {true, false}) {
    std::atomic<std::uint64_t> progress{0};
    boost::system::error_code error;
    const auto tally = linecount::count_range_blocking(
        file.fd(), 100, linecount::to_end_of_file, error, {sequential, &progress});
    EXPECT_FALSE(error);
    EXPECT_EQ(tally.lines, file.lines(100, size)) << "sequential " << sequential;
    EXPECT_EQ(tally.bytes, size - 100) << "sequential " << sequential;
    EXPECT_EQ(tally.last, file.at(size - 1)) << "sequential " << sequential;
    EXPECT_EQ(progress.load(), size - 100) << "sequential " << sequential;
  }
}

}  // namespace
