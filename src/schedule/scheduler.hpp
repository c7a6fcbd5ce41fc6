#pragma once
// The scheduler: which operand is counted when. Up to --jobs lanes (coroutines on the one
// io_context thread) each take an operand, have it counted, hand the result to the printer,
// and take the next. Operands that read standard input queue for a lane of their own, as
// standard input is one stream. Everything here runs on the io_context's thread: no locks.
//
// The contract with the printer (result_sink) is what bounds memory: an operand holds a
// slot from the moment it is taken until its record is printed, and at most --jobs slots
// are held. With --keep-order the printer holds back a result that finished before an
// earlier one; its slot stays taken until take() reports it printed.

#include "cli/operands.hpp"
#include "count/operand_counter.hpp"
#include "io/wake_signal.hpp"
#include "report/file_result.hpp"
#include "report/progress.hpp"
#include "report/result_sink.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <deque>
#include <optional>

namespace linecount::app {

class scheduler {
 public:
  /// `jobs` is --jobs: lanes at most, and operands taken but not yet printed at most.
  scheduler(boost::asio::io_context& io, operand_source& source, operand_counter& counter,
            result_sink& sink, progress_meter& progress, unsigned jobs);
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;

  /// Spawns the first lane on the io_context; run the io_context to count everything. An
  /// exception that escapes a lane (out of memory, say) escapes io_context::run().
  void start();

  /// Whether reading the operands themselves failed (an unreadable --files0-from list):
  /// the files already taken were still counted and reported.
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  // An operand and its place among all operands (for --keep-order).
  struct numbered_operand {
    operand op;
    std::uint64_t index;
  };

  // An operand may be taken now: a slot is free for it, and no lane is reading on in the
  // list (that lane hands out the next names itself).
  [[nodiscard]] bool may_take() const noexcept {
    return !reading_list_ && !operands_ended_ && in_flight_ < jobs_;
  }

  numbered_operand number(operand op);
  void end_of_operands();
  std::optional<numbered_operand> take_ready();
  boost::asio::awaitable<std::optional<numbered_operand>> take();
  void finished(file_result result);
  boost::asio::awaitable<void> lane();
  boost::asio::awaitable<void> stdin_lane();
  void spawn(boost::asio::awaitable<void> coroutine);

  boost::asio::io_context& io_;
  operand_source& source_;
  operand_counter& counter_;
  result_sink& sink_;
  progress_meter& progress_;
  const unsigned jobs_;
  wake_signal operand_wanted_;  // lanes wait here for a slot or the list
  std::uint64_t operands_ = 0;
  unsigned in_flight_ = 0;      // taken and not yet printed
  unsigned lanes_ = 0;          // lanes running
  unsigned lanes_taking_ = 0;   // of them, looking for their next operand
  bool reading_list_ = false;   // a lane waits for more of the list; the others wait for it
  bool operands_ended_ = false;
  std::deque<numbered_operand> stdin_queue_;  // for the lane of standard input, in order
  bool stdin_lane_running_ = false;
  bool failed_ = false;
};

}  // namespace linecount::app
