#pragma once
// read_pool::impl: the pool's queues, threads and counters, behind linecount::read_pool
// (include/linecount/read_pool.hpp, whose comment describes how they work). Only
// read_pool.cpp includes this.
//
// The impl is the pool's cold_read_listener, so that the callbacks pooled_file makes reach
// it through read_pool::listener() without being part of read_pool's interface.

#include "linecount/read_pool.hpp"
#include "tuning.hpp"

#include <boost/asio/executor_work_guard.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace linecount {

class open_batch;

class read_pool::impl final : public cold_read_listener {
 public:
  impl(home_executor home, unsigned threads, unsigned ceiling);
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;
  impl(impl&&) = delete;
  impl& operator=(impl&&) = delete;
  ~impl();

  // What read_pool's members of the same names do.
  void submit(pool_job& job);
  void submit_quick(pool_job& job);
  bool home_should_try() noexcept;
  void home_would_wait() noexcept;
  void before_first_thread(std::function<void()> hook) { before_first_thread_ = std::move(hook); }
  void* allocate_job(std::size_t size);
  void deallocate_job(void* block, std::size_t size) noexcept;
  [[nodiscard]] unsigned initial_threads() const noexcept { return initial_; }
  unsigned target_threads();
  census count_threads();
  cold_read_listener* listener() noexcept { return ceiling_ > initial_ ? this : nullptr; }

  void cold_read() noexcept override;
  void warm_read() noexcept override;

  /// Joins every thread and discards the jobs not completed; a second call does nothing.
  void stop() noexcept;

 private:
  // A first-in first-out list of jobs, linked through pool_job::next_ (reachable here: a
  // class nested in read_pool has read_pool's access as pool_job's friend).
  struct job_list {
    pool_job* head = nullptr;
    pool_job* tail = nullptr;
    std::size_t size = 0;
    void push(pool_job& job) noexcept;
    pool_job& pop() noexcept;
    pool_job* take_all() noexcept;
    void append(job_list& other) noexcept;   ///< moves `other`'s jobs to the back
    void prepend(job_list& other) noexcept;  ///< moves `other`'s jobs to the front
  };

  void work();                                 // a pool thread
  // A pool thread, mutex_ held: takes the jobs at the front of the queue that open a file
  // first, if there are several, and runs what it can of them; false if there were not.
  bool run_open_batch(std::unique_lock<std::mutex>& lock, open_batch& opener);
  void watch();                                // the watch thread
  void deliver();                              // on the home executor: one batch
  void queue_submitted();                      // on the home executor
  void schedule_queueing();                    // on the home executor
  void enqueue(job_list& jobs);                // from any thread
  void post_completed(std::unique_lock<std::mutex>& lock);
  bool claim_idle_thread() noexcept;           // with mutex_ held
  void raise_target();                         // with mutex_ held
  void start_threads(unsigned wanted);         // with mutex_ held: up to target_
  void start_watcher();                        // with mutex_ held
  void run_before_first_thread();              // with mutex_ held
  void post_delivery();                        // batch_posted_ just set: deliver() home

  // Free blocks for jobs, by size in units of job_block bytes (home thread only).
  static constexpr std::size_t job_block = tuning::job_block;
  static constexpr std::size_t job_size_classes = tuning::job_size_classes;
  struct free_block {
    free_block* next;
  };

  const home_executor home_;  // a copy of read_pool's: the same io_context
  std::function<void()> before_first_thread_;  // see before_first_thread()
  std::uint64_t home_tries_ = 0;  // home thread only: home_should_try() calls
  unsigned home_pause_ = 0;       // home thread only: reads left before it tries again
  free_block* free_jobs_[job_size_classes] = {};
  job_list submitted_;            // home thread only: not yet queued
  job_list quick_;                // home thread only: submit_quick() jobs not yet run
  bool queueing_posted_ = false;  // home thread only: a queue_submitted() is on its way
  const unsigned initial_;
  const unsigned ceiling_;
  std::atomic<unsigned> cold_reads_{0};
  std::atomic<unsigned> warm_streak_{0};
  std::atomic<bool> grown_{false};  // target_ > initial_, readable without the lock

  std::mutex mutex_;
  std::condition_variable work_ready_;  // idle threads wait here for jobs
  std::condition_variable unparked_;    // parked threads wait here to be needed again
  std::condition_variable watching_;    // the watch thread's tick, and its wake-up
  job_list queued_;
  job_list completed_;
  std::chrono::steady_clock::time_point batch_started_;  // when completed_ got its first job
  bool batch_posted_ = false;     // a deliver() is on its way home
  // The memory of that one deliver(), so that sending a batch home allocates nothing; shared
  // with the posted handler, as the io_context may destroy a pending one after the pool.
  struct delivery_memory;
  std::shared_ptr<delivery_memory> delivery_memory_;
  std::uint64_t batches_ = 0;     // batches posted so far
  std::uint64_t started_ = 0;     // jobs taken from the queue so far
  std::size_t outstanding_ = 0;   // submitted, not yet completed
  std::optional<boost::asio::executor_work_guard<home_executor>> home_busy_;
  unsigned target_;               // threads that should be taking jobs
  unsigned running_ = 0;          // threads started
  unsigned parked_ = 0;           // threads waiting in unparked_
  unsigned idle_ = 0;             // threads waiting in work_ready_
  unsigned wakes_sent_ = 0;       // notifications of work_ready_ not yet taken up
  std::uint64_t stalled_ticks_ = 0;  // watch ticks that found the queue stuck
  bool closed_ = false;
  std::vector<std::thread> threads_;
  std::thread watcher_;
};

}  // namespace linecount
