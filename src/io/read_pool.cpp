#include "linecount/read_pool.hpp"

#include "io/open_batch.hpp"
#include "io/read_pool_impl.hpp"
#include "io/thread_sleeps.hpp"
#include "tuning.hpp"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <exception>
#include <memory>
#include <new>
#include <span>
#include <system_error>
#include <utility>

namespace linecount {
namespace {

using clock = std::chrono::steady_clock;


// Room for one posted deliver(): Asio's operation holding the handler below.
struct delivery_block {
  alignas(std::max_align_t) std::byte bytes[256];
  std::atomic<bool> in_use{false};
};

// Hands out the block if it fits and is free, else asks the heap: a pool thread has no Asio
// recycling cache of its own, so each post from it would allocate.
template <typename T>
struct delivery_allocator {
  using value_type = T;

  explicit delivery_allocator(std::shared_ptr<delivery_block> memory) noexcept
      : block(std::move(memory)) {}
  // Implicit, as the allocator requirements have it: Asio rebinds to its operation's type.
  template <typename U>
  // cppcheck-suppress noExplicitConstructor
  delivery_allocator(const delivery_allocator<U>& other) noexcept : block(other.block) {}

  T* allocate(std::size_t count) {
    if (sizeof(T) * count <= sizeof(block->bytes) && alignof(T) <= alignof(std::max_align_t) &&
        !block->in_use.exchange(true, std::memory_order_acquire))
      return reinterpret_cast<T*>(block->bytes);
    return std::allocator<T>{}.allocate(count);
  }

  void deallocate(T* memory, std::size_t count) noexcept {
    if (reinterpret_cast<std::byte*>(memory) == block->bytes) {
      block->in_use.store(false, std::memory_order_release);
      return;
    }
    std::allocator<T>{}.deallocate(memory, count);
  }

  template <typename U>
  bool operator==(const delivery_allocator<U>& other) const noexcept {
    return block == other.block;
  }

