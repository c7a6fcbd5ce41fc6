#include "schedule/scheduler.hpp"

#include "report/output.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <exception>
#include <utility>

namespace linecount::app {

namespace asio = boost::asio;

scheduler::scheduler(asio::io_context& io, operand_source& source, operand_counter& counter,
                     result_sink& sink, progress_meter& progress, unsigned jobs)
    : io_(io),
      source_(source),
      counter_(counter),
      sink_(sink),
      progress_(progress),
      jobs_(jobs),
      operand_wanted_(io.get_executor()) {}

void scheduler::start() {
  lanes_ = lanes_taking_ = 1;
  spawn(lane());
}

scheduler::numbered_operand scheduler::number(operand op) {
  ++in_flight_;
  progress_.operand_known();
  return {std::move(op), operands_++};
}

void scheduler::end_of_operands() {
  operands_ended_ = true;
  progress_.operands_complete();
}

// One operand is through: the sink prints what is due, and the slots of what it printed are
// free; the name goes back to the source, for the memory of a later name.
void scheduler::finished(file_result result) {
  progress_.operand_done();
  const std::size_t printed = sink_.take(result);
  in_flight_ -= static_cast<unsigned>(printed);
  source_.give_back(std::move(result.name));
  operand_wanted_.notify(printed);
}

// Takes the next operand if one is at hand and may be taken now.
std::optional<scheduler::numbered_operand> scheduler::take_ready() {
  if (!may_take()) return std::nullopt;
  if (auto next = source_.ready()) return number(std::move(*next));
  return std::nullopt;
}

// The same, waiting for a slot or for the list to be read on; nothing at the end.
asio::awaitable<std::optional<scheduler::numbered_operand>> scheduler::take() {
  for (;;) {
    if (auto next = take_ready()) co_return next;
    if (operands_ended_) co_return std::nullopt;
    if (!may_take()) {
      co_await operand_wanted_.wait();
      continue;
    }
    // None at hand: this lane reads on in the list.
    reading_list_ = true;
    std::optional<operand> next;
    try {
      next = co_await source_.next();
    } catch (const fatal_error& error) {
      report(error.what());
      failed_ = true;  // the files already started still finish and are reported
    }
    reading_list_ = false;
    if (!next) end_of_operands();
    operand_wanted_.notify_all();  // the lanes that waited for the list look again
    if (next) co_return number(std::move(*next));
  }
}

// Standard input is one stream: its operands ("-", or none given) are read one after
// another, in the order given, by a lane of their own.
asio::awaitable<void> scheduler::stdin_lane() {
  while (!stdin_queue_.empty()) {
    numbered_operand next = std::move(stdin_queue_.front());
    stdin_queue_.pop_front();
    finished(co_await counter_.count(std::move(next.op), next.index));
  }
  stdin_lane_running_ = false;
}

void scheduler::spawn(asio::awaitable<void> coroutine) {
  asio::co_spawn(io_, std::move(coroutine), [](const std::exception_ptr& error) {
    if (error) std::rethrow_exception(error);
  });
}

// A lane counts one operand after another and takes the next the moment one is through:
// the coroutine frame just freed is the one the next file gets (Asio recycles it), so a file
// costs no heap allocation. A lane that takes an operand while no other lane is looking for
// one starts another, up to --jobs lanes.
asio::awaitable<void> scheduler::lane() {
  for (;;) {
    std::optional<numbered_operand> next = take_ready();
    if (!next) next = co_await take();
    if (!next) break;
    if (--lanes_taking_ == 0 && lanes_ < jobs_) {
      ++lanes_;
      ++lanes_taking_;
      // Posted: co_spawn would run the new lane at once, taking later operands before this
      // one is even started.
      asio::post(io_, [this] { spawn(lane()); });
    }
    const auto what = next->op.what;
    if (what == operand::kind::named_stdin || what == operand::kind::implicit_stdin) {
      stdin_queue_.push_back(std::move(*next));
      if (!stdin_lane_running_) {
        stdin_lane_running_ = true;
        spawn(stdin_lane());
      }
    } else {
      finished(co_await counter_.count(std::move(next->op), next->index));
    }
    ++lanes_taking_;
  }
  --lanes_taking_;
  --lanes_;
}

}  // namespace linecount::app
