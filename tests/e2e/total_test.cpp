// --total=auto|always|only|never, as GNU wc has them.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

class Total : public ::testing::Test {
 protected:
  temp_dir dir;
  std::string a = dir.write("a", text_with_lines(2));
  std::string b = dir.write("b", text_with_lines(5));
};

TEST_F(Total, AutoPrintsTheTotalForMoreThanOneOperand) {
  EXPECT_EQ(run({"--total=auto", a}).out, "2 " + a + "\n");
  EXPECT_EQ(sorted_lines(run({"--total=auto", a, b}).out),
            (strings{"2 " + a, "5 " + b, "7 total"}));
}

TEST_F(Total, AutoCountsFailedOperandsToo) {
  const auto result = run({a, dir / "missing"});
  EXPECT_EQ(result.out, "2 " + a + "\n2 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST_F(Total, AlwaysPrintsItEvenForOneFile) {
  EXPECT_EQ(run({"--total=always", a}).out, "2 " + a + "\n2 total\n");
  invocation what;
  what.args = {"--total=always"};
  what.stdin_data = "x\n";
  EXPECT_EQ(run(what).out, "1\n1 total\n");
}

TEST_F(Total, OnlyPrintsTheBareTotal) {
  const auto result = run({"--total=only", a, b, dir / "missing"});
  EXPECT_EQ(result.out, "7\n");
  EXPECT_EQ(result.err, "linecount: " + dir / "missing" + ": No such file or directory\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST_F(Total, NeverPrintsNoTotal) {
  EXPECT_EQ(sorted_lines(run({"--total=never", a, b}).out), (strings{"2 " + a, "5 " + b}));
}

TEST_F(Total, PrefixesAreAccepted) {
  EXPECT_EQ(run({"--total=al", a}).out, "2 " + a + "\n2 total\n");
  EXPECT_EQ(run({"--total", "o", a, b}).out, "7\n");
}

TEST_F(Total, AmbiguousValue) {
  const auto result = run({"--total=a", a});
  EXPECT_EQ(result.err,
            "linecount: ambiguous argument 'a' for '--total'\n"
            "Valid arguments are:\n"
            "  - 'auto'\n"
            "  - 'always'\n"
            "  - 'only'\n"
            "  - 'never'\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.exit_code, 1);
}

TEST_F(Total, InvalidValueUsesTheLocalesQuotes) {
  invocation what;
  what.args = {"--total=sometimes", a};
  what.locale = "C.UTF-8";
  const auto result = run(what);
  EXPECT_TRUE(result.err.starts_with(
      "linecount: invalid argument \u2018sometimes\u2019 for \u2018--total\u2019\n"
      "Valid arguments are:\n  - \u2018auto\u2019\n"))
      << result.err;
  EXPECT_EQ(result.exit_code, 1);
}

TEST_F(Total, TotalIsTheSumOfPrintedCounts) {
  strings args;
  std::size_t expected = 0;
  for (std::size_t i = 0; i < 50; ++i) {
    args.push_back(dir.write("f" + std::to_string(i), text_with_lines(i * 3)));
    expected += i * 3;
    args.push_back(dir / ("gone" + std::to_string(i)));
  }
  const auto result = run(args);
  EXPECT_TRUE(result.out.ends_with("\n" + std::to_string(expected) + " total\n"));
  EXPECT_EQ(result.exit_code, 1);
}

}  // namespace
