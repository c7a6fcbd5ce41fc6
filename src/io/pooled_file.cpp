#include "linecount/pooled_file.hpp"

#include "io/open_batch.hpp"
#include "io/retry_on_eintr.hpp"
#include "io/thread_sleeps.hpp"
#include "tuning.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <chrono>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace linecount {
namespace {


}  // namespace

pooled_file::pooled_file(executor_type ex, read_pool& pool, std::string path,
                         read_policy policy)
    : pooled_file(std::move(ex), pool, std::move(path), -1, true, policy) {}

pooled_file::pooled_file(executor_type ex, read_pool& pool, std::string path, int fd,
                         bool owns_fd, read_policy policy)
    : executor_(std::move(ex)),
      pool_(&pool),
      path_(std::move(path)),
      fd_(fd),
      owns_fd_(owns_fd),
      policy_(policy) {}

pooled_file pooled_file::adopt(executor_type ex, read_pool& pool, int fd,
                               read_policy policy) {
  return {std::move(ex), pool, std::string{}, fd, true, policy};
}

pooled_file pooled_file::borrow(executor_type ex, read_pool& pool, int fd,
                                read_policy policy) {
  return {std::move(ex), pool, std::string{}, fd, false, policy};
}

pooled_file::pooled_file(pooled_file&& other) noexcept
    : executor_(std::move(other.executor_)),
      pool_(other.pool_),
      path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      owns_fd_(other.owns_fd_),
      policy_(other.policy_),
      listener_(other.listener_),
      waited_for_storage_(other.waited_for_storage_),
      probe_refused_(other.probe_refused_),
      seekable_(other.seekable_),
      fifo_nonblocking_(other.fifo_nonblocking_),
      batch_offered_(other.batch_offered_),
      done_here_(std::move(other.done_here_)),
      at_end_(other.at_end_),
      size_looked_up_(other.size_looked_up_),
      size_hint_(other.size_hint_),
      position_(other.position_) {}

pooled_file::~pooled_file() { close_now(); }

void pooled_file::close_now() noexcept {
  if (fd_ >= 0 && owns_fd_) close_read_only(fd_);  // perhaps with a pool thread's next batch
  fd_ = -1;
}

// The first read of a file opened by name, on the pool: tries not to wait (see
// read_without_waiting), so that a listener learns whether the data had to come from
// storage; then reads it the ordinary way. Costs nothing extra for cached files.
ssize_t pooled_file::first_read(char* data, std::size_t size, bool& ended) noexcept {
  if (!owns_fd_ || path_.empty() || fifo_nonblocking_) return ::read(fd_, data, size);
  if (!probe_refused_) {
    const ssize_t got = read_without_waiting(data, size, ended);
    if (got >= 0) {
      if (listener_ != nullptr) listener_->warm_read();
      return got;
    }
    // Not seekable (a FIFO, a terminal), or no such probe here (a /proc file): read it as
    // it comes, from where it stands (pread moved nothing).
    if (errno != EAGAIN) return ::read(fd_, data, size);
    probe_refused_ = true;
  }
  // Refused: the data are not in the page cache. The ordinary read waited for storage if it
  // took long *and* the thread went to sleep in it: a thread that was merely preempted (more
  // threads than cores) also takes long, but is switched out involuntarily.
  const auto start = std::chrono::steady_clock::now();
  const long sleeps_before = voluntary_switches();
  const ssize_t waited = ::pread(fd_, data, size, 0);
  waited_for_storage_ = std::chrono::steady_clock::now() - start >= tuning::cold_read_time &&
                        voluntary_switches() != sleeps_before;
  if (listener_ != nullptr) {
    if (waited_for_storage_) {
      listener_->cold_read();
    } else {
      listener_->warm_read();
    }
  }
  // A regular file (the probe took its offset, so it is seekable) reads short only at its end.
  if (waited >= 0) {
    seekable_ = true;
    ended = static_cast<std::size_t>(waited) < size;
  }
  return waited;
}

