// The invariant, checked on thousands of random operands: every operand yields exactly one
// record (a count on standard output or one message on standard error), the total is the sum
// of the counts printed, and the exit status is 1 exactly when some operand failed.

#include "linecount/quote.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <random>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

struct expectation {
  strings args{"--"};
  strings out;  // every record, total included
  strings err;
  bool any_failure = false;
};

// A file name with odd bytes: spaces, quotes, newlines, tabs, invalid UTF-8, a leading dash.
std::string odd_name(std::mt19937& random, int serial) {
  static const std::vector<std::string> pieces{"a", "b", " ", "'", "\"", "\n", "\t", "\xff",
                                               "\xc3\xa9", ":", "$", "*", "-", "=", "#"};
  std::uniform_int_distribution<std::size_t> pick{0, pieces.size() - 1};
  std::string name = pick(random) % 3 == 0 ? "-" : "";
  for (int i = 0; i < 4; ++i) name += pieces[pick(random)];
  return name + std::to_string(serial);
}

expectation random_operands(const temp_dir& dir, std::uint32_t seed, int count) {
  std::mt19937 random{seed};
  std::uniform_int_distribution<int> kind{0, 9};
  std::uniform_int_distribution<std::size_t> lines{0, 40};
  expectation e;
  std::uint64_t total = 0;
  std::vector<std::pair<std::string, std::size_t>> good;
  for (int i = 0; i < count; ++i) {
    const int k = kind(random);
    if (k <= 3) {  // a file with lines, odd name
      const std::string name = odd_name(random, i);
      const std::size_t n = lines(random);
      dir.write(name, text_with_lines(n) + (n % 2 ? "no newline" : ""));
      good.emplace_back(name, n);
      e.args.push_back(name);
      e.out.push_back(std::to_string(n) + " " + linecount::name_for_output(name));
      total += n;
    } else if (k == 4) {  // an empty file
      const std::string name = "empty" + std::to_string(i);
      dir.write(name, "");
      e.args.push_back(name);
      e.out.push_back("0 " + name);
    } else if (k == 5 && !good.empty()) {  // the same file again
      const auto& [name, n] = good[random() % good.size()];
      e.args.push_back(name);
      e.out.push_back(std::to_string(n) + " " + linecount::name_for_output(name));
      total += n;
    } else if (k <= 6) {  // missing, with an odd name
      const std::string name = "missing " + odd_name(random, i);
      e.args.push_back(name);
      e.err.push_back("linecount: " + linecount::quote_name(name) + ": No such file or directory");
      e.any_failure = true;
    } else if (k == 7) {  // a directory
      e.args.emplace_back(".");
      e.err.emplace_back("linecount: .: Is a directory");
      e.any_failure = true;
    } else {
      e.args.emplace_back("/dev/null");
      e.out.emplace_back("0 /dev/null");
    }
  }
  e.out.push_back(std::to_string(total) + " total");
  std::sort(e.out.begin(), e.out.end());
  std::sort(e.err.begin(), e.err.end());
  return e;
}

class Invariant : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(Invariant, OneRecordPerOperandAndAnHonestTotal) {
  std::setlocale(LC_ALL, "C");  // the same quoting as the child's LC_ALL=C
  temp_dir dir;
  const auto expected = random_operands(dir, GetParam(), 2000);
  invocation what;
  what.args = expected.args;
  what.cwd = dir.path().string();
  what.open_file_limit = 24;
  const auto result = run(what);
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(sorted_lines(result.out), expected.out);
  EXPECT_EQ(sorted_lines(result.err), expected.err);
  EXPECT_EQ(result.exit_code, expected.any_failure ? 1 : 0);
  EXPECT_TRUE(result.out.ends_with(" total\n")) << "the total comes last";
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
