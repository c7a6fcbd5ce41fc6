#include "runner.hpp"

#include "buffer_pool.hpp"
#include "linecount/async_chunks.hpp"
#include "linecount/count.hpp"
#include "linecount/pooled_file.hpp"
#include "linecount/quote.hpp"
#include "linecount/range_count.hpp"
#include "linecount/read_pool.hpp"
#include "interrupts.hpp"
#include "operands.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "read_sizes.hpp"
#include "results.hpp"
#include "retry_on_eintr.hpp"
#include "walk.hpp"
#include "wake_signal.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <memory>
#include <fcntl.h>
#include <unistd.h>

namespace linecount::app {
namespace {

namespace asio = boost::asio;

// An operand and its place among all operands (for --keep-order).
struct numbered_operand {
  operand op;
  std::uint64_t index;
};

// Everything the coroutines of one run share. They all run on the one io_context thread,
// so none of this needs a lock.
struct run_state {
  asio::io_context& io;
  read_pool& pool;
  result_printer& printer;
  progress_meter& progress;
  unsigned jobs;
  bool count_unterminated;
  operand_source* source = nullptr;  // where the operands come from (and names go back)
  // First-chunk buffers are leased per file, not owned per lane: a lane whose file is counted
  // in ranges, or reads on in a large buffer, holds none while it waits.
  buffer_pool first_chunks{first_chunk_size};
  buffer_pool large{large_chunk_size, large_buffers};
  wake_signal operand_wanted{io.get_executor()};  // lanes wait here for a slot or the list
  std::uint64_t operands = 0;
  unsigned in_flight = 0;      // taken and not yet printed
  unsigned lanes = 0;          // lanes running
  unsigned lanes_taking = 0;   // of them, looking for their next operand
  bool reading_list = false;   // a lane waits for more of the list; the others wait for it
  bool operands_ended = false;
  std::deque<numbered_operand> stdin_queue{};  // for the lane of standard input, in order
  bool stdin_lane_running = false;
  bool failed = false;  // something failed that is not any one operand's result

  // An operand may be taken now: a slot is free for it, and no lane is reading on in the
  // list (that lane hands out the next names itself).
  [[nodiscard]] bool may_take() const noexcept {
    return !reading_list && !operands_ended && in_flight < jobs;
  }

  numbered_operand number(operand op) {
    ++in_flight;
    progress.operand_known();
    return {std::move(op), operands++};
  }

  void end_of_operands() {
    operands_ended = true;
    progress.operands_complete();
  }

