// --files0-from: NUL-separated names from a file or standard input, streamed.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace linecount::testing;
using namespace std::string_literals;
using strings = std::vector<std::string>;

TEST(Files0From, NamesFromAFile) {
  temp_dir dir;
  const auto a = dir.write("a", text_with_lines(2));
  const auto b = dir.write("b b", text_with_lines(3));
  const auto list = dir.write("list", a + '\0' + b + '\0');
  const auto result = run({"--files0-from=" + list});
  EXPECT_EQ(sorted_lines(result.out), (strings{"2 " + a, "3 " + b, "5 total"}));
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Files0From, NamesFromStandardInput) {
  temp_dir dir;
  const auto a = dir.write("a", text_with_lines(4));
  invocation what;
  what.args = {"--files0-from", "-"};
  what.stdin_data = a + '\0';
  const auto result = run(what);
  EXPECT_EQ(result.out, "4 " + a + "\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Files0From, MissingFinalNulStillCountsTheLastName) {
  temp_dir dir;
  const auto a = dir.write("a", "x\n");
  const auto b = dir.write("b", "x\ny\n");
  invocation what;
  what.args = {"--files0-from=-"};
  what.stdin_data = a + '\0' + b;
  EXPECT_EQ(sorted_lines(run(what).out), (strings{"1 " + a, "2 " + b, "3 total"}));
}

TEST(Files0From, ZeroLengthNamesAreReportedWithTheirPosition) {
  temp_dir dir;
  const auto a = dir.write("a", "x\n");
  const auto list = dir.write("the list", "\0"s + a + '\0' + '\0');
  const auto result = run({"--files0-from=" + list});
  EXPECT_EQ(sorted_lines(result.err),
            (strings{"linecount: '" + list + "':1: invalid zero-length file name",
                     "linecount: '" + list + "':3: invalid zero-length file name"}));
  EXPECT_EQ(result.out, "1 " + a + "\n1 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Files0From, DashIsRefusedWhenTheListIsStandardInput) {
  invocation what;
  what.args = {"--files0-from=-"};
  what.stdin_data = "-\0/dev/null\0"s;
  const auto result = run(what);
  EXPECT_EQ(result.err,
            "linecount: when reading file names from standard input, no file name of '-' "
            "allowed\n");
  EXPECT_EQ(result.out, "0 /dev/null\n0 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Files0From, DashInAListFileMeansStandardInput) {
  temp_dir dir;
  invocation what;
  what.args = {"--files0-from=" + dir.write("list", "-\0"s)};
  what.stdin_data = "a\nb\nc\n";
  const auto result = run(what);
  EXPECT_EQ(result.out, "3 -\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Files0From, CannotBeCombinedWithOperands) {
  const auto result = run({"--files0-from=list", "x"});
  EXPECT_EQ(result.err,
            "linecount: extra operand 'x'\n"
            "file operands cannot be combined with --files0-from\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Files0From, UnopenableList) {
  const auto result = run({"--files0-from=/nonexistent/list"});
  EXPECT_EQ(result.err,
            "linecount: cannot open '/nonexistent/list' for reading: No such file or directory\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Files0From, ListThatIsADirectory) {
  temp_dir dir;
  const auto result = run({"--files0-from=" + dir.path().string()});
  EXPECT_EQ(result.err, "linecount: " + dir.path().string() + ": read error: Is a directory\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Files0From, EmptyListCountsNothing) {
  invocation what;
  what.args = {"--files0-from=-"};
  what.stdin_data = "";
  const auto result = run(what);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Files0From, CountingStartsBeforeTheListEnds) {
  temp_dir dir;
  const auto first = dir.write("first", text_with_lines(3));
  const auto second = dir.write("second", text_with_lines(4));
  session run{{"--files0-from=-"}};
  run.write_stdin(first + '\0');
  // The list is still open: the first record must come anyway.
  EXPECT_EQ(run.read_line(), "3 " + first);
  run.write_stdin(second + '\0');
  const auto rest = run.finish();
  EXPECT_EQ(rest.out, "4 " + second + "\n7 total\n");
  EXPECT_EQ(rest.exit_code, 0);
}

TEST(Files0From, LongListsRunInBoundedMemory) {
  temp_dir dir;
  auto make_list = [&](const std::string& name, std::size_t names) {
    std::string list;
    list.reserve(names * 10);
    for (std::size_t i = 0; i < names; ++i) list += "/dev/null"s + '\0';
    return dir.write(name, list);
  };
  auto count_list = [&](const std::string& list) {
    invocation what;
    // Exactly two read threads: the pool grows (up to 16 threads) when its reads seem stuck,
    // which a loaded machine can make them seem, more likely in the longer run; each thread's
    // stack and (under AddressSanitizer) allocator caches would then show as growth that has
    // nothing to do with the list.
    what.args = {"--files0-from=" + list, "--total=only", "--threads=2"};
    // Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) and
    // shows up as growth; a small quarantine lets the test see linecount's own memory.
    what.env = {"ASAN_OPTIONS=quarantine_size_mb=4:thread_local_quarantine_size_kb=64"};
    return run(what);
  };
  // Both lists are longer than the 1 MiB chunks the list is read in, so that the list's
  // buffers are full-sized in both runs.
  const auto few = count_list(make_list("few", 150'000));
  const auto many = count_list(make_list("many", 1'500'000));
  ASSERT_EQ(few.exit_code, 0) << few.err;
  ASSERT_EQ(many.exit_code, 0) << many.err;
  EXPECT_EQ(many.out, "0\n");
  // Ten times the names (a 15 MB list), not a quarter as much memory again: nothing grows
  // with the length of the list.
  EXPECT_LT(many.peak_rss_kib, few.peak_rss_kib * 5 / 4)
      << few.peak_rss_kib << " KiB for 150k names, " << many.peak_rss_kib << " KiB for 1.5M";
}

}  // namespace
