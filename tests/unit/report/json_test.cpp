#include "report/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using linecount::app::append_json_string;
using linecount::app::base64;
using linecount::app::is_valid_utf8;

std::string json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(Json, Utf8ValidityIsStrict) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain.txt"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));                // é
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));               // €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));           // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));                   // Latin-1 é
  EXPECT_FALSE(is_valid_utf8("\xC3"));                      // cut short
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                  // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));              // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));              // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));          // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));              // cut short
}

TEST(Json, StringsEscapeWhatJsonRequires) {
  EXPECT_EQ(json("a.txt"), R"("a.txt")");
  EXPECT_EQ(json("say \"hi\" \\ bye"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(json("a\nb\tc\rd"), R"("a\nb\tc\rd")");
  EXPECT_EQ(json(std::string_view{"\x01\x1f\x7f", 3}), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(json("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
  EXPECT_EQ(json("bad\xFFname"), "\"bad\xEF\xBF\xBDname\"");
}

TEST(Json, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64("\xFF\xFE\x00\x80"), "//4=");  // stops at the NUL of the literal
  EXPECT_EQ(base64(std::string_view{"\xFF\xFE\x00\x80", 4}), "//4AgA==");
}

}  // namespace
