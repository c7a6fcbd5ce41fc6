// Faults from outside: files that change under linecount, failing reads, denied access,
// special files, signals.
//
// A file is changed while linecount is held inside a chosen system call on it (a library
// preloaded into linecount holds the call until the test releases it: support/call_hold.hpp),
// so every change lands at a known point of the read, however loaded the machine. Read
// errors are injected with strace (Debian's strace, installed by scripts/setup.sh --test),
// which fails one system call on one path.

#include "support/call_hold.hpp"
#include "support/process.hpp"
#include "support/proc_status.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace linecount::testing;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;
namespace fs = std::filesystem;

// strace running linecount, injecting `fault` into system calls on `path` only.
// LeakSanitizer cannot work under ptrace, so sanitizer builds skip the leak check in these
// runs only; every other run of the suite keeps it.
strings strace_on(const std::string& path, const std::string& fault) {
  return {"env",  with_inherited_options("ASAN_OPTIONS", "detect_leaks=0"),
          "strace", "-f", "-qq", "-o", "/dev/null", "-P", path, "-e", "inject=" + fault};
}

// Every system call linecount reads a file with: read, preadv2 for the first read (it asks
// whether the data is cached), and pread for the ranges of a large file.
const std::string reads = "read,preadv2,pread64";

void require_strace() {
  ASSERT_EQ(std::system("strace -V > /dev/null 2>&1"), 0)
      << "strace is needed (scripts/setup.sh --test installs it)";
}

// Lines of exactly 64 bytes, so that byte offsets fall on line boundaries.
std::string fixed_lines(std::size_t lines) {
  std::string text;
  text.reserve(lines * 64);
  for (std::size_t i = 0; i < lines; ++i) {
    std::string line = "line " + std::to_string(i);
    line.resize(63, '.');
    text += line + '\n';
  }
  return text;
}


