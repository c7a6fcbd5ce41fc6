#include "linecount/pooled_file.hpp"

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace linecount {
namespace {

// Longer than a read from the page cache takes, shorter than a trip to storage.
constexpr std::chrono::microseconds cold_read_time{50};

// How often the calling thread has gone to sleep (blocked) so far.
long voluntary_switches() noexcept {
  rusage usage{};
  if (::getrusage(RUSAGE_THREAD, &usage) != 0) return 0;
  return usage.ru_nvcsw;
}

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
      at_end_(other.at_end_),
      size_looked_up_(other.size_looked_up_),
      size_hint_(other.size_hint_),
      position_(other.position_) {}

pooled_file::~pooled_file() { close_now(); }

void pooled_file::close_now() noexcept {
  if (fd_ >= 0 && owns_fd_) ::close(fd_);  // read-only: close cannot lose data
  fd_ = -1;
}

// The first read of a file opened by name: tries not to wait, so that a listener learns the
// data is not cached (then reads it the ordinary way). Costs nothing extra for cached files.
// RWF_NOWAIT also refuses the odd cached page (one marked for readahead, say), so only a
// read that then had to wait counts as cold.
ssize_t pooled_file::first_read(char* data, std::size_t size) noexcept {
  if (!owns_fd_ || path_.empty()) return ::read(fd_, data, size);
  const iovec vector{data, size};
  const ssize_t got = ::preadv2(fd_, &vector, 1, -1, RWF_NOWAIT);
  if (got >= 0) {
    if (listener_ != nullptr) listener_->warm_read();
    return got;
  }
  // Refused (EAGAIN), or the probe itself is not supported here (EOPNOTSUPP, ENOSYS, ...):
  // the ordinary read decides, and reports any real error. It waited for storage if it took
  // long *and* the thread went to sleep in it: a thread that was merely preempted (more
  // threads than cores) also takes long, but is switched out involuntarily.
  const auto start = std::chrono::steady_clock::now();
  const long sleeps_before = voluntary_switches();
  const ssize_t waited = ::read(fd_, data, size);
  waited_for_storage_ = std::chrono::steady_clock::now() - start >= cold_read_time &&
                        voluntary_switches() != sleeps_before;
  if (listener_ != nullptr) {
    if (waited_for_storage_) {
      listener_->cold_read();
    } else {
      listener_->warm_read();
    }
  }
  return waited;
}

std::size_t pooled_file::fill(boost::asio::mutable_buffer target,
                              boost::system::error_code& error) noexcept {
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
    do fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) return fail(errno);
  }
  auto* const data = static_cast<char*>(target.data());
  std::size_t filled = 0;
  while (filled < target.size()) {
    const ssize_t got = position_ == 0 && filled == 0
                            ? first_read(data, target.size())
                            : ::read(fd_, data + filled, target.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(errno);  // no partial result: the caller must not count a damaged file
    }
    if (got == 0) {
      at_end_ = true;
      close_now();
      break;
    }
    filled += static_cast<std::size_t>(got);
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
