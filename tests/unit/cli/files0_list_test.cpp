#include "cli/files0_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using linecount::files0_list;

std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

// Feeds `list` in pieces of `piece` bytes and returns every name, in order.
std::vector<std::string> parse_in_pieces(std::string_view list, std::size_t piece) {
  files0_list parser;
  std::vector<std::string> names;
  for (std::size_t at = 0; at < list.size(); at += piece) {
    parser.feed(bytes_of(list.substr(at, piece)));
    while (auto entry = parser.pop()) names.push_back(entry->name);
  }
  parser.finish();
  while (auto entry = parser.pop()) names.push_back(entry->name);
  return names;
}

TEST(Files0List, EmptyListHasNoNames) {
  EXPECT_TRUE(parse_in_pieces("", 1).empty());
}

TEST(Files0List, NamesInOrder) {
  using namespace std::string_literals;
  const std::vector<std::string> expected{"a", "b c", "d\ne"};
  EXPECT_EQ(parse_in_pieces("a\0b c\0d\ne\0"s, 64), expected);
}

TEST(Files0List, MissingFinalNulStillGivesLastName) {
  using namespace std::string_literals;
  const std::vector<std::string> expected{"first", "last"};
  EXPECT_EQ(parse_in_pieces("first\0last"s, 3), expected);
}

TEST(Files0List, ZeroLengthNamesAreReportedWithTheirNumber) {
  using namespace std::string_literals;
  files0_list parser;
  parser.feed(bytes_of("\0a\0\0"s));
  parser.finish();
  std::vector<std::pair<std::string, std::uint64_t>> entries;
  while (auto entry = parser.pop()) entries.emplace_back(entry->name, entry->number);
  const std::vector<std::pair<std::string, std::uint64_t>> expected{{"", 1}, {"a", 2}, {"", 3}};
  EXPECT_EQ(entries, expected);
}

TEST(Files0List, DashIsAnOrdinaryName) {
  using namespace std::string_literals;
  const std::vector<std::string> expected{"-", "x"};
  EXPECT_EQ(parse_in_pieces("-\0x\0"s, 1), expected);
}

TEST(Files0List, EveryPieceSizeGivesTheSameNames) {
  using namespace std::string_literals;
  const auto list = "alpha\0\0beta gamma\0\xff\xfe\0delta"s;
  const std::vector<std::string> expected{"alpha", "", "beta gamma", "\xff\xfe", "delta"};
  for (std::size_t piece = 1; piece <= list.size(); ++piece)
    EXPECT_EQ(parse_in_pieces(list, piece), expected) << "piece " << piece;
}

TEST(Files0List, NamesOfEveryLengthAcrossEveryChunkBoundary) {
  // Names of 1 to 300 bytes, every byte value but NUL among them, fed in pieces of many
  // sizes: each comes out whole, in order, as written.
  std::vector<std::string> expected;
  std::string list;
  for (std::size_t length = 1; length <= 300; ++length) {
    std::string name;
    for (std::size_t i = 0; i < length; ++i) name += static_cast<char>(1 + (length * 7 + i) % 255);
    expected.push_back(name);
    list += name;
    list += '\0';
  }
  for (const std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64},
                                  std::size_t{255}, std::size_t{4096}, list.size()})
    EXPECT_EQ(parse_in_pieces(list, piece), expected) << "piece " << piece;
}

TEST(Files0List, NamesAreHandedOutBeforeTheListEnds) {
  using namespace std::string_literals;
  files0_list parser;
  parser.feed(bytes_of("one\0tw"s));
  auto first = parser.pop();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->name, "one");
  EXPECT_FALSE(parser.pop());  // "tw" may go on in the next chunk
  parser.feed(bytes_of("o\0"s));
  EXPECT_EQ(parser.pop()->name, "two");
}

TEST(Files0List, MemoryStaysBoundedOverALongList) {
  // A million short names fed in chunks: the parser keeps at most one chunk and a name.
  files0_list parser;
  std::string chunk;
  for (int i = 0; i < 1000; ++i) chunk += "name" + std::to_string(i) + '\0';
  std::uint64_t seen = 0;
  for (int round = 0; round < 1000; ++round) {
    parser.feed(bytes_of(chunk));
    ASSERT_LE(parser.buffered_bytes(), chunk.size()) << "round " << round;
    while (auto entry = parser.pop()) seen = entry->number;
  }
  EXPECT_EQ(seen, 1000U * 1000U);
}

TEST(Files0List, PopIntoReusesTheNamesMemory) {
  using namespace std::string_literals;
  files0_list parser;
  parser.feed(bytes_of("first/name/of/the/list\0second/name\0last-without-nul"s));
  linecount::files0_entry entry;
  ASSERT_TRUE(parser.pop_into(entry));
  EXPECT_EQ(entry.name, "first/name/of/the/list");
  EXPECT_EQ(entry.number, 1U);
  const char* memory = entry.name.data();
  ASSERT_TRUE(parser.pop_into(entry));
  EXPECT_EQ(entry.name, "second/name");
  EXPECT_EQ(entry.number, 2U);
  EXPECT_EQ(entry.name.data(), memory) << "a shorter name fits where the last one was";
  EXPECT_FALSE(parser.pop_into(entry)) << "the last name may go on";
  parser.finish();
  ASSERT_TRUE(parser.pop_into(entry));
  EXPECT_EQ(entry.name, "last-without-nul");
  EXPECT_EQ(entry.number, 3U);
  EXPECT_FALSE(parser.pop_into(entry));
}

}  // namespace
