// --json: JSON Lines records, checked byte for byte and through a real JSON parser (jq).

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;
using namespace std::string_literals;

bool have_jq() { return std::system("jq --version > /dev/null 2>&1") == 0; }

// A plain base64 decoder, to check that path_bytes gives back the exact name.
std::string base64_decode(const std::string& text) {
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=') break;
    bits = bits << 6U | static_cast<unsigned>(alphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> static_cast<unsigned>(count)) & 0xFFU);
    }
  }
  return out;
}

TEST(Json, OneObjectPerOperandThenTheTotal) {
  temp_dir dir;
  const auto a = dir.write("a", "1\n2\n");
  const auto b = dir.write("b", "");
  const auto missing = dir / "missing";
  const auto result = run({"--json", "-k", a, missing, b});
  EXPECT_EQ(result.out, R"({"path":")" + a + R"(","lines":2})" "\n"
                        R"({"path":")" + missing + R"(","error":"No such file or directory"})" "\n"
                        R"({"path":")" + b + R"(","lines":0})" "\n"
                        R"({"total":2,"files":2,"errors":1})" "\n");
  EXPECT_EQ(result.err, "linecount: " + missing + ": No such file or directory\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Json, EveryRecordParsesWithJq) {
  ASSERT_TRUE(have_jq()) << "jq is needed (scripts/setup.sh --test installs it)";
  temp_dir dir;
  dir.write("plain", "x\n");
  dir.write("say \"hi\"", "x\ny\n");
  dir.write("back\\slash", "\n\n\n");
  dir.write("new\nline", "1\n");
  dir.write("tab\there", "");
  dir.write("ctl\x01", "z\n");
  dir.write("caf\xC3\xA9", "a\nb\n");
  const auto result = run_shell("cd '" + dir.path().string() + "' && \"$LC\" --json -k plain "
                                "'say \"hi\"' 'back\\slash' \"$(printf 'new\\nline')\" "
                                "\"$(printf 'tab\\there')\" \"$(printf 'ctl\\001')\" "
                                "\"$(printf 'caf\\303\\251')\" | jq -j '(.path // \"TOTAL\") + \"=\" + "
                                "((.lines // .total) | tostring) + \"\\u0000\"'");
  EXPECT_EQ(result.out, "plain=1\0say \"hi\"=2\0back\\slash=3\0new\nline=1\0"
                        "tab\there=0\0ctl\x01=1\0caf\xC3\xA9=2\0TOTAL=10\0"s);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Json, NamesThatAreNotUtf8RoundTripAsPathBytes) {
  ASSERT_TRUE(have_jq()) << "jq is needed (scripts/setup.sh --test installs it)";
  temp_dir dir;
  const std::string name = "bad\xFF\xFEname";
  const auto path = dir.write(name, "1\n2\n3\n");
  const auto result = run({"--json", path});
  ASSERT_EQ(result.exit_code, 0);
  const std::string prefix = R"({"path_bytes":")";
  ASSERT_TRUE(result.out.starts_with(prefix)) << result.out;
  const auto end = result.out.find('"', prefix.size());
  EXPECT_EQ(base64_decode(result.out.substr(prefix.size(), end - prefix.size())), path);
  EXPECT_EQ(result.out.substr(end), R"(","lines":3})" "\n");
  const auto parsed = run_shell("\"$LC\" --json '" + path + "' | jq -r '[has(\"path\"), .lines] | @csv'");
  EXPECT_EQ(parsed.out, "false,3\n");
}

TEST(Json, TotalModesAndStandardInput) {
  temp_dir dir;
  const auto a = dir.write("a", "1\n");
  const auto b = dir.write("b", "1\n2\n");
  EXPECT_EQ(run({"--json", "--total=only", a, b}).out, R"({"total":3,"files":2,"errors":0})" "\n");
  EXPECT_EQ(run({"--json", "--total=never", "-k", a, b}).out,
            R"({"path":")" + a + R"(","lines":1})" "\n" R"({"path":")" + b + R"(","lines":2})" "\n");
  EXPECT_EQ(run({"--json", a}).out, R"({"path":")" + a + R"(","lines":1})" "\n");
  invocation what;
  what.args = {"--json", "--total=always"};
  what.stdin_data = "x\ny\n";
  EXPECT_EQ(run(what).out, R"({"path":"-","lines":2})" "\n" R"({"total":2,"files":1,"errors":0})" "\n");
}

TEST(Json, WithNullEachObjectEndsInNul) {
  temp_dir dir;
  const auto a = dir.write("a", "1\n");
  const std::string expected = R"({"path":")" + a + R"(","lines":1})" + "\0"s +
                               R"({"total":1,"files":1,"errors":0})" + "\0"s;
  EXPECT_EQ(run({"--json", "-0", "--total=always", a}).out, expected);
}

TEST(Json, RejectedNamesGiveTheirNameAndTheReasonAlone) {
  invocation what;
  what.args = {"--json", "--files0-from=-", "--total=never"};
  what.stdin_data = "\0-\0"s;
  const auto result = run(what);
  EXPECT_EQ(result.out,
            R"({"path":"","error":"invalid zero-length file name"})" "\n"
            R"({"path":"-","error":"when reading file names from standard input, no file name of '-' allowed"})" "\n");
  EXPECT_EQ(result.err, "linecount: -:1: invalid zero-length file name\n"
                        "linecount: when reading file names from standard input, no file name of '-' allowed\n");
  EXPECT_EQ(result.exit_code, 1);
}

}  // namespace