  std::shared_ptr<delivery_block> block;
};

}  // namespace

// ---- read_pool: the interface, each member handing on to the impl ----

read_pool::read_pool(boost::asio::io_context& home, unsigned threads, unsigned ceiling)
    : home_(home.get_executor()), impl_(std::make_unique<impl>(home_, threads, ceiling)) {}

// The pool stops while impl_ is still whole: jobs discarded by stop() free their memory
// through deallocate_job(), which goes through impl_.
read_pool::~read_pool() { impl_->stop(); }

void read_pool::submit(pool_job& job) { impl_->submit(job); }

void read_pool::submit_quick(pool_job& job) { impl_->submit_quick(job); }

bool read_pool::home_should_try() noexcept { return impl_->home_should_try(); }

void read_pool::home_would_wait() noexcept { impl_->home_would_wait(); }

void read_pool::before_first_thread(std::function<void()> hook) {
  impl_->before_first_thread(std::move(hook));
}

void* read_pool::allocate_job(std::size_t size) { return impl_->allocate_job(size); }

void read_pool::deallocate_job(void* block, std::size_t size) noexcept {
  impl_->deallocate_job(block, size);
}

unsigned read_pool::initial_threads() const noexcept { return impl_->initial_threads(); }

unsigned read_pool::target_threads() { return impl_->target_threads(); }

read_pool::census read_pool::count_threads() { return impl_->count_threads(); }

cold_read_listener* read_pool::listener() noexcept { return impl_->listener(); }

// ---- read_pool::impl ----

struct read_pool::impl::delivery_memory : delivery_block {};

void read_pool::impl::post_delivery() {
  boost::asio::post(home_, boost::asio::bind_allocator(
                               delivery_allocator<std::byte>{delivery_memory_}, [this] { deliver(); }));
}

void read_pool::impl::job_list::push(pool_job& job) noexcept {
  job.next_ = nullptr;
  if (tail == nullptr) {
    head = &job;
  } else {
    tail->next_ = &job;
  }
  tail = &job;
  ++size;
}

pool_job& read_pool::impl::job_list::pop() noexcept {
  pool_job& job = *head;
  head = job.next_;
  if (head == nullptr) tail = nullptr;
  --size;
  return job;
}

void read_pool::impl::job_list::append(job_list& other) noexcept {
  if (other.head == nullptr) return;
  if (tail == nullptr) {
    head = other.head;
  } else {
    tail->next_ = other.head;
  }
  tail = other.tail;
  size += other.size;
  other = {};
}

void read_pool::impl::job_list::prepend(job_list& other) noexcept {
  other.append(*this);
  *this = other;
  other = {};
}

pool_job* read_pool::impl::job_list::take_all() noexcept {
  pool_job* all = head;
  head = tail = nullptr;
  size = 0;
  return all;
}

read_pool::impl::impl(home_executor home, unsigned threads, unsigned ceiling)
    : home_(std::move(home)),
      initial_(std::max(threads, 1U)),
      ceiling_(std::max(ceiling, initial_)),
      delivery_memory_(std::make_shared<delivery_memory>()),
      target_(initial_) {
  // No thread yet: they start when there are jobs for them (a run over a few cached files
  // may need none), and the watch thread once jobs wait with every thread busy.
  threads_.reserve(ceiling_);
}

read_pool::impl::~impl() { stop(); }

void read_pool::impl::stop() noexcept {
  {
    const std::lock_guard lock{mutex_};
    closed_ = true;
  }
  work_ready_.notify_all();
  unparked_.notify_all();
  watching_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  for (auto& thread : threads_) thread.join();
  threads_.clear();  // stop() runs twice: from ~read_pool, then from ~impl
  for (job_list* list : {&submitted_, &quick_, &queued_, &completed_}) {
    for (pool_job* job = list->take_all(); job != nullptr;) {
      pool_job* next = job->next_;
      job->discard();
      job = next;
    }
  }
  for (free_block*& list : free_jobs_) {
    while (free_block* block = list) {
      list = block->next;
      ::operator delete(block);
    }
  }
}

void* read_pool::impl::allocate_job(std::size_t size) {
  const std::size_t size_class = (size + job_block - 1) / job_block;
  if (size_class >= job_size_classes) return ::operator new(size);
  if (home_.running_in_this_thread()) {
    if (free_block* block = free_jobs_[size_class]) {
      free_jobs_[size_class] = block->next;
      return block;
    }
  }
  // Always the whole class: a block may be freed on the home thread and reused there.
  return ::operator new(size_class * job_block);
}

void read_pool::impl::deallocate_job(void* block, std::size_t size) noexcept {
  const std::size_t size_class = (size + job_block - 1) / job_block;
  if (size_class < job_size_classes && home_.running_in_this_thread()) {
    free_jobs_[size_class] = ::new (block) free_block{free_jobs_[size_class]};
    return;
  }
  ::operator delete(block);
}

unsigned read_pool::impl::target_threads() {
  const std::lock_guard lock{mutex_};
  return target_;
}

bool read_pool::impl::home_should_try() noexcept {
  if (home_pause_ > 0) {
    --home_pause_;
    return false;
  }
  return home_tries_++ < tuning::home_only_reads;
}

void read_pool::impl::home_would_wait() noexcept { home_pause_ = tuning::home_pause_after_a_wait; }

read_pool::census read_pool::impl::count_threads() {
  const std::lock_guard lock{mutex_};
  return {running_, parked_, idle_, stalled_ticks_};
}

void read_pool::impl::submit(pool_job& job) {
  if (!home_.running_in_this_thread()) {
    job_list one;
    one.push(job);
    enqueue(one);
    return;
  }
  submitted_.push(job);
  schedule_queueing();
}

void read_pool::impl::submit_quick(pool_job& job) {
  if (!home_.running_in_this_thread()) {
    submit(job);
    return;
  }
  quick_.push(job);
  schedule_queueing();
}

void read_pool::impl::schedule_queueing() {
  if (queueing_posted_) return;
  // Runs once the handlers ready now have run. Marked only once posted: should the post
  // fail, the next submit posts again.
  boost::asio::post(home_, [this] { queue_submitted(); });
  queueing_posted_ = true;
}

void read_pool::impl::queue_submitted() {
  // Quick jobs that this round's completions submit join it (see tuning::quick_jobs_per_round):
  // queueing_posted_ stays set until the round ends, so they post no round of their own.
  job_list quick;
  struct end_of_round {
    impl& pool;
    job_list& rest;  // left by a handler that threw: they run first next round
    ~end_of_round() {
      pool.quick_.prepend(rest);
      pool.queueing_posted_ = false;
      if (pool.quick_.size != 0 || pool.submitted_.size != 0) pool.schedule_queueing();
    }
  } end{*this, quick};
  std::size_t ran = 0;
  do {
    enqueue(submitted_);
    quick.append(quick_);
    while (quick.size != 0) {
      pool_job& job = quick.pop();
      job.run();
      job.complete();
      ++ran;
    }
  } while (quick_.size != 0 && ran < tuning::quick_jobs_per_round);
}

void read_pool::impl::enqueue(job_list& jobs) {
  if (jobs.size == 0) return;
  unsigned wakes = 0;
  bool wake_watcher = false;
  {
    const std::lock_guard lock{mutex_};
    if (outstanding_ == 0) {
      home_busy_.emplace(home_);
      wake_watcher = true;  // it sleeps while there is nothing to watch
    }
    outstanding_ += jobs.size;
    const std::size_t count = jobs.size;
    queued_.append(jobs);
    while (wakes < count && claim_idle_thread()) ++wakes;
    const unsigned before = running_;
    if (count > wakes) start_threads(static_cast<unsigned>(std::min<std::size_t>(count - wakes, target_)));
    if (running_ == 0)  // nothing would ever run the jobs
      throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                              "cannot start a read thread");
    // Jobs left waiting with every thread busy: someone must watch for threads that block.
    if (count > wakes + (running_ - before)) start_watcher();
  }
  for (; wakes > 0; --wakes) work_ready_.notify_one();
  if (wake_watcher) watching_.notify_one();
}