// NOLINTNEXTLINE(readability-non-const-parameter): preadv2 writes through data's iovec.
ssize_t pooled_file::read_without_waiting(char* data, std::size_t size, bool& ended) noexcept {
  static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const iovec vector{data, size};
  const ssize_t got = ::preadv2(fd_, &vector, 1, 0, RWF_NOWAIT);
  if (got >= 0) {
    seekable_ = true;
    // Short of what was asked: cut by a page outside the cache (at a page boundary, as it
    // read from offset 0), or at the end of the file. A length that is not a whole number
    // of pages can only be the end.
    const auto read = static_cast<std::size_t>(got);
    ended = read == 0 || (read < size && read % page != 0);
  }
  return got;
}

namespace {

// openat2(2), through syscall(2): glibc 2.36 has no wrapper.
int open_from_caches(const char* path) noexcept {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  how.resolve = RESOLVE_CACHED;
  return static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how));
}

// Cleared for good once the kernel (older than 5.12) or a sandbox refuses openat2 with
// RESOLVE_CACHED: every first read then goes to the pool, as it always may.
std::atomic<bool> cached_opens_work{true};

}  // namespace

bool pooled_file::open_failed_for_good(int error) noexcept {
  switch (error) {
    case ENOENT: case ENOTDIR: case EACCES: case ENAMETOOLONG: case ELOOP:
      // What a blocking open would say too: that is the result.
      done_here_.emplace(boost::system::error_code{error, boost::system::system_category()}, 0);
      at_end_ = true;
      return true;
    default:
      return false;
  }
}

bool pooled_file::try_first_read_here(boost::asio::mutable_buffer target) noexcept {
  if (fd_ >= 0 || position_ != 0 || !owns_fd_ || path_.empty() ||
      !cached_opens_work.load(std::memory_order_relaxed) ||
      !pool_->home().running_in_this_thread() || !pool_->home_should_try())
    return false;
  const int fd = open_from_caches(path_.c_str());
  if (fd < 0) {
    const int error = errno;
    if (open_failed_for_good(error)) return true;
    switch (error) {
      case ENOSYS: case EINVAL: case EPERM: case E2BIG:
        cached_opens_work.store(false, std::memory_order_relaxed);
        return false;
      case EAGAIN:  // the name is not in the caches
        pool_->home_would_wait();
        return false;
      default:  // anything unexpected: the pool's ordinary open says what it is
        return false;
    }
  }
  fd_ = fd;
  auto done = read_opened_without_waiting(target);
  if (!done) {
    if (probe_refused_) pool_->home_would_wait();
    return false;
  }
  done_here_ = std::move(done);
  return true;
}

bool pooled_file::may_open_in_batch() const noexcept {
  // A name too long to open is left to the ordinary open, which says so.
  return !batch_offered_ && fd_ < 0 && position_ == 0 && owns_fd_ && !path_.empty() &&
         path_.size() < PATH_MAX && !at_end_ && !done_here_;
}

void pooled_file::opened_in_batch(int result) noexcept {
  batch_offered_ = true;
  if (result >= 0) {
    fd_ = result;
  } else {
    // Not in the caches, or anything unexpected: fill() opens it the ordinary way.
    (void)open_failed_for_good(-result);
  }
}

std::optional<pooled_file::read_result> pooled_file::first_read_in_batch(
    boost::asio::mutable_buffer target) noexcept {
  if (done_here_) {  // the open failed as a blocking one would
    const read_result failed = *done_here_;
    done_here_.reset();
    return failed;
  }
  if (fd_ < 0) return std::nullopt;
  return read_opened_without_waiting(target);
}

