#include "cli/gnu_options.hpp"

#include <gtest/gtest.h>

#include <array>

namespace {

using linecount::app::canonicalize_options;
using linecount::app::option_error;
using linecount::app::option_spec;

constexpr std::array<option_spec, 4> specs{{
    {"lines", 'l', false},
    {"total", '\0', true},
    {"threads", '\0', true},
    {"jobs", 'j', true},
}};

std::vector<std::string> canonical(std::vector<std::string> args) {
  auto result = canonicalize_options(args, specs);
  if (auto* error = std::get_if<option_error>(&result)) return {"error: " + error->message};
  return std::get<std::vector<std::string>>(result);
}

using strings = std::vector<std::string>;

TEST(GnuOptions, OperandsGoAfterOptions) {
  EXPECT_EQ(canonical({"a", "-l", "b"}), (strings{"--lines", "--", "a", "b"}));
}

TEST(GnuOptions, AbbreviatedLongOptions) {
  EXPECT_EQ(canonical({"--li", "--to=al", "--thr", "2"}),
            (strings{"--lines", "--total", "al", "--threads", "2", "--"}));
}

TEST(GnuOptions, AmbiguousAbbreviation) {
  EXPECT_EQ(canonical({"--t=x"}),
            (strings{"error: option '--t=x' is ambiguous; possibilities: '--total' '--threads'"}));
}

TEST(GnuOptions, UnknownOptions) {
  EXPECT_EQ(canonical({"--bogus"}), (strings{"error: unrecognized option '--bogus'"}));
  EXPECT_EQ(canonical({"--bogus=1"}), (strings{"error: unrecognized option '--bogus=1'"}));
  EXPECT_EQ(canonical({"-q"}), (strings{"error: invalid option -- 'q'"}));
  EXPECT_EQ(canonical({"-lq"}), (strings{"error: invalid option -- 'q'"}));
}

TEST(GnuOptions, ArgumentRules) {
  EXPECT_EQ(canonical({"--lines=3"}), (strings{"error: option '--lines' doesn't allow an argument"}));
  EXPECT_EQ(canonical({"--total"}), (strings{"error: option '--total' requires an argument"}));
  EXPECT_EQ(canonical({"-j"}), (strings{"error: option requires an argument -- 'j'"}));
}

TEST(GnuOptions, ShortOptionClusters) {
  EXPECT_EQ(canonical({"-lj4"}), (strings{"--lines", "--jobs", "4", "--"}));
  EXPECT_EQ(canonical({"-j", "8", "x"}), (strings{"--jobs", "8", "--", "x"}));
}

TEST(GnuOptions, DoubleDashEndsOptions) {
  EXPECT_EQ(canonical({"--", "-l", "--total", "-"}), (strings{"--", "-l", "--total", "-"}));
}

TEST(GnuOptions, DashAndEmptyAreOperands) {
  EXPECT_EQ(canonical({"-", ""}), (strings{"--", "-", ""}));
}

TEST(GnuOptions, SeparateValueMayLookLikeAnOption) {
  EXPECT_EQ(canonical({"--total", "--lines"}), (strings{"--total", "--lines", "--"}));
}

TEST(GnuOptions, RejectedArgumentsAreEchoedEscaped) {
  // One message, one line, no raw control character (found by the command-line fuzzer).
  EXPECT_EQ(canonical({"--f\nlinecount: x"}),
            (strings{"error: unrecognized option '--f\\nlinecount: x'"}));
  EXPECT_EQ(canonical({"--t\x1b]0;x\a=1"}),
            (strings{"error: unrecognized option '--t\\033]0;x\\a=1'"}));
  EXPECT_EQ(canonical({"-l\t"}), (strings{"error: invalid option -- '\\t'"}));
  EXPECT_EQ(canonical({"--bad\\name"}), (strings{"error: unrecognized option '--bad\\\\name'"}));
}

}  // namespace