bool read_pool::impl::claim_idle_thread() noexcept {
  // Each notification wakes a thread that is not already on its way: no wake-up is wasted
  // on a thread that will find the queue empty.
  if (idle_ <= wakes_sent_) return false;
  ++wakes_sent_;
  return true;
}

void read_pool::impl::run_before_first_thread() {
  if (!before_first_thread_) return;
  const auto hook = std::move(before_first_thread_);
  before_first_thread_ = nullptr;
  hook();
}

void read_pool::impl::start_threads(unsigned wanted) {
  if (wanted > 0) run_before_first_thread();
  for (; wanted > 0 && running_ < target_ && !closed_; --wanted) {
    try {
      // Started from a thread with signals blocked, the new thread inherits the mask.
      threads_.emplace_back([this] { work(); });
      ++running_;
    } catch (const std::exception&) {  // std::system_error, or bad_alloc
      target_ = std::max(running_, 1U);  // no more threads to be had: the ones running carry on
      return;
    }
  }
}

void read_pool::impl::raise_target() {
  if (target_ >= ceiling_ || closed_) return;
  ++target_;
  grown_.store(true, std::memory_order_relaxed);
  // Parked threads come back first (each looks whether it is still needed); a thread is
  // started only for what they cannot make up, counting them as running.
  if (parked_ > 0) unparked_.notify_all();
  if (target_ > running_) start_threads(target_ - running_);
}

void read_pool::impl::start_watcher() {
  if (watcher_.joinable() || closed_) return;
  run_before_first_thread();
  try {
    watcher_ = std::thread([this] { watch(); });
  } catch (const std::exception&) {
    // None to be had: a batch held back by blocked threads then waits for them.
  }
}

void read_pool::impl::cold_read() noexcept {
  warm_streak_.store(0, std::memory_order_relaxed);
  // A few files evicted from a warm cache should not change the pool: wait for a run of them.
  const unsigned cold = cold_reads_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (cold % tuning::cold_reads_per_step != 0) return;
  const std::lock_guard lock{mutex_};
  raise_target();
}

