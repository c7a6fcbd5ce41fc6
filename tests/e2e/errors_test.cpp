// Failures: one message each in GNU's words, no count line, the others still counted.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

TEST(Errors, MissingFileGetsAMessageAndNoCountLine) {
  temp_dir dir;
  const auto good = dir.write("good", "a\nb\n");
  const auto result = run({dir / "missing", good});
  EXPECT_EQ(result.err, "linecount: " + dir / "missing" + ": No such file or directory\n");
  EXPECT_EQ(result.out, "2 " + good + "\n2 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, DirectoryIsADirectory) {
  temp_dir dir;
  const auto result = run({dir.path().string()});
  EXPECT_EQ(result.err, "linecount: " + dir.path().string() + ": Is a directory\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, ZeroLengthName) {
  const auto result = run({"", "/dev/null"});
  EXPECT_EQ(result.err, "linecount: invalid zero-length file name\n");
  EXPECT_EQ(result.out, "0 /dev/null\n0 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, OddNamesAreQuotedInMessages) {
  invocation what;
  what.args = {"no such", "it's", "tab\there", "colon:name", "plain"};
  const auto result = run(what);
  EXPECT_EQ(sorted_lines(result.err),
            (strings{"linecount: \"it's\": No such file or directory",
                     "linecount: 'colon:name': No such file or directory",
                     "linecount: 'no such': No such file or directory",
                     "linecount: 'tab'$'\\t''here': No such file or directory",
                     "linecount: plain: No such file or directory"}));
  EXPECT_EQ(result.out, "0 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, InvalidBytesAreEscapedByLocale) {
  invocation what;
  what.args = {"caf\xc3\xa9", "bad\xff"};
  what.locale = "C.UTF-8";
  auto result = run(what);
  EXPECT_EQ(sorted_lines(result.err),
            (strings{"linecount: 'bad'$'\\377': No such file or directory",
                     "linecount: caf\xc3\xa9: No such file or directory"}));
  what.locale = "C";
  result = run(what);
  EXPECT_EQ(sorted_lines(result.err),
            (strings{"linecount: 'bad'$'\\377': No such file or directory",
                     "linecount: 'caf'$'\\303\\251': No such file or directory"}));
}

TEST(Errors, ClosedStandardInput) {
  invocation what;
  what.close_stdin = true;
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: 'standard input': Bad file descriptor\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, StandardInputIsADirectory) {
  temp_dir dir;
  invocation what;
  what.stdin_path = dir.path().string();
  auto result = run(what);
  EXPECT_EQ(result.err, "linecount: 'standard input': Is a directory\n");
  EXPECT_EQ(result.exit_code, 1);
  what.args = {"-"};
  result = run(what);
  EXPECT_EQ(result.err, "linecount: -: Is a directory\n");
  EXPECT_EQ(result.out, "");
}

TEST(Errors, EveryOperandYieldsExactlyOneRecord) {
  temp_dir dir;
  strings args;
  std::size_t good = 0;
  for (int i = 0; i < 60; ++i) {
    switch (i % 4) {
      case 0: args.push_back(dir.write("f" + std::to_string(i), text_with_lines(static_cast<std::size_t>(i)))); ++good; break;
      case 1: args.push_back(dir / ("missing" + std::to_string(i))); break;
      case 2: args.push_back(dir.path().string()); break;
      default: args.emplace_back("/dev/null"); ++good; break;
    }
  }
  const auto result = run(args);
  EXPECT_EQ(sorted_lines(result.out).size(), good + 1);  // + the total
  EXPECT_EQ(sorted_lines(result.err).size(), args.size() - good);
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, UnknownLongOption) {
  const auto result = run({"--bogus"});
  EXPECT_EQ(result.err,
            "linecount: unrecognized option '--bogus'\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, UnknownShortOption) {
  const auto result = run({"-q"});
  EXPECT_EQ(result.err,
            "linecount: invalid option -- 'q'\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, AmbiguousLongOption) {
  const auto result = run({"--t=1"});
  EXPECT_EQ(result.err,
            "linecount: option '--t=1' is ambiguous; possibilities: '--total' '--threads'\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Errors, BadJobCount) {
  const auto result = run({"-j", "many", "/dev/null"});
  EXPECT_EQ(result.err, "linecount: invalid number of jobs: 'many' (1 to 1048576)\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

}  // namespace