TEST(Faults, ReadErrorGetsAMessageAndNoCountLine) {
  require_strace();
  temp_dir dir;
  const auto good = dir.write("good", "1\n2\n");
  const auto bad = dir.write("bad", "1\n2\n3\n");
  invocation what;
  what.args = {good, bad};
  what.wrapper = strace_on(bad, reads + ":error=EIO");
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: " + bad + ": Input/output error\n");
  EXPECT_EQ(result.out, "2 " + good + "\n2 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Faults, ReadErrorHalfWayGivesNoPartialCount) {
  require_strace();
  temp_dir dir;
  // 640 KiB: read in several chunks (a file of 1 MiB or more is counted in ranges)
  const auto big = dir.write("big", fixed_lines(10'000));
  invocation what;
  what.args = {big};
  what.wrapper = strace_on(big, reads + ":error=EIO:when=3");
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: " + big + ": Input/output error\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Faults, FileTruncatedWhileItsRangeIsRead) {
  temp_dir dir;
  const auto file = dir.write("shrinking", fixed_lines(131'072));  // 8 MiB: counted as a range
  // Held just after the range's first read (the file's second, after the first chunk):
  // the size is taken, 256 KiB more are counted, and then the file is cut to 4 MiB.
  call_hold hold{dir, "read", file, 2, call_hold::after};
  session run{held_run(hold, {"--threads=1", file})};
  ASSERT_TRUE(hold.wait_until_held());
  fs::resize_file(file, 4 << 20);
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.out, "65536 " + file + "\n");  // every line that is still there
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileTruncatedBetweenChunks) {
  temp_dir dir;
  const auto file = dir.write("shrinking", fixed_lines(9'600));  // 600 KiB: read in chunks
  // Held before its second read: the first chunk (16 KiB) is counted, the rest is cut.
  call_hold hold{dir, "read", file, 2, call_hold::before};
  session run{held_run(hold, {file})};
  ASSERT_TRUE(hold.wait_until_held());
  fs::resize_file(file, 64 << 10);
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1024 " + file + "\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileGrowingWhileItsRangeIsCounted) {
  temp_dir dir;
  const auto file = dir.write("growing", fixed_lines(32'768));  // 2 MiB: counted as a range
  // Held before the range's first read: the size is taken; the range must read past it.
  call_hold hold{dir, "read", file, 2, call_hold::before};
  session run{held_run(hold, {file})};
  ASSERT_TRUE(hold.wait_until_held());
  std::ofstream{file, std::ios::app} << fixed_lines(16'384);
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.out, "49152 " + file + "\n");  // read on to the new end
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileGrowingWhileReadInChunks) {
  temp_dir dir;
  const auto file = dir.write("growing", fixed_lines(4'000));  // 250 KiB: read in chunks
  call_hold hold{dir, "read", file, 3, call_hold::before};
  session run{held_run(hold, {file})};
  ASSERT_TRUE(hold.wait_until_held());
  std::ofstream{file, std::ios::app} << fixed_lines(1'000);
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "5000 " + file + "\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileDeletedAfterItWasOpened) {
  temp_dir dir;
  const auto file = dir.write("doomed", fixed_lines(1000));
  call_hold hold{dir, "open", file, 1, call_hold::after};
  session run{held_run(hold, {file})};
  ASSERT_TRUE(hold.wait_until_held());
  ASSERT_TRUE(fs::remove(file));
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1000 " + file + "\n");  // an open file outlives its name
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileOfAWalkReplacedByADirectoryBeforeItIsOpened) {
  // The walk lists `b` as a regular file; it is a directory by the time it is opened. It is
  // reported, not walked into (the listing said file), and the rest is counted.
  temp_dir dir;
  const auto root = dir / "tree";
  fs::create_directory(root);
  const auto a = dir.write("tree/a", "1\n2\n");
  const auto b = dir.write("tree/b", "1\n");
  const auto c = dir.write("tree/c", "1\n2\n3\n");
  call_hold hold{dir, "open", b, 1, call_hold::before};
  session run{held_run(hold, {"-r", "-k", root})};
  ASSERT_TRUE(hold.wait_until_held());
  ASSERT_TRUE(fs::remove(b));
  ASSERT_TRUE(fs::create_directory(b));
  dir.write("tree/b/inside", "1\n1\n1\n1\n");
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "2 " + a + "\n3 " + c + "\n5 total\n");
  EXPECT_EQ(result.err, "linecount: " + b + ": Is a directory\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Faults, PermissionDeniedForAnUnprivilegedUser) {
  if (::geteuid() != 0) LINECOUNT_SKIP("not-root", "needs root to switch to nobody");
  temp_dir dir;
  auto what = as_nobody(dir);
  const auto secret = dir.write("secret", "x\n");
  fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write);
  const auto open = dir.write("open", "x\ny\n");
  fs::permissions(open, fs::perms::owner_read | fs::perms::others_read);
  what.args = {secret, open};
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: " + secret + ": Permission denied\n");
  EXPECT_EQ(result.out, "2 " + open + "\n2 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Faults, FifoFedByAWriter) {
  temp_dir dir;
  held_fifo fifo{dir / "fifo"};
  session run{{fifo.path(), "/dev/null"}};
  fifo.write(fixed_lines(500));
  fifo.close();
  const auto result = run.finish();
  EXPECT_EQ(sorted_lines(result.out), (strings{"0 /dev/null", "500 " + fifo.path(), "500 total"}));
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, AWriterAlreadyWaitingOnAFifoIsReadInFull) {
  // The writer blocks in its open until linecount opens the FIFO to read it; whatever way
  // linecount opens it, the writer must not find it closed again (it would die of SIGPIPE).
  temp_dir dir;
  const auto fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  invocation writer;
  writer.binary = "sh";
  writer.args = {"-c", "seq 1 20000 > '" + fifo + "'; echo \"writer $?\""};
  session writing{writer};
  ASSERT_TRUE(wait_until_opening_a_fifo(writing.pid()));
  const auto result = run({fifo});
  EXPECT_EQ(result.out, "20000 " + fifo + "\n");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(writing.finish().out, "writer 0\n");
}

TEST(Faults, ProcAndSysFilesOfSizeZero) {
  strings files{"/proc/version", "/proc/cpuinfo"};
  if (fs::exists("/sys/devices/system/cpu/online")) files.emplace_back("/sys/devices/system/cpu/online");
  std::string expected;
  for (const auto& file : files) {
    std::ifstream in{file};
    const std::string content{std::istreambuf_iterator<char>(in), {}};
    expected += std::to_string(std::count(content.begin(), content.end(), '\n')) + " " + file + "\n";
  }
  invocation what;
  what.args = files;
  what.args.insert(what.args.begin(), "--total=never");
  const auto result = run(what);
  EXPECT_EQ(sorted_lines(result.out), sorted_lines(expected));
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, ThreeThousandOperandsUnderUlimit24) {
  temp_dir dir;
  strings files;
  for (int i = 0; i < 3000; ++i) files.push_back(dir.write(std::to_string(i), i % 2 ? "a\n" : ""));
  invocation what;
  what.args = files;
  what.open_file_limit = 24;
  const auto result = run(what);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(sorted_lines(result.out).size(), 3001U);
  EXPECT_TRUE(result.out.ends_with("\n1500 total\n"));
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, PathsNearAndBeyondPathMax) {
  temp_dir dir;
  fs::path deep = dir.path();
  const std::string component(200, 'd');
  while (deep.string().size() + component.size() + 10 < 4000) deep /= component;
  fs::create_directories(deep);
  std::ofstream{deep / "f"} << "1\n2\n3\n";
  const std::string near = (deep / "f").string();
  std::string beyond = deep.string();
  while (beyond.size() <= 4096) beyond += "/" + component;
  const auto result = run({near, beyond});
  EXPECT_EQ(result.out, "3 " + near + "\n3 total\n");
  EXPECT_EQ(result.err, "linecount: " + beyond + ": File name too long\n");
  EXPECT_EQ(result.exit_code, 1);
}

// linecount under `sh -c 'trap "" SIG; exec linecount ...'`, as in a background job of a
// shell that ignores SIG (or with no trap for an empty `ignored`).
invocation with_signal_ignored(const std::string& ignored, strings args) {
  invocation what;
  what.args = std::move(args);
  if (!ignored.empty())
    what.wrapper = {"sh", "-c", "trap '' " + ignored + "; exec \"$0\" \"$@\""};
  return what;
}

class Interrupt : public ::testing::TestWithParam<int> {};

TEST_P(Interrupt, EndsTheRunPromptly) {
  const int signal_number = GetParam();
  temp_dir dir;
  const auto fifo = dir / "never-written";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto quick = dir.write("quick", "a\n");
  session run{{quick, fifo}};
  // The FIFO blocks a read thread for good; the quick record is out.
  ASSERT_EQ(run.read_line(), "1 " + quick);
  const auto start = std::chrono::steady_clock::now();
  run.send_signal(signal_number);
  const auto result = run.finish(10s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(result.signal, signal_number);  // a shell sees 128 + the signal
  EXPECT_EQ(result.out, "");                // nothing half-written after the whole record
}

TEST_P(Interrupt, StaysIgnoredWhenInheritedIgnored) {
  const int signal_number = GetParam();
  temp_dir dir;
  held_fifo fifo{dir / "fifo"};
  const auto quick = dir.write("quick", "a\n");
  session run{with_signal_ignored(std::to_string(signal_number), {quick, fifo.path()})};
  ASSERT_EQ(run.read_line(), "1 " + quick);
  // Ignored: it is never even pending. A linecount that took it would have it pending (or
  // be dead of it) until it did.
  run.send_signal(signal_number);
  EXPECT_TRUE(wait_until_not_pending(run.pid(), signal_number));
  EXPECT_TRUE(signal_ignored(run.pid(), signal_number));
  fifo.write("b\nc\n");
  fifo.close();
  const auto result = run.finish();
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.out, "2 " + fifo.path() + "\n3 total\n");
  EXPECT_EQ(result.exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Faults, Interrupt, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const auto& signal) { return std::string{sigabbrev_np(signal.param)}; });

TEST(Faults, InterruptEndsTheRunEvenWhileOutputIsBlocked) {
  // The reader never reads: linecount blocks writing its records, and SIGTERM must still
  // end it within the grace period.
  temp_dir dir;
  strings files;
  const std::string padding(200, 'p');
  for (int i = 0; i < 3000; ++i) files.push_back(dir.write(padding + std::to_string(i), "x\n"));
  session run{files};
  ASSERT_TRUE(wait_until_writing(run.pid(), STDOUT_FILENO)) << "never blocked on its output";
  const auto start = std::chrono::steady_clock::now();
  run.send_signal(SIGTERM);
  const auto status = run.wait_for_exit(10s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(status.signal, SIGTERM);
}

}  // namespace
