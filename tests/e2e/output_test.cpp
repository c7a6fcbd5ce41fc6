// Standard output: whole records, completion order, and GNU's handling of write errors.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <map>
#include <sys/stat.h>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

TEST(Output, FullDeviceIsAWriteError) {
  invocation what;
  what.args = {"/dev/null"};
  what.stdout_path = "/dev/full";
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: write error: No space left on device\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Output, AFullDeviceStopsTheRunAtTheFirstFailedWrite) {
  // Thousands of operands, and a FIFO that nobody ever writes at the end: only stopping at
  // the first failed write ends this run (the harness would kill it at its deadline).
  temp_dir dir;
  strings args;
  for (int i = 0; i < 3000; ++i) args.push_back(dir.write("f" + std::to_string(i), "x\n"));
  args.push_back(dir / "never-written");
  ASSERT_EQ(::mkfifo(args.back().c_str(), 0600), 0);
  invocation what;
  what.args = args;
  what.stdout_path = "/dev/full";
  const auto result = run(what);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.err, "linecount: write error: No space left on device\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Output, ClosedStandardOutputIsAWriteError) {
  invocation what;
  what.args = {"/dev/null"};
  what.close_stdout = true;
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: write error: Bad file descriptor\n");
  EXPECT_EQ(result.exit_code, 1);
}

// More output than a pipe holds, so linecount is still writing when the reader leaves.
strings many_long_names(const temp_dir& dir, int count) {
  strings files;
  const std::string padding(180, 'p');
  for (int i = 0; i < count; ++i)
    files.push_back(dir.write(padding + std::to_string(i), "x\n"));
  return files;
}

TEST(Output, EarlyReaderExitEndsLinecountQuietlyBySigpipe) {
  temp_dir dir;
  invocation what;
  what.args = many_long_names(dir, 2000);
  what.stdout_keep = 10;  // like `| head -c 10`
  const auto result = run(what);
  EXPECT_EQ(result.signal, SIGPIPE);
  EXPECT_EQ(result.err, "");
}

TEST(Output, EarlyReaderExitWithSigpipeIgnoredIsAWriteError) {
  temp_dir dir;
  invocation what;
  what.args = many_long_names(dir, 2000);
  what.stdout_keep = 10;
  what.ignore_sigpipe = true;
  const auto result = run(what);
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.err, "linecount: write error: Broken pipe\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Output, HeadOneInAShellPipeline) {
  temp_dir dir;
  const auto files = many_long_names(dir, 2000);
  const auto result = run_shell("cd '" + dir.path().string() + "' && \"$LC\" * | head -1");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(result.out).size(), 1U);
  EXPECT_TRUE(result.out.starts_with("1 p")) << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(Output, ConcurrentRecordsAreNeverGarbled) {
  temp_dir dir;
  std::map<std::string, std::size_t> expected;
  strings files;
  for (std::size_t i = 0; i < 2000; ++i) {
    const auto file = dir.write("file" + std::to_string(i), text_with_lines(i % 97));
    expected[file] = i % 97;
    files.push_back(file);
  }
  invocation what;
  what.args = files;
  what.args.insert(what.args.begin(), {"--jobs=16", "--threads=4"});
  const auto result = run(what);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::size_t total = 0;
  std::size_t records = 0;
  std::istringstream lines{result.out};
  std::string line;
  while (std::getline(lines, line)) {
    const auto space = line.find(' ');
    ASSERT_NE(space, std::string::npos) << line;
    const auto count = std::stoul(line.substr(0, space));
    const auto name = line.substr(space + 1);
    if (name == "total") {
      EXPECT_EQ(count, total);
      EXPECT_FALSE(std::getline(lines, line)) << "the total must come last";
      break;
    }
    ASSERT_EQ(expected.count(name), 1U) << "garbled record: " << line;
    EXPECT_EQ(expected[name], count) << name;
    total += count;
    ++records;
  }
  EXPECT_EQ(records, files.size());
}

TEST(Output, EachFileIsPrintedAsSoonAsItIsDone) {
  temp_dir dir;
  held_fifo fifo{dir / "slow"};
  const auto quick = dir.write("quick", "a\n");
  session run{{fifo.path(), quick}};
  // The FIFO has no data yet, so it cannot finish; the quick file's record comes anyway.
  EXPECT_EQ(run.read_line(), "1 " + quick);
  fifo.write("1\n2\n3\n");
  fifo.close();
  const auto rest = run.finish();
  EXPECT_EQ(rest.out, "3 " + fifo.path() + "\n4 total\n");
  EXPECT_EQ(rest.exit_code, 0);
}

TEST(Output, FifosThatNeverEndDoNotHoldBackOtherFiles) {
  // More blocked operands than the pool starts with threads: the pool grows past them.
  temp_dir dir;
  strings args;
  for (int i = 0; i < 5; ++i) {
    args.push_back(dir / ("fifo" + std::to_string(i)));
    ASSERT_EQ(::mkfifo(args.back().c_str(), 0600), 0);
  }
  const auto quick = dir.write("quick", "a\nb\n");
  args.push_back(quick);
  session run{args};
  EXPECT_EQ(run.read_line(), "2 " + quick);
  run.send_signal(SIGTERM);
  EXPECT_EQ(run.finish().signal, SIGTERM);
}

}  // namespace
