// Bounded resources: descriptors, jobs and threads.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

strings empty_files(const temp_dir& dir, int count) {
  strings files;
  for (int i = 0; i < count; ++i) files.push_back(dir.write("e" + std::to_string(i), ""));
  return files;
}

TEST(Resources, TwoThousandFilesUnderALowDescriptorLimit) {
  temp_dir dir;
  invocation what;
  what.args = empty_files(dir, 2000);
  what.open_file_limit = 32;
  const auto result = run(what);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(result.out).size(), 2001U);
  EXPECT_TRUE(result.out.ends_with("0 total\n"));
}

TEST(Resources, JobsAboveTheDescriptorLimitAreLowered) {
  temp_dir dir;
  invocation what;
  what.args = empty_files(dir, 500);
  what.args.insert(what.args.begin(), "--jobs=100000");
  what.open_file_limit = 20;
  const auto result = run(what);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(result.out).size(), 501U);
}

TEST(Resources, OneJobAndOneThreadStillCountEverything) {
  temp_dir dir;
  strings args{"-j1", "--threads=1"};
  for (int i = 0; i < 20; ++i)
    args.push_back(dir.write("f" + std::to_string(i), text_with_lines(static_cast<std::size_t>(i))));
  const auto result = run(args);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.out.ends_with("\n190 total\n")) << result.out;
}

TEST(Resources, LargeFileInManyChunks) {
  temp_dir dir;
  const auto big = dir.write("big", text_with_lines(300'000));  // several MiB, many reads
  const auto result = run({big});
  EXPECT_EQ(result.out, "300000 " + big + "\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Resources, LargeFilesSplitIntoRangesCountExactly) {
  // Above the split threshold (16 MiB), counted as ranges on the pool: the count must not
  // depend on how many ranges there are, and lines across range boundaries count once.
  temp_dir dir;
  std::string data;
  data.reserve(40U << 20);
  std::size_t expected = 0;
  for (std::size_t i = 0; data.size() < (40U << 20) + 77; ++i) {
    data += std::string(i % 211, 'x');
    data += '\n';
    ++expected;
  }
  data += "unterminated";
  const auto big = dir.write("big", data);
  for (const char* threads : {"--threads=1", "--threads=3", "--threads=7"}) {
    const auto result = run({threads, big});
    EXPECT_EQ(result.out, std::to_string(expected) + " " + big + "\n") << threads;
    EXPECT_EQ(result.exit_code, 0);
  }
}

}  // namespace