void read_pool::impl::warm_read() noexcept {
  // Nothing to park: leave the shared counter alone (cached reads are the hot path).
  if (!grown_.load(std::memory_order_relaxed)) return;
  const unsigned warm = warm_streak_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (warm % tuning::warm_reads_per_step != 0) return;
  const std::lock_guard lock{mutex_};
  if (target_ <= initial_) return;
  --target_;  // the first thread to look for a job after this parks itself
  grown_.store(target_ > initial_, std::memory_order_relaxed);
}

void read_pool::impl::work() {
  open_batch opener;
  std::unique_lock lock{mutex_};
  for (;;) {
    if (closed_) return;
    if (running_ - parked_ > target_) {
      // Send home what is done, and pass on a wake-up meant for a job, before parking.
      post_completed(lock);
      if (running_ - parked_ <= target_ || closed_) continue;
      if (queued_.size != 0 && claim_idle_thread()) work_ready_.notify_one();
      ++parked_;
      unparked_.wait(lock, [this] { return closed_ || running_ - parked_ < target_; });
      --parked_;
      continue;
    }
    if (queued_.size == 0) {
      post_completed(lock);  // nothing more to do for now: send home what is done
      if (queued_.size != 0 || closed_) continue;
      ++idle_;
      work_ready_.wait(lock);
      --idle_;
      if (wakes_sent_ > 0) --wakes_sent_;
      continue;
    }
    if (run_open_batch(lock, opener)) continue;
    pool_job& job = queued_.pop();
    ++started_;
    lock.unlock();
    job.run();
    const auto finished = clock::now();
    lock.lock();
    if (completed_.size == 0) batch_started_ = finished;
    completed_.push(job);
    if (completed_.size >= queued_.size || finished - batch_started_ >= tuning::batch_age_limit)
      post_completed(lock);
  }
}

bool read_pool::impl::run_open_batch(std::unique_lock<std::mutex>& lock, open_batch& opener) {
  // A fair share of the queue for each thread taking jobs, so that no thread takes work
  // another could do at the same time.
  const std::size_t takers = std::max(running_ - parked_, 1U);
  const std::size_t share = std::min((queued_.size + takers - 1) / takers, open_batch::max_files);
  if (share < 2 || queued_.head->next_ == nullptr || queued_.head->path_to_open() == nullptr ||
      queued_.head->next_->path_to_open() == nullptr)
    return false;
  if (opener.paused()) return false;
  if (!opener.settled()) {  // io_uring is set up once per thread, not while holding the queue
    lock.unlock();
    (void)opener.available();
    lock.lock();
    return true;  // the queue may have changed meanwhile: look again
  }
  if (!opener.available()) return false;
  std::array<pool_job*, open_batch::max_files> jobs{};
  std::array<const char*, open_batch::max_files> paths{};
  std::size_t count = 0;
  while (count < share && queued_.size != 0) {
    const char* path = queued_.head->path_to_open();
    if (path == nullptr) break;
    jobs[count] = &queued_.pop();
    paths[count] = path;
    ++count;
  }
  started_ += count;
  lock.unlock();
  std::array<int, open_batch::max_files> results{};
  const auto opening = clock::now();
  const long sleeps_before = voluntary_switches();
  opener.open(std::span{paths}.first(count), std::span{results}.first(count));
  // Names resolve from the caches, but a file system's own open may still wait (FUSE, NFS):
  // while a batch of opens takes that long, the files go one by one, each in the queue
  // where the watch thread sees whether it is stuck.
  // And while names come back uncached (storage that is cold), the batches only add a
  // trip: each of those files is opened the ordinary way after them.
  const auto uncached = std::count(results.begin(), results.begin() + static_cast<long>(count), -EAGAIN);
  // (Slow means the thread slept in the opens: one merely preempted on a busy machine is
  // switched out involuntarily, and batching stays on.)
  const bool slept = clock::now() - opening >= tuning::slow_open_batch &&
                     voluntary_switches() != sleeps_before;
  if (slept || 2 * static_cast<std::size_t>(uncached) > count)
    opener.pause(tuning::open_batches_paused);
  job_list done;
  job_list left;  // would block: back to the queue, for run()
  for (std::size_t i = 0; i < count; ++i) jobs[i]->opened(results[i]);
  // The descriptors the jobs are done with are closed together, once they all have run:
  // never later, so the batch holds no more descriptors than its files in flight.
  open_batch::set_for_this_thread(&opener);
  for (std::size_t i = 0; i < count; ++i) {
    if (jobs[i]->run_without_blocking()) {
      done.push(*jobs[i]);
    } else {
      left.push(*jobs[i]);
    }
  }
  open_batch::set_for_this_thread(nullptr);
  opener.flush_closes();
  const auto finished = clock::now();
  lock.lock();
  started_ -= left.size;
  if (left.size != 0) {
    const std::size_t returned = left.size;
    queued_.prepend(left);
    // This thread takes the first itself.
    for (std::size_t woken = 1; woken < returned && claim_idle_thread(); ++woken)
      work_ready_.notify_one();
  }
  if (done.size != 0) {
    if (completed_.size == 0) batch_started_ = finished;
    completed_.append(done);
    if (completed_.size >= queued_.size || finished - batch_started_ >= tuning::batch_age_limit)
      post_completed(lock);
  }
  return true;
}

