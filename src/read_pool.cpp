#include "read_pool.hpp"

#include <boost/asio/post.hpp>

#include <chrono>
#include <exception>

namespace linecount::app {

read_pool::read_pool(unsigned initial, unsigned ceiling)
    : pool_(initial),
      initial_(initial),
      ceiling_(ceiling < initial ? initial : ceiling),
      target_(initial),
      running_(initial) {
  added_.reserve(ceiling_ - initial_);
  if (ceiling_ > initial_) watchdog_ = std::thread([this] { watch_for_stalls(); });
}

read_pool::~read_pool() {
  {
    const std::lock_guard lock{lock_};
    closed_ = true;
  }
  unparked_.notify_all();
  closing_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
  pool_.stop();
  pool_.join();
  for (auto& thread : added_) thread.join();  // attach() returns once the pool is stopped
}

void read_pool::cold_read() noexcept {
  warm_streak_.store(0, std::memory_order_relaxed);
  // A few files evicted from a warm cache should not change the pool: wait for a run of them.
  if ((cold_reads_.fetch_add(1, std::memory_order_relaxed) + 1) % cold_reads_per_step != 0)
    return;
  const std::lock_guard lock{lock_};
  raise_target();
}

void read_pool::raise_target() {
  if (target_ >= ceiling_) return;
  ++target_;
  grown_.store(true, std::memory_order_relaxed);
  rebalance();
}

void read_pool::watch_for_stalls() {
  constexpr auto interval = std::chrono::milliseconds{50};
  std::unique_lock lock{lock_};
  bool probe_out = false;
  while (!closing_.wait_for(lock, interval, [this] { return closed_; })) {
    // A probe job that has not run in a whole interval: the queue is stuck behind reads.
    if (probe_out && !probe_ran_.load()) {
      raise_target();
      continue;
    }
    probe_ran_.store(false);
    probe_out = true;
    boost::asio::post(pool_, [this] { probe_ran_.store(true); });
  }
}

void read_pool::warm_read() noexcept {
  // Nothing to park: leave the shared counter alone (cached reads are the hot path).
  if (!grown_.load(std::memory_order_relaxed)) return;
  if ((warm_streak_.fetch_add(1, std::memory_order_relaxed) + 1) % warm_reads_per_step != 0)
    return;
  const std::lock_guard lock{lock_};
  if (target_ <= initial_) return;
  --target_;
  grown_.store(target_ > initial_, std::memory_order_relaxed);
  rebalance();
}

void read_pool::rebalance() {
  if (closed_) return;
  while (running_ < target_) {
    try {
      // Started from a pool thread, the new thread inherits its blocked signals.
      added_.emplace_back([this] { pool_.attach(); });
      ++running_;
    } catch (const std::exception&) {  // std::system_error, or bad_alloc
      target_ = running_;  // no more threads to be had: the ones running carry on
    }
  }
  const unsigned active = running_ - parked_;
  if (active < target_) {
    unparked_.notify_all();  // each parked thread re-checks whether it is still needed
  } else if (active > target_ + parks_pending_) {
    for (unsigned extra = active - target_ - parks_pending_; extra > 0; --extra) {
      ++parks_pending_;
      boost::asio::post(pool_, [this] { park(); });
    }
  }
}

void read_pool::park() {
  std::unique_lock lock{lock_};
  --parks_pending_;
  if (closed_ || running_ - parked_ <= target_) return;  // needed again meanwhile
  ++parked_;
  unparked_.wait(lock, [this] { return closed_ || running_ - parked_ < target_; });
  --parked_;
}

}  // namespace linecount::app
