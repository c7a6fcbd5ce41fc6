#include "report/quote.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <string_view>

namespace {

// Restores the "C" locale after each test that switches it.
class Quote : public ::testing::Test {
 protected:
  void TearDown() override { std::setlocale(LC_ALL, "C"); }
  static void use_locale(const char* name) {
    ASSERT_NE(std::setlocale(LC_ALL, name), nullptr) << "locale " << name << " is missing";
  }
};

struct golden_case {
  const char* locale;
  std::string_view name;
  std::string_view diagnostic;  // what GNU wc 9.1 prints for the name in a message
};

// Recorded from GNU coreutils 9.1 `wc -l NAME` messages on Debian 12.
constexpr golden_case golden_cases[] = {
    {"C", "plain.txt", "plain.txt"},
    {"C", "a b", "'a b'"},
    {"C", "a'b", "\"a'b\""},
    {"C", "a:b", "'a:b'"},
    {"C", "", "''"},
    {"C", "#a", "'#a'"},
    {"C", "a#", "a#"},
    {"C", "~a", "'~a'"},
    {"C", "a~", "a~"},
    {"C", "{", "'{'"},
    {"C", "}", "'}'"},
    {"C", "{a}", "{a}"},
    {"C", "?", "'?'"},
    {"C", "'", "\"'\""},
    {"C", "''", "\"''\""},
    {"C", "a'b c", "\"a'b c\""},
    {"C", "a'b:c", "\"a'b:c\""},
    {"C", "a'b!c", "'a'\\''b!c'"},
    {"C", "it's \"q\"", "'it'\\''s \"q\"'"},
    {"C", "a\"b", "'a\"b'"},
    {"C", "a$b", "'a$b'"},
    {"C", "a\\b", "'a\\b'"},
    {"C", "a'@", "\"a'@\""},
    {"C", "a'#", "'a'\\''#'"},
    {"C", "a'{", "'a'\\''{'"},
    {"C", "#'", "\"#'\""},
    {"C", "--x", "--x"},
    {"C", "a=b", "'a=b'"},
    {"C", "a%b+c,d-e.f/g]h_i@j", "a%b+c,d-e.f/g]h_i@j"},
    {"C", "a\012b", "'a'$'\\n''b'"},
    {"C", "x\012", "'x'$'\\n'"},
    {"C", "\012y", "''$'\\n''y'"},
    {"C", "a\011b", "'a'$'\\t''b'"},
    {"C", "a\011\011b", "'a'$'\\t\\t''b'"},
    {"C", "\011x", "''$'\\t''x'"},
    {"C", "x\011", "'x'$'\\t'"},
    {"C", "\011'", "''$'\\t'\\'''"},
    {"C", "'\011", "''\\'''$'\\t'"},
    {"C", "a'b\011c", "'a'\\''b'$'\\t''c'"},
    {"C", "a'\011b", "'a'\\'''$'\\t''b'"},
    {"C", "a'\177b", "'a'\\'''$'\\177''b'"},
    {"C", "\177'", "''$'\\177'\\'''"},
    {"C", "'\177", "''\\'''$'\\177'"},
    {"C", "a\001b", "'a'$'\\001''b'"},
    {"C", "a\033[0m", "'a'$'\\033''[0m'"},
    {"C", "x\377y", "'x'$'\\377''y'"},
    {"C", "\303\251", "''$'\\303\\251'"},
    {"C", "\303\251\377", "''$'\\303\\251\\377'"},
    {"C", "\302\205", "''$'\\302\\205'"},
    {"C", "\342\200\213", "''$'\\342\\200\\213'"},
    {"C.UTF-8", "plain.txt", "plain.txt"},
    {"C.UTF-8", "a b", "'a b'"},
    {"C.UTF-8", "a'b", "\"a'b\""},
    {"C.UTF-8", "a:b", "'a:b'"},
    {"C.UTF-8", "", "''"},
    {"C.UTF-8", "#a", "'#a'"},
    {"C.UTF-8", "a#", "a#"},
    {"C.UTF-8", "~a", "'~a'"},
    {"C.UTF-8", "a~", "a~"},
    {"C.UTF-8", "{", "'{'"},
    {"C.UTF-8", "}", "'}'"},
    {"C.UTF-8", "{a}", "{a}"},
    {"C.UTF-8", "?", "'?'"},
    {"C.UTF-8", "'", "\"'\""},
    {"C.UTF-8", "''", "\"''\""},
    {"C.UTF-8", "a'b c", "\"a'b c\""},
    {"C.UTF-8", "a'b:c", "\"a'b:c\""},
    {"C.UTF-8", "a'b!c", "'a'\\''b!c'"},
    {"C.UTF-8", "it's \"q\"", "'it'\\''s \"q\"'"},
    {"C.UTF-8", "a\"b", "'a\"b'"},
    {"C.UTF-8", "a$b", "'a$b'"},
    {"C.UTF-8", "a\\b", "'a\\b'"},
    {"C.UTF-8", "a'@", "\"a'@\""},
    {"C.UTF-8", "a'#", "'a'\\''#'"},
    {"C.UTF-8", "a'{", "'a'\\''{'"},
    {"C.UTF-8", "#'", "\"#'\""},
    {"C.UTF-8", "--x", "--x"},
    {"C.UTF-8", "a=b", "'a=b'"},
    {"C.UTF-8", "a%b+c,d-e.f/g]h_i@j", "a%b+c,d-e.f/g]h_i@j"},
    {"C.UTF-8", "a\012b", "'a'$'\\n''b'"},
    {"C.UTF-8", "x\012", "'x'$'\\n'"},
    {"C.UTF-8", "\012y", "''$'\\n''y'"},
    {"C.UTF-8", "a\011b", "'a'$'\\t''b'"},
    {"C.UTF-8", "a\011\011b", "'a'$'\\t\\t''b'"},
    {"C.UTF-8", "\011x", "''$'\\t''x'"},
    {"C.UTF-8", "x\011", "'x'$'\\t'"},
    {"C.UTF-8", "\011'", "''$'\\t'\\'''"},
    {"C.UTF-8", "'\011", "''\\'''$'\\t'"},
    {"C.UTF-8", "a'b\011c", "'a'\\''b'$'\\t''c'"},
    {"C.UTF-8", "a'\011b", "'a'\\'''$'\\t''b'"},
    {"C.UTF-8", "a'\177b", "'a'\\'''$'\\177''b'"},
    {"C.UTF-8", "\177'", "''$'\\177'\\'''"},
    {"C.UTF-8", "'\177", "''\\'''$'\\177'"},
    {"C.UTF-8", "a\001b", "'a'$'\\001''b'"},
    {"C.UTF-8", "a\033[0m", "'a'$'\\033''[0m'"},
    {"C.UTF-8", "x\377y", "'x'$'\\377''y'"},
    {"C.UTF-8", "\303\251", "\303\251"},
    {"C.UTF-8", "a'\303\251", "\"a'\303\251\""},
    {"C.UTF-8", "\303\251\377", "'\303\251'$'\\377'"},
    {"C.UTF-8", "\302\205", "''$'\\302\\205'"},
    {"C.UTF-8", "\342\200\213", "\342\200\213"},
};

TEST_F(Quote, MatchesGnuDiagnostics) {
  for (const auto& c : golden_cases) {
    use_locale(c.locale);
    EXPECT_EQ(linecount::quote_name(c.name), c.diagnostic) << "locale " << c.locale;
  }
}

TEST_F(Quote, CorrectWhereGnulibRestartsBadly) {
  // coreutils 9.1's gnulib writes '''a'\'''$'\303\251' here: a stale escape state survives
  // its second pass after spotting the apostrophe. Newer gnulib fixed that; linecount gives
  // the fixed form.
  use_locale("C");
  EXPECT_EQ(linecount::quote_name("a'\303\251"), "'a'\\'''$'\\303\\251'");
  EXPECT_EQ(linecount::quote_name("a'b\t"), "'a'\\''b'$'\\t'");
  // Here the old gnulib even lost the $' opener ('\001'...); this is the fixed form.
  EXPECT_EQ(linecount::quote_name("\001'\177"), "''$'\\001'\\'''$'\\177'");
}

TEST_F(Quote, AlwaysQuotes) {
  use_locale("C");
  EXPECT_EQ(linecount::quote_always("x"), "'x'");
  EXPECT_EQ(linecount::quote_always("-"), "'-'");
  EXPECT_EQ(linecount::quote_always(""), "''");
  EXPECT_EQ(linecount::quote_always("a:b"), "'a:b'");
  EXPECT_EQ(linecount::quote_always("it's"), "\"it's\"");
}

TEST_F(Quote, OutputNamesAreBareUnlessTheyHoldANewline) {
  use_locale("C");
  EXPECT_EQ(linecount::name_for_output("a b"), "a b");
  EXPECT_EQ(linecount::name_for_output("a'b:c\t"), "a'b:c\t");
  EXPECT_EQ(linecount::name_for_output("n\nl"), "'n'$'\\n''l'");
}

TEST_F(Quote, LocaleQuotes) {
  use_locale("C");
  EXPECT_EQ(linecount::quote_locale("x"), "'x'");
  EXPECT_EQ(linecount::quote_locale("a\\b\n"), "'a\\\\b\\n'");
  use_locale("C.UTF-8");
  EXPECT_EQ(linecount::quote_locale("x"), "\u2018x\u2019");
}

}  // namespace
