#include "cli/process_setup.hpp"

#include <algorithm>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace linecount::app {
namespace {

// Descriptors the event loop and the list may need besides the files in flight
// (epoll, eventfd, timerfd, the --files0-from list) and some slack.
constexpr long descriptor_reserve = 8;
// Descriptors assumed inherited at most when the limit is far above what is asked for.
constexpr rlim_t inherited_allowance = 1024;

long open_descriptor_count() noexcept {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 16;  // no /proc: assume a few are inherited
  long count = 0;
  // Runs once, before any thread starts, on a stream of its own.
  while (::readdir(dir) != nullptr) ++count;  // NOLINT(concurrency-mt-unsafe)
  ::closedir(dir);
  return count - 3;  // ".", ".." and the directory's own descriptor
}

}  // namespace

void guard_standard_descriptors() noexcept {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0) continue;
    const int flags = fd == STDIN_FILENO ? O_WRONLY : O_RDONLY;
    const int parked = ::open("/dev/null", flags | O_CLOEXEC);
    if (parked >= 0 && parked != fd) {
      ::dup2(parked, fd);
      ::close(parked);
    }
  }
}

unsigned jobs_within_descriptor_limit(unsigned requested, unsigned read_threads) noexcept {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return requested;
  // Room to spare for far more descriptors than a process inherits: no need to count them
  // (four system calls at every start).
  if (limit.rlim_cur >= static_cast<rlim_t>(requested) + read_threads + inherited_allowance)
    return requested;
  const long available = static_cast<long>(std::min<rlim_t>(limit.rlim_cur, 1L << 30)) -
                         open_descriptor_count() - descriptor_reserve - read_threads;
  return static_cast<unsigned>(std::clamp<long>(available, 1, requested));
}

}  // namespace linecount::app
