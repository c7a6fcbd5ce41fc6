// -k, --keep-order: records in operand order while files are still counted concurrently.

#include "support/call_hold.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <random>

namespace {

using namespace linecount::testing;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

TEST(KeepOrder, RecordsFollowTheOperandsWhateverFinishesFirst) {
  temp_dir dir;
  strings args{"-k", "-j", "8"};
  std::string expected;
  std::mt19937 random{7};
  std::size_t total = 0;
  // A large file first (it finishes last), then many small ones, a missing one among them.
  const auto big = dir.write("big", text_with_lines(300'000));
  args.push_back(big);
  expected += "300000 " + big + "\n";
  total += 300'000;
  for (int i = 0; i < 300; ++i) {
    const std::size_t lines = random() % 50;
    const auto name = dir.write("f" + std::to_string(i), text_with_lines(lines));
    args.push_back(name);
    expected += std::to_string(lines) + " " + name + "\n";
    total += lines;
    if (i == 150) args.push_back(dir / "missing");
  }
  const auto result = run(args);
  EXPECT_EQ(result.out, expected + std::to_string(total) + " total\n");
  EXPECT_EQ(result.err, "linecount: " + (dir / "missing") + ": No such file or directory\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(KeepOrder, ARecordWaitsOnlyForTheOnesBeforeIt) {
  temp_dir dir;
  const auto first = dir.write("first", "1\n");
  held_fifo fifo{dir / "fifo"};
  const auto last = dir.write("last", "1\n2\n3\n");
  // `last` is counted while the FIFO waits: held just after its first read, it is
  // certainly under way (the hold may stop the loop itself: a cached file is read there).
  call_hold hold{dir, "read", last, 1, call_hold::after};
  invocation what;
  what.args = {"-k", first, fifo.path(), last};
  what.env = hold.environment();
  session run{what};
  ASSERT_TRUE(hold.wait_until_held());
  hold.release();
  // `first` is before the FIFO: out at once. `last` must wait for the FIFO.
  EXPECT_EQ(run.read_line(), "1 " + first);
  EXPECT_EQ(run.read_line(300ms), std::nullopt);
  fifo.write("a\nb\n");
  fifo.close();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "2 " + fifo.path() + "\n3 " + last + "\n6 total\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(KeepOrder, WithoutItARecordDoesNotWaitForASlowerFile) {
  temp_dir dir;
  held_fifo fifo{dir / "fifo"};
  const auto quick = dir.write("quick", "1\n");
  session run{{fifo.path(), quick}};
  EXPECT_EQ(run.read_line(), "1 " + quick);
  fifo.write("a\n");
  fifo.close();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1 " + fifo.path() + "\n2 total\n");
}

TEST(KeepOrder, ErrorMessagesComeInOrderToo) {
  // On one stream (2>&1): the message for `missing` waits for the FIFO's record before it,
  // though `missing` fails at once. The test feeds the FIFO only once linecount has tried to
  // open `missing` (held just after that open), so the message is known before the record.
  temp_dir dir;
  held_fifo fifo{dir / "fifo"};
  const auto missing = dir / "missing";
  call_hold hold{dir, "open", missing, 1, call_hold::after};
  invocation what;
  what.args = {"-k", fifo.path(), missing};
  what.env = hold.environment();
  what.merge_stderr = true;
  session run{what};
  ASSERT_TRUE(hold.wait_until_held());
  hold.release();
  EXPECT_EQ(run.read_line(300ms), std::nullopt) << "nothing may come before the FIFO's record";
  fifo.write("a\n");
  fifo.close();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1 " + fifo.path() + "\nlinecount: " + missing +
                            ": No such file or directory\n1 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(KeepOrder, WorksWithAStreamedListAndFewJobs) {
  temp_dir dir;
  std::string list;
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    const auto name = dir.write("n" + std::to_string(i), text_with_lines(static_cast<std::size_t>(i % 7)));
    list += name + '\0';
    expected += std::to_string(i % 7) + " " + name + "\n";
  }
  invocation what;
  what.args = {"--keep-order", "--jobs=3", "--files0-from=-", "--total=never"};
  what.stdin_data = list;
  const auto result = run(what);
  EXPECT_EQ(result.out, expected);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(KeepOrder, MessagesAndRecordsInterleaveInOrderOnOneStream) {
  temp_dir dir;
  const auto a = dir.write("a", "1\n");
  const auto b = dir.write("b", "1\n2\n");
  const auto result = run_shell("\"$LC\" -k '" + a + "' '" + (dir / "missing") + "' '" + b +
                                "' 2>&1 | cat");
  EXPECT_EQ(result.out, "1 " + a + "\nlinecount: " + (dir / "missing") +
                            ": No such file or directory\n2 " + b + "\n3 total\n");
}

}  // namespace
