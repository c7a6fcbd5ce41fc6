#pragma once
// read_pool: the threads that do linecount's blocking reads, and the hop to them and back.
//
// A job is handed to the pool, run on a pool thread, and completed back on the pool's home
// executor (the io_context whose thread runs the coroutines). For a small cached file the
// whole job (open, read, close) takes a few microseconds, and waking a sleeping thread costs
// as much again (far more in a virtual machine), so the hop is built to wake nobody while
// there is work:
//   - jobs submitted on the home thread are queued together once it has run the work that
//     was ready (and jobs submitted in between are just linked in), so a burst of them takes
//     the lock once and wakes each idle thread at most once;
//   - jobs wait in one queue; a thread is woken only if it is idle;
//   - completions go home in batches: a thread that finishes a job posts the batch once it
//     holds as many completed jobs as are still queued (about half of those in flight), or
//     once the batch is a millisecond old (these numbers: src/tuning.hpp), and always before it waits or parks. A watch
//     thread (10 ms ticks, started once jobs wait with every thread busy) posts a batch that
//     nobody posted in a whole tick, so a thread blocked on a FIFO nobody writes never holds
//     back a file that is done for more than a tick or two.
//
// Opening: a thread that finds several jobs at the front of the queue that start by opening
// a file takes them together (up to 32, a fair share of the queue) and
// opens their files with one system call (io_uring, where the kernel allows it); the
// descriptors of those it finishes are closed together with one more.
//
// Sizing: cached files want one thread per core (every extra thread only adds wake-ups),
// cold storage wants dozens of reads in flight. So the pool runs up to `threads` threads
// (started as jobs come: a run over a few cached files starts none); every few reads that had to
// wait for storage (cold_read()) add one, up to `ceiling`, and a long run of cached reads
// (warm_read()) parks one again. The watch thread also adds a thread whenever the queue has
// not moved for 50 ms (every thread blocked in a read that may never end: FIFOs,
// terminals). With `ceiling == threads` the size is fixed.
//
// Completions are delivered through the home io_context, which must be running for them;
// a handler bound to another executor is then dispatched there, and that executor is kept
// busy until it has run.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace linecount {

/// Told, on a pool thread, whether the first read of a file found its data cached.
class cold_read_listener {
 public:
  /// The read had to wait for storage.
  virtual void cold_read() noexcept = 0;
  /// The data was in the page cache.
  virtual void warm_read() noexcept = 0;

 protected:
  ~cold_read_listener() = default;
};

/// One unit of blocking work. The pool links jobs through `next_`, so handing one over
/// allocates nothing.
class pool_job {
 public:
  pool_job() = default;
  pool_job(const pool_job&) = delete;
  pool_job& operator=(const pool_job&) = delete;
  pool_job(pool_job&&) = delete;
  pool_job& operator=(pool_job&&) = delete;

  /// The blocking part, on a pool thread.
  virtual void run() noexcept = 0;
  /// Afterwards, on the home executor: deliver the result (the job may delete itself).
  virtual void complete() = 0;
  /// Instead of complete(), when the pool is destroyed first: release everything.
  virtual void discard() noexcept = 0;

  // Opening in batches (optional): a pool thread holding several jobs that each start by
  // opening a file by name opens them all with one system call, then runs each that needs
  // nothing that can block; the others go back to the queue for run().
  /// The file this job opens first, if it may be opened in a batch (read-only, non-blocking,
  /// from the kernel's caches); null once asked, or if not.
  [[nodiscard]] virtual const char* path_to_open() const noexcept { return nullptr; }
  /// The batch's answer for that file: a descriptor, or -errno (-EAGAIN: not in the caches).
  virtual void opened(int result) noexcept { (void)result; }
  /// After opened(): does the job's work if none of it can block, and says so; false
  /// leaves it to run(), on whichever pool thread takes it next.
  virtual bool run_without_blocking() noexcept { return false; }

 protected:
  virtual ~pool_job() = default;

 private:
  friend class read_pool;
  pool_job* next_ = nullptr;
};

class read_pool final {
 public:
  using home_executor = boost::asio::io_context::executor_type;

  /// Runs up to `threads` threads (at least 1), started as jobs come; cold reads and stalls
  /// may add threads up to `ceiling`. Submitting a job throws std::system_error if not a
  /// single thread can be started. Completions are delivered through `home`, an io_context run by one thread,
  /// which must outlive the pool.
  read_pool(boost::asio::io_context& home, unsigned threads, unsigned ceiling = 0);
  read_pool(const read_pool&) = delete;
  read_pool& operator=(const read_pool&) = delete;
  read_pool(read_pool&&) = delete;
  read_pool& operator=(read_pool&&) = delete;
  /// Joins every thread (a job blocked for ever blocks this too); jobs not yet completed are
  /// discarded. Destroy the pool only once its home io_context has stopped running, and do
  /// not run that io_context again: handlers it still holds refer to the pool.
  ~read_pool();

