#pragma once
// open_batch: opens a batch of files with one system call, and closes them so too.
//
// Counting many small cached files costs system calls, not bytes: open, read and close each
// take about a microsecond of entry and exit alone in the VMs this was measured on, more than
// the work they do. A pool thread that holds several files to open asks the kernel for all
// the opens at once through io_uring (one io_uring_enter), and the descriptors it is done
// with once the batch has run are closed together in one more. The reads stay ordinary
// preadv2 calls, whose answers (ESPIPE for a FIFO, EAGAIN outside the cache) the file's
// reader already understands.
//
// Nothing here may block the thread for storage: an open resolves its name from the
// kernel's caches only (RESOLVE_CACHED), so io_uring never hands it to a worker thread of its
// own, and a name that is not cached comes back as EAGAIN for the caller to open the ordinary
// way. Files are opened non-blocking (a FIFO must not wait for a writer here).
//
// io_uring may be missing or refused (an old kernel, a sandbox's seccomp filter, the
// kernel.io_uring_disabled sysctl), or turned off with LINECOUNT_IO_URING=off (for a
// sandbox that kills a process asking for it): then available() is false and callers open
// and close files one by one, as they always may.

#include "tuning.hpp"

#include <array>
#include <cstddef>
#include <span>

struct io_uring;

namespace linecount {

class open_batch {
 public:
  /// The most files opened in one call (and descriptors waiting to be closed).
  static constexpr std::size_t max_files = tuning::open_batch_files;

  open_batch() = default;
  open_batch(const open_batch&) = delete;
  open_batch& operator=(const open_batch&) = delete;
  open_batch(open_batch&&) = delete;
  open_batch& operator=(open_batch&&) = delete;
  /// Closes what waits to be closed.
  ~open_batch();

  /// Whether batches can be opened here: sets io_uring up on first use. False for good once
  /// the kernel refuses it, or once it refuses cached opens (a kernel older than 5.12).
  [[nodiscard]] bool available() noexcept;
  /// Takes no batch for the next `takes` times paused() is asked.
  void pause(unsigned takes) noexcept { paused_for_ = takes; }
  /// Whether a pause is on (each call counts one take of it).
  [[nodiscard]] bool paused() noexcept {
    if (paused_for_ == 0) return false;
    --paused_for_;
    return true;
  }
  /// Whether available() has been asked already (so asking costs nothing now).
  [[nodiscard]] bool settled() const noexcept { return ring_ != nullptr || refused_; }

  /// Opens each of `paths` (at most max_files) read-only and non-blocking, resolving names
  /// from the caches only; `results[i]` becomes a descriptor or -errno (-EAGAIN: not cached,
  /// or not opened here for any other reason: the caller opens it the ordinary way).
  /// Closes the descriptors handed to close_later() in the same call.
  void open(std::span<const char* const> paths, std::span<int> results) noexcept;

  /// Closes `fd` with the next flush_closes() or open(); at once while there is no ring.
  void close_later(int fd) noexcept;

  /// Closes, now, what waits to be closed.
  void flush_closes() noexcept;
  /// Whether any descriptor waits to be closed.
  [[nodiscard]] bool has_closes() const noexcept { return closing_count_ != 0; }

  /// The batch of the calling thread, while a pool thread runs one (see read_pool); else null.
  [[nodiscard]] static open_batch* of_this_thread() noexcept;
  /// Makes `batch` the calling thread's (null: none).
  static void set_for_this_thread(open_batch* batch) noexcept;

 private:
  // Queues the closes waiting in closing_.
  void queue_closes() noexcept;
  // Sends what is queued and takes the answers; each user_data names a result slot or a
  // close.
  void collect(std::span<int> results) noexcept;
  // For good: the ring goes, and so do the descriptors waiting to be closed.
  void give_up() noexcept;

  io_uring* ring_ = nullptr;
  bool refused_ = false;
  unsigned paused_for_ = 0;
  std::array<int, max_files> closing_{};
  std::size_t closing_count_ = 0;
};

/// Closes `fd`: with the rest of the batch this thread is running, if it is running one,
/// else now. For read-only descriptors, whose close cannot lose data.
void close_read_only(int fd) noexcept;

}  // namespace linecount