void read_pool::impl::post_completed(std::unique_lock<std::mutex>& lock) {
  if (completed_.size == 0 || batch_posted_) return;
  batch_posted_ = true;
  ++batches_;
  lock.unlock();  // posting may wake the home thread: not while holding the queue
  post_delivery();
  lock.lock();
}

void read_pool::impl::deliver() {
  job_list batch;
  {
    const std::lock_guard lock{mutex_};
    batch.append(completed_);
    batch_posted_ = false;
  }
  std::size_t delivered = 0;
  // However this ends (a handler may throw), the home executor stays busy exactly while
  // jobs are outstanding, and the rest of the batch is delivered later.
  struct settle {
    impl& pool;
    job_list& rest;
    std::size_t& delivered;
    ~settle() {
      std::optional<boost::asio::executor_work_guard<home_executor>> released;
      const std::lock_guard lock{pool.mutex_};
      if (rest.size != 0) {
        pool.completed_.prepend(rest);
        if (!pool.batch_posted_) {
          pool.batch_posted_ = true;
          ++pool.batches_;
          pool.post_delivery();
        }
      }
      pool.outstanding_ -= delivered;
      if (pool.outstanding_ == 0) {
        released.emplace(std::move(*pool.home_busy_));  // let go of the home executor
        pool.home_busy_.reset();
      }
    }
  } settled{*this, batch, delivered};
  while (batch.size != 0) {
    pool_job& job = batch.pop();
    ++delivered;
    job.complete();
  }
}

void read_pool::impl::watch() {
  std::unique_lock lock{mutex_};
  std::uint64_t batches_seen = batches_;
  std::uint64_t started_seen = started_;
  unsigned stalled_ticks = 0;
  while (!closed_) {
    if (outstanding_ == 0) {
      watching_.wait(lock);  // submit() wakes it
      continue;
    }
    if (watching_.wait_for(lock, tuning::watch_tick, [this] { return closed_; })) return;
    // A safety net: queued jobs and an idle thread should never meet here.
    if (queued_.size != 0 && idle_ > 0) work_ready_.notify_all();
    // Completions that waited a whole tick while every thread was busy: send them home.
    if (completed_.size != 0 && batches_ == batches_seen) post_completed(lock);
    batches_seen = batches_;
    // Jobs waiting, and none taken for a while: every thread is stuck in a read.
    if (queued_.size != 0 && started_ == started_seen) {
      ++stalled_ticks_;
      if (ceiling_ > initial_ && ++stalled_ticks >= tuning::stalled_ticks_to_grow) {
        stalled_ticks = 0;
        raise_target();
      }
    } else {
      stalled_ticks = 0;
    }
    started_seen = started_;
  }
}

}  // namespace linecount
