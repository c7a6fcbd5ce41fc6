// The invariant, checked on thousands of random operands against GNU wc itself: every
// operand yields exactly one record (a count on standard output or one message on standard
// error), names are printed and quoted exactly as wc prints and quotes them, the total is
// the sum of the counts printed, and the exit status is 1 exactly when some operand failed.
//
// linecount differs from wc in one way only: a directory gets its message and no "0 ."
// count line (wc prints both).

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

// A file name with odd bytes: spaces, quotes, newlines, tabs, invalid UTF-8, a leading dash.
std::string odd_name(std::mt19937& random, int serial) {
  static const std::vector<std::string> pieces{"a", "b", " ", "'", "\"", "\n", "\t", "\xff",
                                               "\xc3\xa9", ":", "$", "*", "-", "=", "#", "\x1b"};
  std::uniform_int_distribution<std::size_t> pick{0, pieces.size() - 1};
  std::string name = pick(random) % 3 == 0 ? "-" : "";
  for (int i = 0; i < 4; ++i) name += pieces[pick(random)];
  return name + std::to_string(serial);
}

// Operands of every kind, made in `dir`; also returns the sum of the lines of those counted.
std::pair<strings, std::uint64_t> random_operands(const temp_dir& dir, std::uint32_t seed,
                                                  int count) {
  std::mt19937 random{seed};
  std::uniform_int_distribution<int> kind{0, 9};
  std::uniform_int_distribution<std::size_t> lines{0, 40};
  strings args{"--"};
  std::uint64_t total = 0;
  std::vector<std::pair<std::string, std::size_t>> good;
  for (int i = 0; i < count; ++i) {
    const int k = kind(random);
    if (k <= 3) {  // a file with lines, odd name
      const std::string name = odd_name(random, i);
      const std::size_t n = lines(random);
      dir.write(name, text_with_lines(n) + (n % 2 ? "no newline" : ""));
      good.emplace_back(name, n);
      args.push_back(name);
      total += n;
    } else if (k == 4) {  // an empty file
      args.push_back(dir.write("empty" + std::to_string(i), ""));
    } else if (k == 5 && !good.empty()) {  // the same file again
      const auto& [name, n] = good[random() % good.size()];
      args.push_back(name);
      total += n;
    } else if (k <= 6) {  // missing, with an odd name
      args.push_back("missing " + odd_name(random, i));
    } else if (k == 7) {  // a directory
      args.emplace_back(".");
    } else {
      args.emplace_back("/dev/null");
    }
  }
  return {args, total};
}

// What GNU wc -l prints for `args` in `dir`, as linecount prints it: records sorted (a
// directory's "0 ." left out), messages sorted and renamed, the exit status.
outcome what_wc_prints(const temp_dir& dir, const strings& args) {
  invocation wc;
  wc.binary = "wc";
  wc.args = args;
  wc.args.insert(wc.args.begin(), "-l");
  wc.cwd = dir.path().string();
  auto printed = run(wc);
  outcome expected;
  expected.exit_code = printed.exit_code;
  strings records;
  for (auto line : sorted_lines(printed.out)) {
    line.erase(0, line.find_first_not_of(' '));  // wc pads the counts into a column
    if (line != "0 .") records.push_back(line);
  }
  std::sort(records.begin(), records.end());
  for (const auto& record : records) expected.out += record + '\n';
  for (const auto& line : sorted_lines(printed.err)) {
    EXPECT_TRUE(line.starts_with("wc: ")) << line;
    expected.err += "linecount: " + line.substr(4) + '\n';
  }
  return expected;
}

class Invariant : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(Invariant, OneRecordPerOperandAsWcPrintsIt) {
  temp_dir dir;
  const auto [args, total] = random_operands(dir, GetParam(), 2000);
  const auto expected = what_wc_prints(dir, args);
  ASSERT_NE(expected.out.find(std::to_string(total) + " total\n"), std::string::npos)
      << "wc's total differs from the lines written";
  invocation what;
  what.args = args;
  what.cwd = dir.path().string();
  what.open_file_limit = 24;
  const auto result = run(what);
  EXPECT_EQ(result.signal, 0);
  std::string sorted_out;
  for (const auto& line : sorted_lines(result.out)) sorted_out += line + '\n';
  std::string sorted_err;
  for (const auto& line : sorted_lines(result.err)) sorted_err += line + '\n';
  EXPECT_EQ(sorted_out, expected.out);
  EXPECT_EQ(sorted_err, expected.err);
  EXPECT_EQ(result.exit_code, expected.exit_code);
  EXPECT_TRUE(result.out.ends_with("\n" + std::to_string(total) + " total\n"))
      << "the total comes last";
}

INSTANTIATE_TEST_SUITE_P(Seeds, Invariant, ::testing::Values(1U, 2U, 3U, 20261125U));

TEST(InvariantAllGood, ExitStatusIsZeroWhenNothingFails) {
  temp_dir dir;
  strings args;
  for (int i = 0; i < 500; ++i) args.push_back(dir.write("f" + std::to_string(i), "x\n"));
  invocation what;
  what.args = args;
  what.open_file_limit = 24;
  const auto result = run(what);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.out.ends_with("\n500 total\n"));
}

}  // namespace
