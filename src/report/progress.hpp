#pragma once
// --progress: a one-line status on standard error, redrawn in place while linecount runs
// ("linecount: 1200/5000 files, 37.5 MiB, 412.0 MiB/s, 0.1 s"), only when standard error is
// a terminal. Its own thread draws it every 200 ms from counters the io_context thread keeps
// up to date. Anything else written to the terminal (messages, and records when standard
// output is the same terminal) first takes the line away through hide(), so output never
// mixes with it; the line is cleared for good at the end.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace linecount::app {

class progress_meter {
 public:
  /// Will draw on `fd` if `wanted` and `fd` is a terminal; otherwise does nothing.
  progress_meter(int fd, bool wanted);
  ~progress_meter();
  progress_meter(const progress_meter&) = delete;
  progress_meter& operator=(const progress_meter&) = delete;

  /// Starts the drawing thread. Call it once the signals that interrupt_watch takes are
  /// blocked, so that the new thread inherits the blocked set.
  void start();

  [[nodiscard]] bool active() const noexcept { return drawer_.joinable(); }

  // Counters, updated by the io_context thread.
  void operand_known() noexcept { known_.fetch_add(1, std::memory_order_relaxed); }
  void operands_complete() noexcept { all_known_.store(true, std::memory_order_relaxed); }
  void operand_done() noexcept { done_.fetch_add(1, std::memory_order_relaxed); }
  void bytes_counted(std::uint64_t bytes) noexcept {
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
  }

  /// The byte counter itself, for counting done on the read threads.
  [[nodiscard]] std::atomic<std::uint64_t>& byte_counter() noexcept { return bytes_; }

  /// Takes the status line off the screen until the returned lock is released.
  [[nodiscard]] std::unique_lock<std::mutex> hide();

  /// Clears the line and stops drawing (also done by the destructor).
  void stop();

  /// The status text as drawn (for tests): done/known files, bytes, rate, elapsed time.
  [[nodiscard]] static std::string status_text(std::uint64_t done, std::uint64_t known,
                                               bool all_known, std::uint64_t bytes,
                                               std::chrono::duration<double> elapsed);

 private:
  void draw_until_stopped();
  void erase();  // with lock_ held

  int fd_;
  bool wanted_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> known_{0};
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<bool> all_known_{false};
  std::mutex lock_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by lock_
  bool drawn_ = false;     // guarded by lock_
  std::thread drawer_;
};

/// The meter that other writes to the terminal must step around; null when there is none.
[[nodiscard]] progress_meter* active_progress_meter() noexcept;

}  // namespace linecount::app
