#pragma once
// read_pool: the threads that do linecount's blocking reads.
//
// Cached files want as few threads as there are cores: each extra thread only adds wake-ups
// and context switches. Cold storage wants dozens of reads in flight. So the pool starts
// with one thread per core; every few reads that wait for storage raise the number of
// active threads by one (starting threads up to a ceiling), and a long run of cached reads
// lowers it again by parking a thread on a condition variable, where Asio no longer wakes
// it for every job. A watchdog also adds a thread whenever the queue has not moved for
// 50 ms (every thread blocked in a read that may never end: FIFOs, terminals), so blocked
// operands never hold up the rest. A fixed size (--threads=N) turns all of this off.

#include "linecount/pooled_file.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace linecount::app {

class read_pool final : public cold_read_listener {
 public:
  /// Starts `initial` threads; cold reads may raise that to `ceiling`.
  read_pool(unsigned initial, unsigned ceiling);
  read_pool(const read_pool&) = delete;
  read_pool& operator=(const read_pool&) = delete;
  read_pool(read_pool&&) = delete;
  read_pool& operator=(read_pool&&) = delete;
  /// Stops the pool and joins every thread.
  ~read_pool();

  [[nodiscard]] boost::asio::thread_pool::executor_type get_executor() noexcept {
    return pool_.get_executor();
  }

  /// The threads started at first (what a large file is split for).
  [[nodiscard]] unsigned initial_threads() const noexcept { return initial_; }

  /// The threads that should be taking jobs now.
  [[nodiscard]] unsigned target_threads() noexcept {
    const std::lock_guard lock{lock_};
    return target_;
  }

  /// The listener for pooled_file; null when the pool has a fixed size.
  [[nodiscard]] cold_read_listener* listener() noexcept {
    return ceiling_ > initial_ ? this : nullptr;
  }

  void cold_read() noexcept override;
  void warm_read() noexcept override;

 private:
  // Cold reads that raise the target by one thread, and cached reads in a row that lower it.
  static constexpr unsigned cold_reads_per_step = 4;
  static constexpr unsigned warm_reads_per_step = 1024;

  void rebalance();         // with lock_ held
  void park();              // runs on a pool thread
  void watch_for_stalls();  // the watchdog thread
  void raise_target();      // with lock_ held

  boost::asio::thread_pool pool_;
  const unsigned initial_;
  const unsigned ceiling_;
  std::atomic<unsigned> cold_reads_{0};
  std::atomic<unsigned> warm_streak_{0};
  std::atomic<bool> grown_{false};  // target_ > initial_, readable without the lock

  std::mutex lock_;
  std::condition_variable unparked_;
  unsigned target_;            // threads that should be taking jobs
  unsigned running_;           // threads started
  unsigned parked_ = 0;        // threads waiting in park()
  unsigned parks_pending_ = 0; // park() jobs posted, not yet run
  bool closed_ = false;
  std::vector<std::thread> added_;
  std::condition_variable closing_;
  std::atomic<bool> probe_ran_{false};
  std::thread watchdog_;
};

}  // namespace linecount::app
