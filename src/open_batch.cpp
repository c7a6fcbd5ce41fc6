#include "open_batch.hpp"

#include <liburing.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <linux/openat2.h>
#include <new>
#include <unistd.h>

namespace linecount {
namespace {

// Room for a batch of opens and as many closes.
constexpr unsigned ring_entries = 2 * open_batch::max_files;
// user_data of a close; an open's is its index in the batch.
constexpr std::uint64_t close_tag = ~std::uint64_t{0};

thread_local open_batch* this_thread_batch = nullptr;

}  // namespace

open_batch::~open_batch() {
  flush_closes();
  if (ring_ != nullptr) {
    ::io_uring_queue_exit(ring_);
    delete ring_;
  }
}

open_batch* open_batch::of_this_thread() noexcept { return this_thread_batch; }

void open_batch::set_for_this_thread(open_batch* batch) noexcept { this_thread_batch = batch; }

bool open_batch::available() noexcept {
  if (refused_) return false;
  if (ring_ != nullptr) return true;
  // cppcheck-suppress [legacyUninitvar, unreadVariable]: cppcheck misreads placement of nothrow
  auto* ring = new (std::nothrow) io_uring{};
  if (ring == nullptr) return false;
  // One thread submits and reaps, so completions need not be run from anywhere else
  // (kernel 6.1); older kernels take the plain ring.
  int status = ::io_uring_queue_init(ring_entries, ring,
                                     IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
  if (status == -EINVAL) status = ::io_uring_queue_init(ring_entries, ring, 0);
  if (status < 0) {  // ENOSYS, EPERM (seccomp, sysctl), ENOMEM (locked-memory limit): do without
    delete ring;
    refused_ = true;
    return false;
  }
  ring_ = ring;
  return true;
}

unsigned open_batch::queue_closes() noexcept {
  unsigned queued = 0;
  for (; queued < closing_count_; ++queued) {
    io_uring_sqe* entry = ::io_uring_get_sqe(ring_);
    if (entry == nullptr) break;
    ::io_uring_prep_close(entry, closing_[queued]);
    ::io_uring_sqe_set_data64(entry, close_tag);
  }
  // Any the ring had no room for (it always has) are closed the ordinary way.
  for (std::size_t i = queued; i < closing_count_; ++i) ::close(closing_[i]);
  closing_count_ = 0;
  return queued;
}

void open_batch::collect(unsigned count, std::span<int> results) noexcept {
  if (count == 0) return;
  int submitted = 0;
  do submitted = ::io_uring_submit_and_wait(ring_, count);
  while (submitted == -EINTR);
  for (unsigned seen = 0; seen < count;) {
    io_uring_cqe* completion = nullptr;
    const int status = ::io_uring_wait_cqe(ring_, &completion);
    if (status == -EINTR) continue;
    if (status < 0) {
      // The ring itself failed (it does not, short of a kernel bug): nothing more comes from
      // it, so the opens not yet answered are left to their callers.
      std::fill(results.begin(), results.end(), -EAGAIN);
      refused_ = true;
      return;
    }
    const std::uint64_t tag = ::io_uring_cqe_get_data64(completion);
    if (tag != close_tag && tag < results.size()) results[tag] = completion->res;
    ::io_uring_cqe_seen(ring_, completion);
    ++seen;
  }
}

void open_batch::open(std::span<const char* const> paths, std::span<int> results) noexcept {
  static const open_how how = [] {
    open_how value{};
    value.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    value.resolve = RESOLVE_CACHED;
    return value;
  }();
  const std::size_t count = std::min({paths.size(), results.size(), max_files});
  unsigned queued = queue_closes();
  for (std::size_t i = 0; i < count; ++i) {
    results[i] = -EAGAIN;
    io_uring_sqe* entry = ::io_uring_get_sqe(ring_);
    if (entry == nullptr) break;
    ::io_uring_prep_openat2(entry, AT_FDCWD, paths[i], const_cast<open_how*>(&how));
    ::io_uring_sqe_set_data64(entry, i);
    ++queued;
  }
  collect(queued, results.first(count));
  // A kernel that knows no RESOLVE_CACHED (before 5.12) refuses every open so: stop asking.
  if (count > 1 && std::all_of(results.begin(), results.begin() + static_cast<long>(count),
                               [](int result) { return result == -EINVAL; }))
    refused_ = true;
}

void open_batch::close_later(int fd) noexcept {
  if (ring_ == nullptr) {
    ::close(fd);
    return;
  }
  if (closing_count_ == closing_.size()) flush_closes();
  closing_[closing_count_++] = fd;
}

void open_batch::flush_closes() noexcept {
  if (closing_count_ == 0) return;
  if (ring_ == nullptr) {
    for (std::size_t i = 0; i < closing_count_; ++i) ::close(closing_[i]);
    closing_count_ = 0;
    return;
  }
  collect(queue_closes(), {});
}

void close_read_only(int fd) noexcept {
  if (open_batch* batch = open_batch::of_this_thread()) {
    batch->close_later(fd);
    return;
  }
  ::close(fd);
}

}  // namespace linecount
