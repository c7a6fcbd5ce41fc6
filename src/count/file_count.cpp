#include "count/file_count.hpp"

#include "io/wake_signal.hpp"
#include "linecount/async_chunks.hpp"
#include "linecount/count.hpp"
#include "linecount/pooled_file.hpp"
#include "linecount/range_count.hpp"
#include "report/output.hpp"
#include "report/quote.hpp"
#include "tuning.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include <optional>
#include <unistd.h>
#include <vector>

namespace linecount::app {
namespace {

namespace asio = boost::asio;

// A read error in the words the GNU tools use ("Permission denied"), where it has them.
std::string describe(const boost::system::error_code& error) {
  if (error.category() == boost::system::system_category() ||
      error.category() == boost::system::generic_category())
    return error_text(error.value());
  return error.message();
}

std::string diagnostic_name(const operand& op) {
  switch (op.what) {
    case operand::kind::implicit_stdin: return quote_name("standard input");
    case operand::kind::named_stdin: return "-";
    default: return quote_name(op.text);
  }
}

// What to print for an operand that failed before or while it was read.
file_result failure(const operand& op, std::uint64_t index, std::string reason) {
  file_result result{
      index, op.text, op.what != operand::kind::implicit_stdin, std::nullopt, {}, {}, {}};
  result.diagnostic = fmt::format("{}: {}", diagnostic_name(op), reason);
  result.reason = std::move(reason);
  return result;
}

// What to print for a name rejected before counting (its diagnostic is ready).
file_result rejected(operand&& op, std::uint64_t index) {
  // clang-analyzer 14 takes the coroutine frame's copy of `op` for a move from it.
  // NOLINTBEGIN(clang-analyzer-cplusplus.Move)
  return {index,         std::move(op.name),   true, std::nullopt,
          std::move(op.text), std::move(op.reason), {}};
  // NOLINTEND(clang-analyzer-cplusplus.Move)
}

// Joins the ranges of one file: each completion stores its tally, the coroutine that
// owns the file waits for the last. (Asio's ranged make_parallel_group does the same and
// reads better, but cost 1.02-1.03 times the CPU time on 256 files of 4 MiB in two
// farm-bench runs of 21 and 41 pairs, AMD EPYC VM: it allocates its state per file.)
class range_join {
 public:
  range_join(const asio::any_io_executor& ex, std::size_t ranges)
      : pending_(ranges), tallies_(ranges), finished_(ex) {}
  // The completions point at it: it stays where it is until every range is done.
  range_join(const range_join&) = delete;
  range_join& operator=(const range_join&) = delete;
  range_join(range_join&&) = delete;
  range_join& operator=(range_join&&) = delete;
  ~range_join() = default;

  /// The completion handler of range `range`, run on the coroutine's executor.
  auto completion(std::size_t range) {
    return asio::bind_executor(
        finished_.executor(),
        [this, range](const boost::system::error_code& error, const range_tally& tally) {
          tallies_[range] = tally;
          if (error && !error_) error_ = error;
          --pending_;
          finished_.notify();
        });
  }

  [[nodiscard]] bool done() const noexcept { return pending_ == 0; }

  /// Completes when a range has finished (a deferred operation, like wake_signal::wait()).
  auto one_finished() { return finished_.wait(); }

  /// Once done(): every range's tally, in order; the first error is thrown.
  std::vector<range_tally> take() {
    if (error_) throw boost::system::system_error(error_);
    return std::move(tallies_);
  }

