#include "report/total_mode.hpp"

#include <gtest/gtest.h>

namespace {

using linecount::argument_error;
using linecount::parse_total_mode;
using linecount::total_mode;

TEST(TotalMode, ExactNames) {
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("auto")), total_mode::automatic);
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("always")), total_mode::always);
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("only")), total_mode::only);
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("never")), total_mode::never);
}

TEST(TotalMode, UnambiguousPrefixes) {
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("al")), total_mode::always);
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("au")), total_mode::automatic);
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("o")), total_mode::only);
  EXPECT_EQ(std::get<total_mode>(parse_total_mode("n")), total_mode::never);
}

TEST(TotalMode, AmbiguousAndInvalid) {
  EXPECT_EQ(std::get<argument_error>(parse_total_mode("a")), argument_error::ambiguous);
  EXPECT_EQ(std::get<argument_error>(parse_total_mode("")), argument_error::ambiguous);
  EXPECT_EQ(std::get<argument_error>(parse_total_mode("x")), argument_error::invalid);
  EXPECT_EQ(std::get<argument_error>(parse_total_mode("always2")), argument_error::invalid);
  EXPECT_EQ(std::get<argument_error>(parse_total_mode("AUTO")), argument_error::invalid);
}

TEST(TotalMode, WhenTheTotalIsPrinted) {
  EXPECT_FALSE(linecount::prints_total(total_mode::automatic, 0));
  EXPECT_FALSE(linecount::prints_total(total_mode::automatic, 1));
  EXPECT_TRUE(linecount::prints_total(total_mode::automatic, 2));
  EXPECT_TRUE(linecount::prints_total(total_mode::always, 0));
  EXPECT_TRUE(linecount::prints_total(total_mode::always, 1));
  EXPECT_TRUE(linecount::prints_total(total_mode::only, 1));
  EXPECT_FALSE(linecount::prints_total(total_mode::never, 5));
}

TEST(TotalMode, OnlySuppressesFileCounts) {
  EXPECT_TRUE(linecount::prints_file_counts(total_mode::automatic));
  EXPECT_TRUE(linecount::prints_file_counts(total_mode::always));
  EXPECT_TRUE(linecount::prints_file_counts(total_mode::never));
  EXPECT_FALSE(linecount::prints_file_counts(total_mode::only));
}

}  // namespace
