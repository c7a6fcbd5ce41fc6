#include "cli/command_line.hpp"

#include <gtest/gtest.h>

namespace {

using linecount::total_mode;
using linecount::app::early_exit;
using linecount::app::options;
using linecount::app::parse_command_line;

options parsed(std::vector<std::string> args) {
  auto result = parse_command_line(args);
  if (auto* exit = std::get_if<early_exit>(&result)) {
    ADD_FAILURE() << "unexpected exit " << exit->status << ": " << exit->err;
    return {};
  }
  return std::get<options>(result);
}

early_exit exited(std::vector<std::string> args) {
  auto result = parse_command_line(args);
  if (auto* exit = std::get_if<early_exit>(&result)) return *exit;
  ADD_FAILURE() << "expected an early exit";
  return {};
}

TEST(CommandLine, Defaults) {
  const auto opts = parsed({});
  EXPECT_TRUE(opts.files.empty());
  EXPECT_FALSE(opts.files0_from);
  EXPECT_EQ(opts.total, total_mode::automatic);
  EXPECT_EQ(opts.jobs, linecount::app::default_jobs);
  EXPECT_FALSE(opts.threads.has_value());
}

TEST(CommandLine, FilesInOrderWithOptionsAnywhere) {
  const auto opts = parsed({"b", "-l", "a", "--total=never", "-", "--", "-x"});
  EXPECT_EQ(opts.files, (std::vector<std::string>{"b", "a", "-", "-x"}));
  EXPECT_EQ(opts.total, total_mode::never);
}

TEST(CommandLine, TotalPrefixAndLastOneWins) {
  EXPECT_EQ(parsed({"--total=al"}).total, total_mode::always);
  EXPECT_EQ(parsed({"--total=only", "--tot=nev"}).total, total_mode::never);
}

TEST(CommandLine, InvalidTotalListsValidArguments) {
  const auto exit = exited({"--total=x"});
  EXPECT_EQ(exit.status, 1);
  EXPECT_EQ(exit.err,
            "linecount: invalid argument 'x' for '--total'\n"
            "Valid arguments are:\n"
            "  - 'auto'\n"
            "  - 'always'\n"
            "  - 'only'\n"
            "  - 'never'\n"
            "Try 'linecount --help' for more information.\n");
}

TEST(CommandLine, AmbiguousTotal) {
  const auto exit = exited({"--total=a"});
  EXPECT_EQ(exit.status, 1);
  EXPECT_TRUE(exit.err.starts_with("linecount: ambiguous argument 'a' for '--total'\n"));
}

TEST(CommandLine, JobsAndThreads) {
  const auto opts = parsed({"-j", "3", "--threads=7"});
  EXPECT_EQ(opts.jobs, 3U);
  EXPECT_EQ(opts.threads, 7U);
  EXPECT_EQ(exited({"-j0"}).err, "linecount: invalid number of jobs: '0' (1 to 1048576)\n");
  EXPECT_EQ(exited({"--threads=x"}).status, 1);
  EXPECT_EQ(exited({"--jobs="}).status, 1);
}

TEST(CommandLine, Files0FromRejectsOperands) {
  const auto exit = exited({"--files0-from=list", "x", "y"});
  EXPECT_EQ(exit.status, 1);
  EXPECT_EQ(exit.err,
            "linecount: extra operand 'x'\n"
            "file operands cannot be combined with --files0-from\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(parsed({"--files0-from", "-"}).files0_from, "-");
}

TEST(CommandLine, AnEmptyValueIsTakenAsItIs) {
  // Never the next argument (found by the command-line fuzzer: "--files0-from=" took "--").
  EXPECT_EQ(exited({"--files0-from=", "--", "--x"}).err,
            "linecount: extra operand '--x'\n"
            "file operands cannot be combined with --files0-from\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(parsed({"--files0-from="}).files0_from, "");
  EXPECT_EQ(parsed({"--files0-from", ""}).files0_from, "");
  EXPECT_EQ(exited({"--total=", "x"}).status, 1);
  EXPECT_EQ(exited({"--jobs=", "2"}).err.substr(0, 42), "linecount: invalid number of jobs: '' (1 t");
}

TEST(CommandLine, NameFiltersKeepTheirOrder) {
  // --exclude='x*' --include='*.c': x.c is counted (the later --include matches it), y.h
  // too (no pattern matches it, and the first is an --exclude), x.h is not.
  const auto opts = parsed({"--exclude=x*", "a", "--include", "*.c", "--exclude-dir=sub/", "-r"});
  EXPECT_EQ(opts.files, (std::vector<std::string>{"a"}));
  EXPECT_TRUE(opts.recursive);
  EXPECT_FALSE(opts.filters.skips_file("x.c"));
  EXPECT_FALSE(opts.filters.skips_file("y.h"));
  EXPECT_TRUE(opts.filters.skips_file("x.h"));
  EXPECT_TRUE(opts.filters.skips_directory("sub"));
  // The other way round, x.c and y.h are left out.
  const auto reversed = parsed({"--include=*.c", "--exclude=x*"});
  EXPECT_TRUE(reversed.filters.skips_file("x.c"));
  EXPECT_TRUE(reversed.filters.skips_file("y.h"));
  EXPECT_FALSE(reversed.filters.skips_file("z.c"));
  EXPECT_FALSE(reversed.filters.filters_directories());
  EXPECT_FALSE(parsed({"x"}).filters.filters_files());
}

TEST(CommandLine, NameFilterValuesAreTakenAsTheyAre) {
  // A value that looks like an option, or is "--", is a pattern like any other.
  const auto opts = parsed({"--exclude", "--json", "--exclude=--", "--inc=-r", "file", "--", "-k"});
  EXPECT_EQ(opts.files, (std::vector<std::string>{"file", "-k"}));
  EXPECT_FALSE(opts.json);
  EXPECT_FALSE(opts.recursive);
  EXPECT_FALSE(opts.keep_order);
  EXPECT_TRUE(opts.filters.skips_file("--json"));
  EXPECT_TRUE(opts.filters.skips_file("--"));
  EXPECT_FALSE(opts.filters.skips_file("-r"));
  EXPECT_FALSE(opts.filters.skips_file("other"));
  EXPECT_TRUE(parsed({"--exclude-dir", "--total=x"}).filters.skips_directory("--total=x"));
  EXPECT_EQ(parsed({"--exclude-dir", "--total=x"}).total, total_mode::automatic);
}

TEST(CommandLine, NameFilterUsageErrors) {
  EXPECT_EQ(exited({"--include"}).err,
            "linecount: option '--include' requires an argument\n"
            "Try 'linecount --help' for more information.\n");
  EXPECT_EQ(exited({"x", "--exclude-dir"}).status, 1);
  EXPECT_EQ(exited({"--excl=x"}).err,
            "linecount: option '--excl=x' is ambiguous; possibilities: '--exclude' "
            "'--exclude-dir'\n"
            "Try 'linecount --help' for more information.\n");
}

TEST(CommandLine, HelpAndVersion) {
  const auto help = exited({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_TRUE(help.out.starts_with("Usage: linecount [OPTION]... [FILE]...\n"));
  EXPECT_NE(help.out.find("--files0-from=F"), std::string::npos);
  EXPECT_NE(help.out.find("\n      --exclude-dir=GLOB  "), std::string::npos);
  EXPECT_NE(help.out.find("Exit status"), std::string::npos);
  const auto version = exited({"--vers"});
  EXPECT_EQ(version.status, 0);
  EXPECT_TRUE(version.out.starts_with("linecount "));
}

TEST(CommandLine, UnknownOptionMessage) {
  const auto exit = exited({"--nope"});
  EXPECT_EQ(exit.status, 1);
  EXPECT_EQ(exit.err,
            "linecount: unrecognized option '--nope'\n"
            "Try 'linecount --help' for more information.\n");
}

}  // namespace