 private:
  std::size_t pending_;
  boost::system::error_code error_;
  std::vector<range_tally> tallies_;
  wake_signal finished_;
};

// Counts bytes [begin, end of file) of `fd` as up to one range per core in parallel, each
// counted on a pool thread (with readahead asked for if `cold`), and joins them. `size_hint`
// only shapes the split: the last range reads on to wherever the file really ends.
asio::awaitable<range_tally> count_in_ranges(int fd, std::uint64_t begin,
                                             std::uint64_t size_hint, bool cold,
                                             read_pool& pool, progress_meter& progress) {
  const std::vector<byte_range> plan = plan_ranges(begin, size_hint, pool.initial_threads());
  // A file on cold storage asks for sequential readahead: twice as much is read ahead.
  const range_options options{cold, progress.active() ? &progress.byte_counter() : nullptr};
  range_join join{co_await asio::this_coro::executor, plan.size()};
  for (std::size_t range = 0; range < plan.size(); ++range)
    async_count_range(pool, fd, plan[range].begin, plan[range].end, join.completion(range),
                      options);
  // Every range is waited for, even after one fails: each reads from the file's descriptor,
  // which stays open until all are done.
  while (!join.done()) co_await join.one_finished();
  const std::vector<range_tally> tallies = join.take();
  range_tally whole;  // the last byte is that of the last range that counted any
  for (const auto& tally : tallies) {
    whole.lines += tally.lines;
    whole.bytes += tally.bytes;
    if (tally.bytes > 0) whole.last = tally.last;
  }
  co_return whole;
}

}  // namespace

file_counter::file_counter(read_pool& pool, progress_meter& progress, count_options options)
    : pool_(pool),
      progress_(progress),
      options_(options),
      first_chunks_(tuning::first_chunk_size),
      large_(tuning::large_chunk_size, tuning::large_buffers),
      decompressed_(pool, progress) {}

// aiter() over the file, count every chunk, one result at the end. One coroutine for every
// kind of operand: its frame is the one Asio recycles from file to file, which it does only
// for frames of up to 1,020 bytes (Asio 1.81's recycling allocator): over that, every file
// costs a heap allocation (the Allocations test catches it). Hence one co_await of next(),
// the -z steps behind a single call, and the error kept as a code, not as its text.
asio::awaitable<file_result> file_counter::count(operand op, std::uint64_t index) {
  if (op.what == operand::kind::invalid) co_return rejected(std::move(op), index);
  if (op.what == operand::kind::unreadable) co_return failure(op, index, error_text(op.error));
  const auto ex = co_await asio::this_coro::executor;
  pooled_file file = op.what == operand::kind::file
                         ? pooled_file(ex, pool_, std::move(op.text))
                         : pooled_file::borrow(ex, pool_, STDIN_FILENO);
  file.set_cold_read_listener(pool_.listener());
  std::optional<buffer_lease> first_buffer{std::in_place, first_chunks_};
  async_chunks<pooled_file> first{file, first_buffer->get()};
  async_chunks<pooled_file>* chunks = &first;
  std::optional<buffer_lease> large_buffer;
  std::optional<async_chunks<pooled_file>> large;
  std::uint64_t lines = 0;
  std::byte last{'\n'};  // an empty file has no unterminated line
  boost::system::error_code error;  // why the file could not be read to its end
  compression format = compression::none;
  try {
    bool ended = false;  // the end was seen while reading the magic number (-z)
    for (bool first_chunk = true; !ended; first_chunk = false) {
      std::span<const std::byte> chunk = co_await chunks->next();
      if (first_chunk && options_.decompress) {
        const decompressed_counter::outcome inside = co_await decompressed_.count_if_compressed(
            file, first_buffer->get(), chunk, lines, last);
        format = inside.format;
        if (format != compression::none) break;  // counted
        chunk = inside.head;  // a plain file: counted from its first bytes on
        ended = inside.ended;
      }
      if (chunk.empty()) break;
      lines += count_newlines(chunk);
      last = chunk.back();
      progress_.bytes_counted(chunk.size());
      // Only named files: standard input is read from its current offset, which pread
      // would neither start from nor move on.
      if (op.what == operand::kind::file && !file.at_end() &&
          file.size_hint() >= tuning::split_threshold && file.position() < file.size_hint()) {
        first_buffer.reset();  // the ranges read into their threads' own buffers
        const range_tally rest =
            co_await count_in_ranges(file.native_handle(), file.position(), file.size_hint(),
                                     file.found_uncached(), pool_, progress_);
        lines += rest.lines;
        if (rest.bytes > 0) last = rest.last;  // the ranges kept the byte count themselves
        break;
      }
      // A file that stopped exactly at its size reads on only to see its end: no buffer.
      const bool more =
          !file.at_end() && !(file.size_hint() > 0 && file.position() >= file.size_hint());
      if (!large_buffer && more) {
        // The large buffers are few: a file that finds none goes on in its small one.
        large_buffer.emplace(large_);
        if (!large_buffer->get().empty()) {
          chunks = &large.emplace(file, large_buffer->get());
          first_buffer.reset();
        }
      }
    }
  } catch (const boost::system::system_error& read_error) {
    error = read_error.code();
  }
  if (op.what == operand::kind::file) op.text = file.release_path();
  // No count line for a file that could not be read to its end.
  if (error) co_return failure(op, index, describe(error));
  if (options_.count_unterminated && last != std::byte{'\n'}) ++lines;
  co_return file_result{index, std::move(op.text), op.what != operand::kind::implicit_stdin,
                        lines, {}, {}, compression_name(format)};
}

}  // namespace linecount::app
