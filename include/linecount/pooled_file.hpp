#pragma once
// pooled_file: a read-only file whose blocking system calls run on a read_pool.
//
// It is an Asio AsyncReadStream: async_read_some() hands open/read/close to the pool and
// completes on the handler's executor (the file's, for a handler without one), so a
// coroutine on a single-threaded io_context never blocks. A read past the end goes to no
// pool thread at all. To keep small files cheap, one trip to the pool does as much as it can: the first
// read opens the file, and (with read_policy::fill) every read fills the buffer until it is
// full or the file ends, closing the file as soon as the end (or an error) is seen. A 1 KiB
// file thus costs one hop: open + read + read(=0) + close. A stream that must hand over data
// as soon as it arrives (a list of names on a pipe) uses read_policy::available instead.
//
// A file opened by name can tell a cold_read_listener whether its first read had to wait
// for storage (preadv2 with RWF_NOWAIT finds the data outside the page cache), so the owner
// of the pool can run more threads for cold storage and few for cached files.
//
// The first read of a file opened by name is made from offset 0 without waiting (preadv2
// with RWF_NOWAIT). A file it reads is seekable and read on with pread; and a read that comes
// back short by a length that is not a whole number of pages stopped at the end of the file
// (one cut short by a page outside the page cache stops at a page boundary), so a small file
// costs open, one read and close, with no read to see its end.
//
// That first read may not need the pool at all: when the pool says the home thread should
// try (read_pool::home_should_try: the start of a run) and the read is started there, the
// file is opened and read right there if neither can block — its name resolves from the
// kernel's caches (openat2 with RESOLVE_CACHED) and its data is in the page cache. A run
// over a few cached files then starts no thread at all. Anything that would wait goes to the
// pool as before. The file is opened non-blocking there (an open of a FIFO must not wait for
// a writer); a FIFO opened so is read by a pool thread that first waits for it to be
// readable, which is what a blocking open and read would wait for. A pool thread may open
// the file the same way, in a batch with other files (see read_pool), and read it at once
// if that cannot block.

#include "linecount/read_pool.hpp"
#include "linecount/run_on_pool.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace linecount {

enum class read_policy {
  fill,       ///< read until the buffer is full or the file ends (counting whole files)
  available,  ///< complete after the first read that returns data (pipes that must not stall)
};

class pooled_file {
 public:
  using executor_type = boost::asio::any_io_executor;

  /// A file opened (read-only) by the first read. `ex` is where completions are delivered.
  pooled_file(executor_type ex, read_pool& pool, std::string path,
              read_policy policy = read_policy::fill);

  /// An open descriptor that this object reads and closes at the end.
  static pooled_file adopt(executor_type ex, read_pool& pool, int fd,
                           read_policy policy = read_policy::fill);

  /// An open descriptor that this object reads but never closes (standard input).
  static pooled_file borrow(executor_type ex, read_pool& pool, int fd,
                            read_policy policy = read_policy::fill);

  pooled_file(pooled_file&& other) noexcept;
  pooled_file& operator=(pooled_file&&) = delete;
  pooled_file(const pooled_file&) = delete;
  pooled_file& operator=(const pooled_file&) = delete;
  ~pooled_file();

  [[nodiscard]] executor_type get_executor() const noexcept { return executor_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// Hands the path back (moved out, not copied) for the caller's own use once reading is
  /// done; path() is empty afterwards.
  [[nodiscard]] std::string release_path() noexcept { return std::move(path_); }

  /// The open descriptor (-1 before the first read and after the end).
  [[nodiscard]] int native_handle() const noexcept { return fd_; }

  /// True once the end of the file (or an error) has been seen: a further read completes
  /// with asio::error::eof without any I/O or pool thread.
  [[nodiscard]] bool at_end() const noexcept { return at_end_; }

  /// Bytes handed out so far.
  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }

  /// Asks to be told whether the first read of the file waits for storage; the listener
  /// must outlive the reads. Only files opened by name are checked.
  void set_cold_read_listener(cold_read_listener* listener) noexcept { listener_ = listener; }

  /// Whether the first read of a file opened by name had to wait for storage (its data
  /// was not in the page cache).
  [[nodiscard]] bool waited_for_storage() const noexcept { return waited_for_storage_; }

  /// Whether the first read of a file opened by name found its first pages outside the
  /// page cache (the read tried without waiting was refused). Unlike waited_for_storage(),
  /// it does not depend on how fast the storage answered: the refused read itself starts
  /// the I/O, and fast storage may have finished it before the ordinary read.
  [[nodiscard]] bool found_uncached() const noexcept { return probe_refused_; }

  /// The size of a regular file, once its first read has told it (always, for one that
  /// filled a whole buffer), else 0. A hint only: the file may be growing or shrinking, and
  /// /proc files report 0.
  [[nodiscard]] std::uint64_t size_hint() const noexcept { return size_hint_; }

