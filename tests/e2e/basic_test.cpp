// The everyday behaviour: files, standard input, names, options, against what wc -l prints.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

TEST(Basic, CountsEachFileThenTheTotal) {
  temp_dir dir;
  const auto a = dir.write("a.txt", text_with_lines(3));
  const auto b = dir.write("b.txt", text_with_lines(10));
  const auto c = dir.write("c.txt", "");
  const auto result = run({a, b, c});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  ASSERT_TRUE(result.out.ends_with("13 total\n")) << result.out;
  EXPECT_EQ(sorted_lines(result.out), (strings{"0 " + c, "10 " + b, "13 total", "3 " + a}));
}

TEST(Basic, SingleFileHasNoTotal) {
  temp_dir dir;
  const auto a = dir.write("a", text_with_lines(5));
  const auto result = run({a});
  EXPECT_EQ(result.out, "5 " + a + "\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Basic, ImplicitStandardInputPrintsABareCount) {
  invocation what;
  what.stdin_data = text_with_lines(42);
  const auto result = run(what);
  EXPECT_EQ(result.out, "42\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Basic, NamedDashPrintsItsName) {
  invocation what;
  what.args = {"-"};
  what.stdin_data = "x\ny\n";
  EXPECT_EQ(run(what).out, "2 -\n");
}

TEST(Basic, DashTwiceReadsStandardInputOnce) {
  temp_dir dir;
  invocation what;
  what.args = {"-", "-"};
  what.stdin_path = dir.write("in", text_with_lines(7));
  const auto result = run(what);
  EXPECT_EQ(result.out, "7 -\n0 -\n7 total\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Basic, StandardInputIsReadFromItsCurrentOffset) {
  temp_dir dir;
  const auto input = dir.write("in", text_with_lines(9));
  const auto result = run_shell("{ \"$LC\"; \"$LC\"; } < '" + input + "'");
  EXPECT_EQ(result.out, "9\n0\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Basic, LargeStandardInputIsReadFromItsOffsetAndLeftAtItsEnd) {
  // Above the size where named files are split into ranges: standard input must still be
  // read from where it stands, once.
  temp_dir dir;
  const auto input = dir.write("in", "header\n" + text_with_lines(2'000'000));  // ~25 MiB
  EXPECT_EQ(run_shell("{ \"$LC\"; \"$LC\"; } < '" + input + "'").out, "2000001\n0\n");
  EXPECT_EQ(run_shell("{ read -r header; \"$LC\"; } < '" + input + "'").out, "2000000\n");
  invocation what;
  what.args = {"-", "-"};
  what.stdin_path = input;
  EXPECT_EQ(run(what).out, "2000001 -\n0 -\n2000001 total\n");
}

TEST(Basic, LastLineWithoutNewlineIsNotCounted) {
  temp_dir dir;
  EXPECT_EQ(run({dir.write("f", "one\ntwo")}).out, "1 " + dir / "f" + "\n");
}

TEST(Basic, BinaryDataCountsOnlyNewlineBytes) {
  temp_dir dir;
  std::string data;
  for (int round = 0; round < 3; ++round)
    for (int byte = 0; byte < 256; ++byte) data += static_cast<char>(byte);
  data += std::string("\r\n\r\0\x85\n", 6);
  const auto file = dir.write("bin", data);
  EXPECT_EQ(run({file}).out, "5 " + file + "\n");
}

TEST(Basic, DevNullAndProcFiles) {
  const auto result = run({"/dev/null", "/proc/version"});
  EXPECT_EQ(sorted_lines(result.out), (strings{"0 /dev/null", "1 /proc/version", "1 total"}));
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Basic, NamesWithSpacesArePrintedAsTheyAre) {
  temp_dir dir;
  const auto file = dir.write("with space's", "a\n");
  EXPECT_EQ(run({file}).out, "1 " + file + "\n");
}

TEST(Basic, NamesWithNewlinesAreShellEscapedOnOutput) {
  temp_dir dir;
  dir.write("n\nl", "a\nb\n");
  invocation what;
  what.args = {"n\nl"};
  what.cwd = dir.path().string();
  const auto result = run(what);
  EXPECT_EQ(result.out, "2 'n'$'\\n''l'\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Basic, LeadingDashNamesAfterDoubleDash) {
  temp_dir dir;
  dir.write("-l", "x\n");
  invocation what;
  what.args = {"--", "-l"};
  what.cwd = dir.path().string();
  EXPECT_EQ(run(what).out, "1 -l\n");
}

TEST(Basic, OptionsMayFollowOperandsAndBeAbbreviated) {
  temp_dir dir;
  const auto a = dir.write("a", "1\n");
  const auto result = run({a, "--lin", "--tot=al", "-l"});
  EXPECT_EQ(result.out, "1 " + a + "\n1 total\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Basic, SameCountsAsWcOnCommonLicenses) {
  // From base-files: every Debian system has it.
  const std::filesystem::path licenses{"/usr/share/common-licenses"};
  ASSERT_TRUE(std::filesystem::is_directory(licenses));
  strings files;
  for (const auto& entry : std::filesystem::directory_iterator(licenses))
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  ASSERT_GT(files.size(), 1U);
  std::string command = "wc -l";
  for (const auto& file : files) command += " '" + file + "'";
  std::string expected;
  FILE* wc = ::popen(command.c_str(), "r");
  ASSERT_NE(wc, nullptr);
  char line[4096];
  while (std::fgets(line, sizeof line, wc) != nullptr) {
    unsigned long count = 0;
    char name[4096];
    if (std::sscanf(line, "%lu %4095[^\n]", &count, name) == 2)
      expected += std::to_string(count) + " " + name + "\n";
  }
  ASSERT_EQ(::pclose(wc), 0);
  const auto result = run(files);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(result.out), sorted_lines(expected));
}

TEST(Basic, HelpListsEveryOptionAndExamples) {
  const auto result = run({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  for (const char* needle : {"Usage: linecount", "--lines", "--files0-from=F", "--total=WHEN",
                             "--jobs=N", "--threads=N", "--help", "--version", "Examples:",
                             "Exit status:"})
    EXPECT_NE(result.out.find(needle), std::string::npos) << needle;
}

TEST(Basic, Version) {
  const auto result = run({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.out.starts_with("linecount ")) << result.out;
  EXPECT_NE(result.out.find("Counting kernel: "), std::string::npos) << result.out;
}

// The kernels of this build, best first, and whether this CPU can run each (asked of the
// compiler's own CPU detection, not of linecount's).
std::vector<std::pair<std::string, bool>> kernels_and_support() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return {{"avx512bw", __builtin_cpu_supports("avx512bw") != 0},
          {"avx2", __builtin_cpu_supports("avx2") != 0},
          {"sse2", __builtin_cpu_supports("sse2") != 0},
          {"scalar", true}};
#elif defined(__aarch64__)
  return {{"neon", true}, {"scalar", true}};
#else
  return {{"scalar", true}};
#endif
}

TEST(Basic, ForcedKernelsAreUsedAndGiveTheSameCounts) {
  temp_dir dir;
  std::string data;
  for (int i = 0; i < 100'000; ++i) data += static_cast<char>(i % 13 == 0 ? '\n' : 'a' + i % 26);
  const auto file = dir.write("data", data);
  for (const auto& [kernel, supported] : kernels_and_support()) {
    invocation what;
    what.env = {"LINECOUNT_KERNEL=" + kernel};
    what.args = {"--version"};
    const auto version = run(what);
    what.args = {file};
    const auto counted = run(what);
    if (supported) {
      EXPECT_NE(version.out.find("\nCounting kernel: " + kernel + "\n"), std::string::npos)
          << kernel << ": " << version.out;
      EXPECT_EQ(counted.out, "7693 " + file + "\n") << kernel;
      EXPECT_EQ(counted.exit_code, 0) << kernel;
    } else {
      EXPECT_TRUE(counted.err.starts_with("linecount: LINECOUNT_KERNEL: '" + kernel +
                                          "' is not a counting kernel this CPU supports"))
          << kernel << ": " << counted.err;
      EXPECT_EQ(counted.out, "") << kernel;
      EXPECT_EQ(counted.exit_code, 1) << kernel;
    }
  }
}

TEST(Basic, TheBestSupportedKernelIsTheDefault) {
  std::string best;
  for (const auto& [kernel, supported] : kernels_and_support()) {
    if (supported) {
      best = kernel;
      break;
    }
  }
  const auto result = run({"--version"});
  EXPECT_NE(result.out.find("\nCounting kernel: " + best + "\n"), std::string::npos) << result.out;
}

TEST(Basic, UnknownForcedKernelIsAnError) {
  invocation what;
  what.args = {"/dev/null"};
  what.env = {"LINECOUNT_KERNEL=turbo"};
  const auto result = run(what);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(result.err.starts_with("linecount: LINECOUNT_KERNEL: 'turbo' is not a counting kernel"))
      << result.err;
  EXPECT_EQ(result.out, "");
}

}  // namespace