  // One operand is through: print what is due and free the slots of what was printed; the
  // name goes back to the source, for the memory of a later name.
  void finished(file_result result) {
    progress.operand_done();
    const std::size_t printed = printer.take(result);
    in_flight -= static_cast<unsigned>(printed);
    if (source != nullptr) source->give_back(std::move(result.name));
    operand_wanted.notify(printed);
  }
};

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

// Counts bytes [begin, end of file) of `fd` as up to one range per core in parallel, each
// counted on a pool thread (with readahead asked for if `cold`), and joins them. `size_hint` only
// shapes the split: the last range reads on to wherever the file really ends.
asio::awaitable<range_tally> count_in_ranges(int fd, std::uint64_t begin,
                                             std::uint64_t size_hint, bool cold,
                                             run_state& state) {
  const auto ex = co_await asio::this_coro::executor;
  const std::vector<byte_range> plan = plan_ranges(begin, size_hint, state.pool.initial_threads());
  // A file on cold storage asks for sequential readahead: twice as much is read ahead.
  const range_options options{
      cold, state.progress.active() ? &state.progress.byte_counter() : nullptr};
  struct joined {
    std::uint64_t pending;
    boost::system::error_code error;
    wake_signal finished;
  } join{plan.size(), {}, wake_signal{ex}};
  std::vector<range_tally> tallies(plan.size());
  for (std::size_t range = 0; range < plan.size(); ++range) {
    async_count_range(state.pool, fd, plan[range].begin, plan[range].end,
                      asio::bind_executor(ex, [&join, &tallies, range](
                                                  const boost::system::error_code& error,
                                                  const range_tally& tally) {
                        tallies[range] = tally;
                        if (error && !join.error) join.error = error;
                        --join.pending;
                        join.finished.notify();
                      }),
                      options);
  }
  while (join.pending > 0) co_await join.finished.wait();
  if (join.error) throw boost::system::system_error(join.error);
  range_tally whole;  // the last byte is that of the last range that counted any
  for (const auto& tally : tallies) {
    whole.lines += tally.lines;
    whole.bytes += tally.bytes;
    if (tally.bytes > 0) whole.last = tally.last;
  }
  co_return whole;
}

// What to print for an operand that failed before or while it was read.
file_result failure(const operand& op, std::uint64_t index, std::string reason) {
  file_result result{index, op.text, op.what != operand::kind::implicit_stdin, std::nullopt, {}, {}};
  result.diagnostic = fmt::format("{}: {}", diagnostic_name(op), reason);
  result.reason = std::move(reason);
  return result;
}

// The coroutine of one file: aiter() over it, count every chunk, one result at the end.
// The first chunk goes into a small buffer; a file that goes on is read in large chunks if
// a large buffer is free. A large regular file, once its first chunk shows its size, is
// counted in ranges instead.
asio::awaitable<void> count_operand(operand op, std::uint64_t index, run_state& state) {
  const auto ex = co_await asio::this_coro::executor;
  pooled_file file = op.what == operand::kind::file
                         ? pooled_file(ex, state.pool, std::move(op.text))
                         : pooled_file::borrow(ex, state.pool, STDIN_FILENO);
  file.set_cold_read_listener(state.pool.listener());
  std::optional<buffer_lease> first_buffer{std::in_place, state.first_chunks};
  async_chunks<pooled_file> first{file, first_buffer->get()};
  async_chunks<pooled_file>* chunks = &first;
  std::optional<buffer_lease> large_buffer;
  std::optional<async_chunks<pooled_file>> large;
  std::uint64_t lines = 0;
  std::byte last{'\n'};  // an empty file has no unterminated line
  std::optional<std::string> error;
  try {
    for (;;) {
      const auto chunk = co_await chunks->next();
      if (chunk.empty()) break;
      lines += count_newlines(chunk);
      last = chunk.back();
      state.progress.bytes_counted(chunk.size());
      // Only named files: standard input is read from its current offset, which pread
      // would neither start from nor move on.
      if (op.what == operand::kind::file && !file.at_end() &&
          file.size_hint() >= split_threshold && file.position() < file.size_hint()) {
        first_buffer.reset();  // the ranges read into their threads' own buffers
        const range_tally rest =
            co_await count_in_ranges(file.native_handle(), file.position(), file.size_hint(),
                                     file.waited_for_storage(), state);
        lines += rest.lines;
        if (rest.bytes > 0) last = rest.last;  // the ranges kept the byte count themselves
        break;
      }
      // A file that stopped exactly at its size reads on only to see its end: no buffer.
      const bool more = !file.at_end() && !(file.size_hint() > 0 && file.position() >= file.size_hint());
      if (!large_buffer && more) {
        large_buffer.emplace(state.large);
        if (!large_buffer->get().empty()) {
          chunks = &large.emplace(file, large_buffer->get());
          first_buffer.reset();
        }
      }
    }
  } catch (const boost::system::system_error& read_error) {
    error = describe(read_error.code());
  }
  if (op.what == operand::kind::file) op.text = file.release_path();
  if (error) {  // no count line for a file that could not be read to its end
    state.finished(failure(op, index, std::move(*error)));
    co_return;
  }
  if (state.count_unterminated && last != std::byte{'\n'}) ++lines;
  state.finished({index, std::move(op.text), op.what != operand::kind::implicit_stdin, lines, {}, {}});
}

// Takes the next operand if one is at hand and may be taken now.
std::optional<numbered_operand> take_ready(operand_source& source, run_state& state) {
  if (!state.may_take()) return std::nullopt;
  if (auto next = source.ready()) return state.number(std::move(*next));
  return std::nullopt;
}

// The same, waiting for a slot or for the list to be read on; nothing at the end.
asio::awaitable<std::optional<numbered_operand>> take_operand(operand_source& source,
                                                               run_state& state) {
  for (;;) {
    if (auto next = take_ready(source, state)) co_return next;
    if (state.operands_ended) co_return std::nullopt;
    if (!state.may_take()) {
      co_await state.operand_wanted.wait();
      continue;
    }
    // None at hand: this lane reads on in the list.
    state.reading_list = true;
    std::optional<operand> next;
    try {
      next = co_await source.next();
    } catch (const fatal_error& error) {
      report(error.what());
      state.failed = true;  // the files already started still finish and are reported
    }
    state.reading_list = false;
    if (!next) state.end_of_operands();
    state.operand_wanted.notify_all();  // the lanes that waited for the list look again
    if (next) co_return state.number(std::move(*next));
  }
}

// Standard input is one stream: its operands ("-", or none given) are read one after
// another, in the order given, by a lane of their own.
asio::awaitable<void> stdin_lane(run_state& state) {
  while (!state.stdin_queue.empty()) {
    numbered_operand next = std::move(state.stdin_queue.front());
    state.stdin_queue.pop_front();
    co_await count_operand(std::move(next.op), next.index, state);
  }
  state.stdin_lane_running = false;
}

void spawn(asio::awaitable<void> coroutine, run_state& state) {
  asio::co_spawn(state.io, std::move(coroutine), [](const std::exception_ptr& error) {
    if (error) std::rethrow_exception(error);
  });
}

// A lane counts one operand after another, each in a coroutine of its own, and takes the
// next the moment one is through: the coroutine frame just freed is the one the next file
// gets (Asio recycles it), so a file costs no heap allocation. A lane that takes an operand
// while no other lane is looking for one starts another, up to --jobs lanes.
asio::awaitable<void> lane(operand_source& source, run_state& state) {
  for (;;) {
    std::optional<numbered_operand> next = take_ready(source, state);
    if (!next) next = co_await take_operand(source, state);
    if (!next) break;
    if (--state.lanes_taking == 0 && state.lanes < state.jobs) {
      ++state.lanes;
      ++state.lanes_taking;
      // Posted: co_spawn would run the new lane at once, taking later operands before this
      // one is even started.
      asio::post(state.io, [&source, &state] { spawn(lane(source, state), state); });
    }
    switch (next->op.what) {
      case operand::kind::invalid:
        state.finished({next->index, std::move(next->op.name), true, std::nullopt,
                        std::move(next->op.text), std::move(next->op.reason)});
        break;
      case operand::kind::unreadable:
        state.finished(failure(next->op, next->index, error_text(next->op.error)));
        break;
      case operand::kind::named_stdin:
      case operand::kind::implicit_stdin:
        state.stdin_queue.push_back(std::move(*next));
        if (!state.stdin_lane_running) {
          state.stdin_lane_running = true;
          spawn(stdin_lane(state), state);
        }
        break;
      case operand::kind::file:
        co_await count_operand(std::move(next->op), next->index, state);
        break;
    }
    ++state.lanes_taking;
  }
  --state.lanes_taking;
  --state.lanes;
}

// Opens the --files0-from list; GNU's message and a failed run if it cannot be opened.
std::unique_ptr<operand_source> open_list(const std::string& name, asio::io_context& io,
                                          read_pool& pool) {
  if (name == "-")
    return std::make_unique<files0_operands>(
        pooled_file::borrow(io.get_executor(), pool, STDIN_FILENO,
                            read_policy::available),
        name);
  const int fd =
      retry_on_eintr([&name] { return ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY); });
  if (fd < 0) {
    report(fmt::format("cannot open {} for reading: {}", quote_always(name),
                       error_text(errno)));
    return nullptr;
  }
  return std::make_unique<files0_operands>(
      pooled_file::adopt(io.get_executor(), pool, fd, read_policy::available),
      name);
}

}  // namespace

