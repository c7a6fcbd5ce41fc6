// Bounded resources: descriptors, jobs and threads.

#include "support/proc_status.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <memory>
#include <unistd.h>

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

// ThreadSanitizer's runtime starts a thread of its own in every process.
#if defined(__SANITIZE_THREAD__)
#define LINECOUNT_THREADS_OF_ITS_OWN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LINECOUNT_THREADS_OF_ITS_OWN 1
#endif
#endif
#ifdef LINECOUNT_THREADS_OF_ITS_OWN
constexpr int runtime_threads = 1;
#else
constexpr int runtime_threads = 0;
#endif

class FixedThreads : public ::testing::TestWithParam<int> {};

TEST_P(FixedThreads, ExactlyThatManyReadThreads) {
  // One FIFO more than threads, each held open by the test and fed nothing yet: every read
  // thread blocks in one, the last waits for a thread. The process then has the read
  // threads and three more: the main one (the coroutines), the signal watcher and the
  // pool's watch (started once a job waits with every thread busy). A fixed pool never
  // grows past that (the unit tests check that it does not); here, that it gets there.
  const int threads = GetParam();
  temp_dir dir;
  std::vector<std::unique_ptr<held_fifo>> fifos;
  strings args{"--threads=" + std::to_string(threads), "-k"};
  strings paths;
  for (int i = 0; i <= threads; ++i) {
    fifos.push_back(std::make_unique<held_fifo>(dir / ("fifo" + std::to_string(i))));
    paths.push_back(fifos.back()->path());
    args.push_back(paths.back());
  }
  session run{args};
  ASSERT_TRUE(wait_until_threads(run.pid(), threads + 3 + runtime_threads));
  EXPECT_EQ(thread_count(run.pid()), threads + 3 + runtime_threads);
  std::string expected;
  for (int i = 0; i <= threads; ++i) {  // each done lets the last one in
    fifos[static_cast<std::size_t>(i)]->write(text_with_lines(static_cast<std::size_t>(i)));
    fifos[static_cast<std::size_t>(i)]->close();
    expected += std::to_string(i) + " " + paths[static_cast<std::size_t>(i)] + "\n";
  }
  const auto result = run.finish();
  const int total = threads * (threads + 1) / 2;
  EXPECT_EQ(result.out, expected + std::to_string(total) + " total\n");
  EXPECT_EQ(result.exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Counts, FixedThreads, ::testing::Values(1, 3));

TEST(Resources, ThreadsAndJobsWithinTheirBounds) {
  temp_dir dir;
  const auto file = dir.write("f", "1\n");
  for (const char* accepted : {"--threads=1", "--threads=256", "--jobs=1", "--jobs=1048576"}) {
    const auto result = run({accepted, file});
    EXPECT_EQ(result.out, "1 " + file + "\n") << accepted;
    EXPECT_EQ(result.exit_code, 0) << accepted;
  }
  for (const auto& [rejected, message] :
       std::vector<std::pair<std::string, std::string>>{
           {"--threads=0", "invalid number of threads: '0' (1 to 256)"},
           {"--threads=257", "invalid number of threads: '257' (1 to 256)"},
           {"--threads=4294967297", "invalid number of threads: '4294967297' (1 to 256)"},
           {"--jobs=0", "invalid number of jobs: '0' (1 to 1048576)"},
           {"--jobs=1048577", "invalid number of jobs: '1048577' (1 to 1048576)"},
           {"--jobs=-3", "invalid number of jobs: '-3' (1 to 1048576)"}}) {
    const auto result = run({rejected, file});
    EXPECT_EQ(result.err, "linecount: " + message + "\n") << rejected;
    EXPECT_EQ(result.out, "") << rejected;
    EXPECT_EQ(result.exit_code, 1) << rejected;
  }
}

#ifndef LINECOUNT_THREADS_OF_ITS_OWN
TEST(Resources, AFewCachedFilesStartNoThread) {
  // Cached files are opened and read by the main thread itself, which never waits for them:
  // no read thread, and no signal thread either (that one starts with the first other).
  temp_dir dir;
  strings args;
  for (int i = 0; i < 3; ++i) {
    args.push_back(dir.write("f" + std::to_string(i), text_with_lines(static_cast<std::size_t>(i))));
    // Written back: a page under writeback may refuse a read that must not wait.
    const int fd = ::open(args.back().c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_EQ(::fsync(fd), 0);
    ::close(fd);
  }
  const auto log = dir / "strace.log";
  invocation what;
  what.args = args;
  what.wrapper = {"env", with_inherited_options("ASAN_OPTIONS", "detect_leaks=0"), "strace",
                  "-f", "-qq", "-o", log, "-e", "trace=clone,clone3"};
  const auto result = run(what);
  EXPECT_TRUE(result.out.ends_with("\n3 total\n")) << result.out;
  EXPECT_EQ(run_shell("grep -c clone '" + log + "'").out, "0\n");
}
#endif

}  // namespace