  /// Reads into `buffer` (as the read_policy says); completes with (error, bytes).
  /// End of file with nothing read completes with asio::error::eof. At most one read may be
  /// outstanding at a time, as for any AsyncReadStream.
  template <typename CompletionToken>
  auto async_read_some(const boost::asio::mutable_buffer& buffer, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken,
                                       void(boost::system::error_code, std::size_t)>(
        [this, buffer](auto handler) {
          const read_step blocking{this, buffer};
          using handler_type = decltype(handler);
          // Past the end, fill() only reports it, and a first read done without blocking
          // only hands over its result: no trip to a pool thread for those.
          const run_on where =
              at_end_ || try_first_read_here(buffer) ? run_on::home_thread : run_on::pool_thread;
          if constexpr (std::is_same_v<boost::asio::associated_executor_t<handler_type>,
                                       boost::asio::system_executor>) {
            // A handler with no executor of its own completes on the file's.
            async_run_on_pool(*pool_, blocking,
                              boost::asio::bind_executor(executor_, std::move(handler)), where);
          } else {
            async_run_on_pool(*pool_, blocking, std::move(handler), where);
          }
        },
        token);
  }

 private:
  using read_result = std::tuple<boost::system::error_code, std::size_t>;

  // The pool's part of one read: fill(), and, for the first read of a file opened by name,
  // what lets a pool thread open it in a batch with other files (see pool_job).
  struct read_step {
    pooled_file* file;
    boost::asio::mutable_buffer buffer;

    read_result operator()() const noexcept {
      boost::system::error_code error;
      const std::size_t size = file->fill(buffer, error);
      return {error, size};
    }
    [[nodiscard]] const char* path_to_open() const noexcept {
      return file->may_open_in_batch() ? file->path_.c_str() : nullptr;
    }
    void opened(int result) const noexcept { file->opened_in_batch(result); }
    [[nodiscard]] std::optional<read_result> run_without_blocking() const noexcept {
      return file->first_read_in_batch(buffer);
    }
  };

  pooled_file(executor_type ex, read_pool& pool, std::string path, int fd, bool owns_fd,
              read_policy policy);

  // Runs on the pool: the blocking part of one read.
  std::size_t fill(boost::asio::mutable_buffer target, boost::system::error_code& error) noexcept;
  ssize_t first_read(char* data, std::size_t size, bool& ended) noexcept;
  // Reads from offset 0 without waiting for storage (preadv2 with RWF_NOWAIT). On success
  // the file is seekable (later reads are preads), and `ended` says whether the read
  // certainly reached the end, so that no further read is needed to see it.
  ssize_t read_without_waiting(char* data, std::size_t size, bool& ended) noexcept;
  void close_now() noexcept;
  // On the home thread, before the first read goes to the pool: opens and reads the file
  // here if that cannot block. True if the read is done (its result kept for fill()).
  bool try_first_read_here(boost::asio::mutable_buffer target) noexcept;
  // Waits, on a pool thread, until a FIFO opened non-blocking can be read.
  void wait_until_readable() const noexcept;
  // Whether the first read's open may be made in a batch (not yet open, never offered).
  [[nodiscard]] bool may_open_in_batch() const noexcept;
  // A batch opened the file (result: a descriptor opened non-blocking, or -errno).
  void opened_in_batch(int result) noexcept;
  // After opened_in_batch(): the first read, if it cannot block; else nothing (fill() does it).
  std::optional<read_result> first_read_in_batch(boost::asio::mutable_buffer target) noexcept;
  // The result of an open that failed with `error`, if a blocking open would fail so too.
  bool open_failed_for_good(int error) noexcept;
  // The first read of a file just opened non-blocking, if it needs no wait: then its result.
  // Otherwise the file is set up for fill() to read it the ordinary way.
  std::optional<read_result> read_opened_without_waiting(boost::asio::mutable_buffer target) noexcept;

  executor_type executor_;
  read_pool* pool_;
  std::string path_;
  int fd_ = -1;
  bool owns_fd_ = true;
  read_policy policy_ = read_policy::fill;
  cold_read_listener* listener_ = nullptr;
  bool waited_for_storage_ = false;
  bool probe_refused_ = false;    // the first read here found the data outside the cache
  bool seekable_ = false;         // read with pread at position_ (the first read said so)
  bool fifo_nonblocking_ = false;  // a FIFO opened non-blocking: wait before each read
  bool batch_offered_ = false;     // a pool thread's batch has tried to open it
  std::optional<read_result> done_here_;  // a first read's result, from before the pool
  bool at_end_ = false;
  bool size_looked_up_ = false;
  std::uint64_t size_hint_ = 0;
  std::uint64_t position_ = 0;
};

}  // namespace linecount