int run(const options& opts) {
  asio::io_context io{1};  // one thread runs every coroutine
  record_writer out{io.get_executor(), STDOUT_FILENO};
  progress_meter progress{STDERR_FILENO, opts.progress};
  interrupt_watch interrupts{io.get_executor(), [&out, &progress] {
                               progress.stop();
                               out.flush();
                             }};
  // Signals are taken over before any other thread starts: they inherit the blocked set.
  if (opts.progress) interrupts.arm();
  progress.start();
  read_pool pool{io, opts.threads.value_or(default_threads()),
                 opts.threads.value_or(std::min(opts.jobs, max_default_threads()))};
  pool.before_first_thread([&interrupts] { interrupts.arm(); });
  result_printer printer{out, output_style{opts.json ? record_format::json : record_format::text,
                                           opts.null_terminated ? '\0' : '\n', opts.total,
                                           opts.keep_order, out.terminal()}};
  run_state state{io, pool, printer, progress, opts.jobs, opts.count_unterminated};

  std::unique_ptr<operand_source> source;
  if (opts.files0_from) {
    source = open_list(*opts.files0_from, io, pool);
    if (!source) return EXIT_FAILURE;
  } else {
    source = std::make_unique<argument_operands>(opts.files);
  }
  if (opts.recursive)
    source = std::make_unique<recursive_operands>(std::move(source), pool);

  state.source = source.get();
  state.lanes = state.lanes_taking = 1;
  spawn(lane(*source, state), state);
  try {
    io.run();
  } catch (const std::exception& error) {
    // Not a file's error (those are reported per file): out of memory, say. Stop here, before
    // unwinding frees buffers that read threads may still be filling.
    progress.stop();
    out.flush();
    report(error.what());
    std::_Exit(EXIT_FAILURE);
  }

  progress.stop();
  printer.finish();
  out.flush();
  return state.failed || printer.failures() > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

}  // namespace linecount::app
