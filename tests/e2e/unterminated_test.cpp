// --count-unterminated: a last line without a newline counts too (wc -l does not count it).

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace linecount::testing;

TEST(Unterminated, CountsALastLineWithoutNewlineOnlyWhenAsked) {
  temp_dir dir;
  const auto cases = {std::pair{"a\nb", 2}, {"", 0}, {"\n", 1}, {"x", 1}, {"a\n\n", 2}};
  int i = 0;
  for (const auto& [content, expected] : cases) {
    const auto file = dir.write("f" + std::to_string(i++), content);
    EXPECT_EQ(run({"--count-unterminated", file}).out, std::to_string(expected) + " " + file + "\n")
        << content;
    const int plain = expected - (std::string_view{content}.ends_with('\n') || *content == 0 ? 0 : 1);
    EXPECT_EQ(run({file}).out, std::to_string(plain) + " " + file + "\n") << content;
  }
}

TEST(Unterminated, LargeFilesCountedInRangesToo) {
  temp_dir dir;
  std::string text = text_with_lines(100'000);  // about 1.2 MiB: counted through ranges
  text += "no newline at the end";
  const auto file = dir.write("big", text);
  EXPECT_EQ(run({"--count-unterminated", file}).out, "100001 " + file + "\n");
  EXPECT_EQ(run({"--threads=3", file}).out, "100000 " + file + "\n");
}

TEST(Unterminated, StandardInput) {
  invocation what;
  what.args = {"--count-unterminated"};
  what.stdin_data = "a\nb";
  EXPECT_EQ(run(what).out, "2\n");
}

}  // namespace
