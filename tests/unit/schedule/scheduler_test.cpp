#include "schedule/scheduler.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

// The scheduler on its own: operands from the command line, a counter that finishes an
// operand only when the test releases it, and a sink that prints at once or, like
// --keep-order, holds a result back until those before it are in. Everything runs on one
// thread; settle() runs what is ready until every lane waits for the test (run() would not
// return: a spawned coroutine keeps the io_context busy until it ends).

namespace {

using namespace linecount::app;

class held_counter final : public operand_counter {
 public:
  explicit held_counter(boost::asio::io_context& io) : released_(io.get_executor()) {}

  boost::asio::awaitable<file_result> count(operand op, std::uint64_t index) override {
    counting_.insert(index);
    started_.push_back(op.text);
    max_counting_ = std::max(max_counting_, counting_.size());
    while (!release_.contains(index)) co_await released_.wait();
    counting_.erase(index);
    co_return file_result{index, std::move(op.text), true, index, {}, {}, {}};
  }

  void release(std::uint64_t index) {
    release_.insert(index);
    released_.notify_all();
  }

  [[nodiscard]] const std::set<std::uint64_t>& counting() const { return counting_; }
  [[nodiscard]] const std::vector<std::string>& started() const { return started_; }
  [[nodiscard]] std::size_t max_counting() const { return max_counting_; }

 private:
  wake_signal released_;
  std::set<std::uint64_t> release_;
  std::set<std::uint64_t> counting_;
  std::vector<std::string> started_;
  std::size_t max_counting_ = 0;
};

class recording_sink final : public result_sink {
 public:
  explicit recording_sink(bool keep_order) : keep_order_(keep_order) {}

  std::size_t take(file_result& result) override {
    if (!keep_order_) {
      printed_.push_back(result.index);
      return 1;
    }
    held_.insert(result.index);
    std::size_t printed = 0;
    while (held_.erase(printed_.size()) == 1) {
      printed_.push_back(printed_.size());
      ++printed;
    }
    return printed;
  }

  [[nodiscard]] const std::vector<std::uint64_t>& printed() const { return printed_; }

 private:
  bool keep_order_;
  std::set<std::uint64_t> held_;
  std::vector<std::uint64_t> printed_;
};

void settle_all(boost::asio::io_context& io) {
  while (io.poll() > 0) {
  }
}

std::vector<std::string> names(std::size_t count) {
  std::vector<std::string> result;
  for (std::size_t i = 0; i < count; ++i) result.push_back("f" + std::to_string(i));
  return result;
}

struct run {
  run(std::vector<std::string> operands, bool keep_order, unsigned jobs)
      : source(std::move(operands)), counter(io), sink(keep_order),
        lanes(io, source, counter, sink, progress, jobs) {
    lanes.start();
    settle();
  }
  void settle() { settle_all(io); }
  void release(std::uint64_t index) {
    counter.release(index);
    settle();
  }

  boost::asio::io_context io{1};
  progress_meter progress{-1, false};
  argument_operands source;
  held_counter counter;
  recording_sink sink;
  scheduler lanes;
};

TEST(Scheduler, NeverCountsMoreOperandsThanJobsAtOnce) {
  run r{names(10), false, 3};
  EXPECT_EQ(r.counter.counting(), (std::set<std::uint64_t>{0, 1, 2}));
  r.release(1);
  EXPECT_EQ(r.counter.counting(), (std::set<std::uint64_t>{0, 2, 3}));
  for (std::uint64_t i = 0; i < 10; ++i) r.release(i);
  EXPECT_EQ(r.counter.max_counting(), 3U);
  EXPECT_EQ(r.sink.printed().size(), 10U);
  EXPECT_EQ(r.counter.started(), names(10));  // taken in the order given
  EXPECT_FALSE(r.lanes.failed());
}

TEST(Scheduler, AResultTheSinkHoldsBackKeepsItsSlotUntilPrinted) {
  run r{names(5), true, 2};
  EXPECT_EQ(r.counter.counting(), (std::set<std::uint64_t>{0, 1}));
  r.release(1);  // finished, but waits for 0: no slot is free
  EXPECT_EQ(r.counter.counting(), (std::set<std::uint64_t>{0}));
  EXPECT_TRUE(r.sink.printed().empty());
  r.release(0);  // prints 0 and 1: two slots free
  EXPECT_EQ(r.counter.counting(), (std::set<std::uint64_t>{2, 3}));
  EXPECT_EQ(r.sink.printed(), (std::vector<std::uint64_t>{0, 1}));
  for (std::uint64_t i = 2; i < 5; ++i) r.release(i);
  EXPECT_EQ(r.sink.printed(), (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
}

TEST(Scheduler, StandardInputOperandsAreCountedOneAfterAnotherInOrder) {
  run r{{"-", "a", "-", "b"}, false, 4};
  // Both files and the first "-" count at once; the second "-" waits its turn.
  EXPECT_EQ(r.counter.counting(), (std::set<std::uint64_t>{0, 1, 3}));
  r.release(2);  // not started yet: releasing it early changes nothing
  EXPECT_EQ(r.counter.counting(), (std::set<std::uint64_t>{0, 1, 3}));
  r.release(0);
  EXPECT_EQ(r.counter.started().back(), "-");
  EXPECT_EQ(r.sink.printed(), (std::vector<std::uint64_t>{0, 2}));
  r.release(1);
  r.release(3);
  EXPECT_EQ(r.sink.printed().size(), 4U);
}

class failing_source final : public operand_source {
 public:
  boost::asio::awaitable<std::optional<operand>> next() override {
    if (given_ == 2) throw fatal_error("list: read error: Input/output error");
    co_return operand{operand::kind::file, "f" + std::to_string(given_++)};
  }

 private:
  int given_ = 0;
};

TEST(Scheduler, AFailingOperandListStopsTakingButFinishesWhatWasTaken) {
  boost::asio::io_context io{1};
  progress_meter progress{-1, false};
  failing_source source;
  held_counter counter{io};
  recording_sink sink{false};
  scheduler lanes{io, source, counter, sink, progress, 4};
  lanes.start();
  settle_all(io);
  EXPECT_EQ(counter.started(), (std::vector<std::string>{"f0", "f1"}));
  EXPECT_TRUE(lanes.failed());
  counter.release(0);
  counter.release(1);
  settle_all(io);
  EXPECT_EQ(sink.printed().size(), 2U);
}

}  // namespace
