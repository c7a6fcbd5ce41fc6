#include "io/open_batch.hpp"

#include <liburing.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <linux/openat2.h>
#include <new>
#include <string_view>
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

namespace {

bool turned_off() noexcept {
  static const bool off = [] {
    const char* setting = std::getenv("LINECOUNT_IO_URING");  // NOLINT(concurrency-mt-unsafe): read-only
    return setting != nullptr && std::string_view{setting} == "off";
  }();
  return off;
}

}  // namespace

bool open_batch::available() noexcept {
  if (refused_) return false;
  if (ring_ != nullptr) return true;
  if (turned_off()) {
    refused_ = true;
    return false;
  }
  // cppcheck-suppress [legacyUninitvar, unreadVariable]: cppcheck misreads placement of nothrow
  auto* ring = new (std::nothrow) io_uring{};
  if (ring == nullptr) return false;
  // Every entry is sent even if one cannot be prepared (kernel 5.18); one thread submits and
  // reaps, so completions need not be run from anywhere else (6.1). Older kernels take the
  // plain ring.
  int status = ::io_uring_queue_init(
      ring_entries, ring,
      IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
  if (status == -EINVAL) status = ::io_uring_queue_init(ring_entries, ring, 0);
  if (status < 0) {  // ENOSYS, EPERM (seccomp, sysctl), ENOMEM (locked-memory limit): do without
    delete ring;
    refused_ = true;
    return false;
  }
  ring_ = ring;
  return true;
}

void open_batch::queue_closes() noexcept {
  std::size_t queued = 0;
  for (; queued < closing_count_; ++queued) {
    io_uring_sqe* entry = ::io_uring_get_sqe(ring_);
    if (entry == nullptr) break;
    ::io_uring_prep_close(entry, closing_[queued]);
    ::io_uring_sqe_set_data64(entry, close_tag);
  }
  // Any the ring had no room for (it always has) are closed the ordinary way.
  for (std::size_t i = queued; i < closing_count_; ++i) ::close(closing_[i]);
  closing_count_ = 0;
}

void open_batch::give_up() noexcept {
  refused_ = true;
  if (ring_ == nullptr) return;
  for (std::size_t i = 0; i < closing_count_; ++i) ::close(closing_[i]);
  closing_count_ = 0;
  ::io_uring_queue_exit(ring_);
  delete ring_;
  ring_ = nullptr;
}

void open_batch::collect(std::span<int> results) noexcept {
  // Everything queued is sent (a ring set up with IORING_SETUP_SUBMIT_ALL sends the rest
  // even when one entry fails to be prepared, say a name of PATH_MAX bytes or more; without
  // it the loop sends what the kernel left); then exactly as many answers are taken.
  // (liburing returns -EINTR instead of setting errno: retry_on_eintr() does not fit.)
  unsigned sent = 0;
  while (::io_uring_sq_ready(ring_) != 0) {
    const int status = ::io_uring_submit(ring_);
    if (status == -EINTR) continue;
    if (status <= 0) break;  // the kernel takes none: what is left is never answered
    sent += static_cast<unsigned>(status);
  }
  bool broken = ::io_uring_sq_ready(ring_) != 0;
  for (unsigned seen = 0; seen < sent;) {
    io_uring_cqe* completion = nullptr;
    const int status = ::io_uring_wait_cqe(ring_, &completion);
    if (status == -EINTR) continue;
    if (status < 0) {  // the ring itself failed (short of a kernel bug, it does not)
      broken = true;
      break;
    }
    const std::uint64_t tag = ::io_uring_cqe_get_data64(completion);
    if (tag != close_tag && tag < results.size()) results[tag] = completion->res;
    ::io_uring_cqe_seen(ring_, completion);
    ++seen;
  }
  // Opens with no answer keep -EAGAIN: their callers open them the ordinary way; closes with
  // none may not have happened, and the ring is not to be trusted again.
  if (broken) give_up();
}

void open_batch::open(std::span<const char* const> paths, std::span<int> results) noexcept {
  static const open_how how = [] {
    open_how value{};
    value.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    value.resolve = RESOLVE_CACHED;
    return value;
  }();
  const std::size_t count = std::min({paths.size(), results.size(), max_files});
  std::fill(results.begin(), results.begin() + static_cast<long>(count), -EAGAIN);
  if (ring_ == nullptr) return;
  queue_closes();
  for (std::size_t i = 0; i < count; ++i) {
    io_uring_sqe* entry = ::io_uring_get_sqe(ring_);
    if (entry == nullptr) break;  // no room (there always is): left to the callers
    ::io_uring_prep_openat2(entry, AT_FDCWD, paths[i], const_cast<open_how*>(&how));
    ::io_uring_sqe_set_data64(entry, i);
  }
  collect(results.first(count));
  // A kernel that knows no RESOLVE_CACHED (before 5.12) refuses every open so: stop asking.
  if (count > 1 && std::all_of(results.begin(), results.begin() + static_cast<long>(count),
                               [](int result) { return result == -EINVAL; }))
    give_up();
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
  queue_closes();
  collect({});
}

void close_read_only(int fd) noexcept {
  if (open_batch* batch = open_batch::of_this_thread()) {
    batch->close_later(fd);
    return;
  }
  ::close(fd);
}

}  // namespace linecount