std::optional<pooled_file::read_result> pooled_file::read_opened_without_waiting(
    boost::asio::mutable_buffer target) noexcept {
  const int fd = fd_;
  bool ended = false;
  const ssize_t got = read_without_waiting(static_cast<char*>(target.data()), target.size(), ended);
  if (got < 0) {
    // fill() reads it from here, the ordinary way. Cold data: fill() learns whether it
    // waited for storage. Not seekable: a FIFO stays non-blocking (see wait_until_readable),
    // anything else (a terminal, a directory, a /proc file) is read as if opened blocking.
    const int error = errno;
    struct stat status {};
    if (error == EAGAIN) {
      probe_refused_ = true;
    } else if (error == ESPIPE && ::fstat(fd, &status) == 0 && S_ISFIFO(status.st_mode)) {
      fifo_nonblocking_ = true;
    } else {
      (void)::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    }
    return std::nullopt;
  }
  if (listener_ != nullptr) listener_->warm_read();
  const auto filled = static_cast<std::size_t>(got);
  position_ = filled;
  if (ended) {
    at_end_ = true;
    close_now();
  } else if (filled == target.size()) {
    // More to come: its size decides how (chunks or ranges).
    size_looked_up_ = true;
    struct stat status {};
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode))
      size_hint_ = static_cast<std::uint64_t>(status.st_size);
  }
  return read_result{filled == 0 ? boost::system::error_code{boost::asio::error::eof}
                                 : boost::system::error_code{},
                     filled};
}

void pooled_file::wait_until_readable() const noexcept {
  // Readable once there are data, or once a writer has come and gone (end of file): until
  // a writer has come, a FIFO opened non-blocking reads as empty, so read() must not be
  // asked before.
  pollfd readable{fd_, POLLIN, 0};
  retry_on_eintr([&readable] { return ::poll(&readable, 1, -1); });
}

std::size_t pooled_file::fill(boost::asio::mutable_buffer target,
                              boost::system::error_code& error) noexcept {
  if (done_here_) {  // the first read, done on the home thread
    error = std::get<0>(*done_here_);
    const std::size_t filled = std::get<1>(*done_here_);
    done_here_.reset();
    return filled;
  }
  auto fail = [&](int errno_value) {
    error.assign(errno_value, boost::system::system_category());
    at_end_ = true;
    close_now();
    return std::size_t{0};
  };
  if (at_end_) {
    error = boost::asio::error::eof;
    return 0;
  }
  if (fd_ < 0) {
    if (!owns_fd_) return fail(EBADF);
    fd_ = retry_on_eintr(
        [this] { return ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY); });
    if (fd_ < 0) return fail(errno);
  }
  auto* const data = static_cast<char*>(target.data());
  std::size_t filled = 0;
  while (filled < target.size()) {
    if (fifo_nonblocking_) wait_until_readable();
    bool ended = false;  // the first read may know it reached the end
    const std::size_t want = target.size() - filled;
    const ssize_t got =
        position_ == 0 && filled == 0 ? first_read(data, target.size(), ended)
        : seekable_ ? ::pread(fd_, data + filled, want, static_cast<off_t>(position_ + filled))
                    : ::read(fd_, data + filled, want);
    if (got < 0) {
      // Not retry_on_eintr(): a non-blocking FIFO's EAGAIN is retried here too (the loop
      // waits in poll() first), and which call to retry changes with the position.
      if (errno == EINTR || (errno == EAGAIN && fifo_nonblocking_)) continue;
      return fail(errno);  // no partial result: the caller must not count a damaged file
    }
    filled += static_cast<std::size_t>(got);
    if (got == 0 || ended) {
      at_end_ = true;
      close_now();
      break;
    }
    if (policy_ == read_policy::available) break;
  }
  position_ += filled;
  if (!at_end_ && !size_looked_up_) {
    // Only files that fill a whole buffer pay for fstat: small files never get here.
    size_looked_up_ = true;
    struct stat status {};
    if (::fstat(fd_, &status) == 0 && S_ISREG(status.st_mode))
      size_hint_ = static_cast<std::uint64_t>(status.st_size);
  }
  if (filled == 0) error = boost::asio::error::eof;
  return filled;
}

}  // namespace linecount