  /// Where completions are delivered.
  [[nodiscard]] const home_executor& home() const noexcept { return home_; }

  /// Queues `job`; its complete() runs on the home executor once run() has returned. The
  /// home executor counts as busy until then. Callable from any thread; on the home thread
  /// the job joins the queue once the work that was ready has run.
  void submit(pool_job& job);

  /// For a job that needs no pool thread (its run() returns at once: a read that already
  /// knows it is at the end): on the home thread, run() and complete() both run there once
  /// the work that was ready has run, with the other jobs submitted meanwhile, which costs no
  /// post of its own. Quick jobs that those completions submit run in the same round, up to
  /// a few hundred jobs (~2 ms of cached small files; the batch that reaches the number runs
  /// to its end), before the other ready handlers get their turn: a run of them then goes
  /// on without a turn of the io_context per file, so the lanes that read them do not
  /// multiply one per turn, each with a buffer of its own, and records leave in batches.
  /// Elsewhere it is an ordinary submit().
  void submit_quick(pool_job& job);

  /// Whether the home thread should try a read itself, without blocking, instead of handing
  /// it to a pool thread (pooled_file's first read). Yes for the first few hundred reads of
  /// a run: a pool thread costs more to start than that many cached small files take to
  /// read. No after that: the pool's threads then keep every core busy, and work done at
  /// home only delays handing them more. Home thread only.
  [[nodiscard]] bool home_should_try() noexcept;

  /// Tells the pool that a read the home thread tried would have had to wait (cold storage):
  /// the next few go straight to the pool threads. Home thread only.
  void home_would_wait() noexcept;

  /// Called once, on the thread that first needs a pool thread, before any starts (to block
  /// signals there first, say, so that the threads inherit the mask). Set it before the
  /// first job.
  void before_first_thread(std::function<void()> hook);

  /// Memory for jobs. On the home thread, blocks are kept and reused: a job is allocated
  /// where it is submitted and freed where it completes, so the next file's job takes the
  /// block the last one left (Asio's own recycling keeps two blocks, too few for the
  /// dozens of jobs in flight). Elsewhere, plain operator new and delete.
  [[nodiscard]] void* allocate_job(std::size_t size);
  void deallocate_job(void* block, std::size_t size) noexcept;

  /// Whether a handler bound to `ex` may simply be called from deliver() on the home thread:
  /// `ex` is the home io_context's own executor (not a strand or another context).
  // Sniffed once per job rather than left to asio::dispatch: a home handler then needs no work
  // guard of its own (the pool keeps home busy) and is called directly, not type-erased through
  // its any_io_executor's vtable and tested with running_in_this_thread() at each completion.
  template <typename Executor>
  [[nodiscard]] bool is_home(const Executor& ex) const noexcept {
    using tracked = std::decay_t<decltype(boost::asio::prefer(
        std::declval<home_executor>(), boost::asio::execution::outstanding_work_t::tracked))>;
    if constexpr (std::is_same_v<Executor, home_executor> || std::is_same_v<Executor, tracked>) {
      return &ex.context() == &home_.context();
    } else if constexpr (std::is_same_v<Executor, boost::asio::any_io_executor>) {
      if (const auto* plain = ex.template target<home_executor>())
        return &plain->context() == &home_.context();
      if (const auto* counted = ex.template target<tracked>())
        return &counted->context() == &home_.context();
      return false;
    } else {
      return false;
    }
  }

  /// The threads started at first (what a large file is split for).
  [[nodiscard]] unsigned initial_threads() const noexcept;

  /// The threads that should be taking jobs now.
  [[nodiscard]] unsigned target_threads();

  /// What the pool's threads are doing now, for tests and diagnostics.
  struct census {
    unsigned started = 0;  ///< threads started so far
    unsigned parked = 0;   ///< of them, parked until the pool needs more threads again
    unsigned idle = 0;     ///< of them, waiting for a job
    std::uint64_t stalled_ticks = 0;  ///< watch ticks that found jobs waiting and none taken
  };
  [[nodiscard]] census count_threads();

  /// The listener for pooled_file (the pool grows and shrinks by what it hears); null when
  /// the pool has a fixed size.
  [[nodiscard]] cold_read_listener* listener() noexcept;

 private:
  // The queues, threads and counters live in src/io/read_pool_impl.hpp, out of this header:
  // users see only the interface, and changes to the pool's workings rebuild nothing else.
  class impl;

  const home_executor home_;  // here, not in impl: home() and is_home() (a template) are inline
  const std::unique_ptr<impl> impl_;
};

}  // namespace linecount
