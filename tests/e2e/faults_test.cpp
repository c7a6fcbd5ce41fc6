// Faults from outside: files that change under linecount, failing reads, denied access,
// special files, signals. Read faults are injected with strace (Debian's strace), which
// can fail or delay one system call on one path; the test acts inside the delay.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <thread>
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
  return {"env",  "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1",
          "strace", "-f", "-qq", "-o", "/dev/null", "-P", path, "-e", "inject=" + fault};
}

// Every system call linecount reads a file with: read, and preadv2 for the first read
// (it asks whether the data is cached), pread for ranges that cannot be mapped.
const std::string reads = "read,preadv2,pread64";

bool have_strace() { return std::system("strace -V > /dev/null 2>&1") == 0; }

// Waits until some process has `path` open (linecount under strace, once it opened it).
bool wait_until_open(const std::string& path) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ignored;
    for (const auto& process : fs::directory_iterator("/proc", ignored)) {
      const auto name = process.path().filename().string();
      if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
      for (const auto& fd : fs::directory_iterator(process.path() / "fd", ignored))
        if (fs::read_symlink(fd.path(), ignored) == path) return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
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
  if (!have_strace()) GTEST_SKIP() << "strace is not installed";
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
  if (!have_strace()) GTEST_SKIP() << "strace is not installed";
  temp_dir dir;
  // 640 KiB: read in several chunks (a file of 1 MiB or more is mapped after its first chunk)
  const auto big = dir.write("big", fixed_lines(10'000));
  invocation what;
  what.args = {big};
  what.wrapper = strace_on(big, reads + ":error=EIO:when=3");
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: " + big + ": Input/output error\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Faults, FileTruncatedWhileBeingRead) {
  if (!have_strace()) GTEST_SKIP() << "strace is not installed";
  temp_dir dir;
  const auto file = dir.write("shrinking", fixed_lines(131'072));  // 8 MiB
  // Its first read waits 50 ms: the cut comes before the rest is mapped and counted.
  session run{{file}, "C", strace_on(file, reads + ":delay_exit=50000")};
  ASSERT_TRUE(wait_until_open(file));
  fs::resize_file(file, 4 << 20);
  const auto result = run.finish();
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.out, "65536 " + file + "\n");  // every line that is still there
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileGrowingWhileBeingRead) {
  if (!have_strace()) GTEST_SKIP() << "strace is not installed";
  temp_dir dir;
  const auto file = dir.write("growing", fixed_lines(32'768));  // 2 MiB
  session run{{file}, "C", strace_on(file, reads + ":delay_exit=50000")};
  ASSERT_TRUE(wait_until_open(file));
  std::ofstream{file, std::ios::app} << fixed_lines(16'384);
  const auto result = run.finish();
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.out, "49152 " + file + "\n");  // read on to the new end
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileDeletedAfterItWasOpened) {
  if (!have_strace()) GTEST_SKIP() << "strace is not installed";
  temp_dir dir;
  const auto file = dir.write("doomed", fixed_lines(1000));
  // The open is held up for 1.5 s after it succeeded: delete the file as soon as it is open.
  session run{{file}, "C", strace_on(file, "openat:delay_exit=1500000")};
  ASSERT_TRUE(wait_until_open(file));
  ASSERT_TRUE(fs::remove(file));
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1000 " + file + "\n");  // an open file outlives its name
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Faults, FileReplacedByADirectoryBeforeItIsOpened) {
  if (!have_strace()) GTEST_SKIP() << "strace is not installed";
  temp_dir dir;
  const auto file = dir.write("swapped", "a\n");
  // The open is held up for 3 s before it happens; the swap comes well inside that.
  session run{{file}, "C", strace_on(file, "openat:delay_enter=3000000")};
  std::this_thread::sleep_for(500ms);
  ASSERT_TRUE(fs::remove(file));
  ASSERT_TRUE(fs::create_directory(file));
  const auto result = run.finish();
  EXPECT_EQ(result.err, "linecount: " + file + ": Is a directory\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Faults, PermissionDeniedForAnUnprivilegedUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to nobody";
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
  const auto fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer{[&] { std::ofstream{fifo} << fixed_lines(500); }};
  const auto result = run({fifo, "/dev/null"});
  writer.join();
  EXPECT_EQ(sorted_lines(result.out), (strings{"0 /dev/null", "500 " + fifo, "500 total"}));
  EXPECT_EQ(result.exit_code, 0);
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

void expect_interrupt_ends_the_run(int signal_number) {
  temp_dir dir;
  const auto fifo = dir / "never-written";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto quick = dir.write("quick", "a\n");
  session run{{quick, fifo}};
  // The FIFO blocks a read thread for good; the quick record is out.
  ASSERT_EQ(run.read_line(10000), "1 " + quick);
  const auto start = std::chrono::steady_clock::now();
  run.send_signal(signal_number);
  const auto result = run.finish();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(result.signal, signal_number);  // a shell sees 128 + the signal
  EXPECT_EQ(result.out, "");                // nothing half-written after the whole record
}

TEST(Faults, SigintEndsTheRunPromptly) { expect_interrupt_ends_the_run(SIGINT); }

TEST(Faults, AnInheritedIgnoredSigintStaysIgnored) {
  temp_dir dir;
  const auto fifo = dir / "never-written";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto quick = dir.write("quick", "a\n");
  // As in a background job of a non-interactive shell: SIGINT ignored before exec.
  session run{{quick, fifo}, "C", {"sh", "-c", "trap '' INT; exec \"$0\" \"$@\""}};
  ASSERT_EQ(run.read_line(10000), "1 " + quick);
  run.send_signal(SIGINT);
  EXPECT_FALSE(run.read_line(1500)) << "still running, nothing more to say";
  run.send_signal(SIGTERM);
  const auto result = run.finish();
  EXPECT_EQ(result.signal, SIGTERM);
}

TEST(Faults, InterruptEndsTheRunEvenWhileOutputIsBlocked) {
  // The reader never reads: linecount blocks writing its records, and SIGTERM must still
  // end it within the grace period.
  temp_dir dir;
  strings files;
  const std::string padding(200, 'p');
  for (int i = 0; i < 3000; ++i) files.push_back(dir.write(padding + std::to_string(i), "x\n"));
  session run{files};
  std::this_thread::sleep_for(500ms);  // time to fill the pipe and block
  const auto start = std::chrono::steady_clock::now();
  run.send_signal(SIGTERM);
  const auto status = run.wait_for_exit();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(status.signal, SIGTERM);
}

TEST(Faults, SigtermEndsTheRunPromptly) { expect_interrupt_ends_the_run(SIGTERM); }

TEST(Faults, SighupEndsTheRunPromptly) { expect_interrupt_ends_the_run(SIGHUP); }

}  // namespace
