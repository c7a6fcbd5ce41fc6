// name_filters: GNU grep's rules for --include, --exclude and --exclude-dir. The expectations
// of the order tests are what grep 3.8 printed for `grep -r -c '' OPTIONS t` on a tree of
// x.c, y.h, z.txt, .dot.c (tests/e2e/filters_test.cpp compares with grep itself).

#include "cli/name_filters.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using linecount::app::name_filters;

// Which of four files the walk keeps.
std::vector<std::string> kept(const name_filters& filters) {
  std::vector<std::string> result;
  for (const char* name : {".dot.c", "x.c", "y.h", "z.txt"})
    if (!filters.skips_file(name)) result.emplace_back(name);
  return result;
}

using names = std::vector<std::string>;

TEST(NameFilters, NoneLeaveNothingOut) {
  const name_filters none;
  EXPECT_FALSE(none.filters_files());
  EXPECT_FALSE(none.filters_directories());
  EXPECT_EQ(kept(none), (names{".dot.c", "x.c", "y.h", "z.txt"}));
  EXPECT_FALSE(none.skips_directory("sub"));
  EXPECT_FALSE(none.skips_operand("t/x.c"));
}

TEST(NameFilters, IncludeAloneKeepsOnlyWhatMatches) {
  name_filters filters;
  filters.include("*.c");
  EXPECT_TRUE(filters.filters_files());
  EXPECT_FALSE(filters.filters_directories());
  // No FNM_PERIOD: '*' matches a leading dot.
  EXPECT_EQ(kept(filters), (names{".dot.c", "x.c"}));
  filters.include("z*");  // several: any of them
  EXPECT_EQ(kept(filters), (names{".dot.c", "x.c", "z.txt"}));
}

TEST(NameFilters, ExcludeAloneLeavesOutWhatMatches) {
  name_filters filters;
  filters.exclude("*.c");
  EXPECT_EQ(kept(filters), (names{"y.h", "z.txt"}));
  filters.exclude("?.h");
  EXPECT_EQ(kept(filters), (names{"z.txt"}));
}

TEST(NameFilters, TheLastPatternThatMatchesDecides) {
  {
    name_filters filters;  // --include='*.c' --exclude='x*'
    filters.include("*.c");
    filters.exclude("x*");
    EXPECT_EQ(kept(filters), (names{".dot.c"}));
  }
  {
    name_filters filters;  // --exclude='x*' --include='*.c': x.c is included again
    filters.exclude("x*");
    filters.include("*.c");
    EXPECT_EQ(kept(filters), (names{".dot.c", "x.c", "y.h", "z.txt"}));
  }
  {
    name_filters filters;  // --include='*.c' --exclude='*.c'
    filters.include("*.c");
    filters.exclude("*.c");
    EXPECT_EQ(kept(filters), names{});
  }
  {
    name_filters filters;  // --exclude='*.c' --include='*.c'
    filters.exclude("*.c");
    filters.include("*.c");
    EXPECT_EQ(kept(filters), (names{".dot.c", "x.c", "y.h", "z.txt"}));
  }
  {
    name_filters filters;  // --exclude='x*' --include='*.c' --exclude='y*'
    filters.exclude("x*");
    filters.include("*.c");
    filters.exclude("y*");
    EXPECT_EQ(kept(filters), (names{".dot.c", "x.c", "z.txt"}));
  }
}

TEST(NameFilters, ANameNoPatternMatchesFollowsTheFirstPattern) {
  {
    name_filters filters;  // --include='*.h' --exclude='x*': z.txt is left out
    filters.include("*.h");
    filters.exclude("x*");
    EXPECT_EQ(kept(filters), (names{"y.h"}));
  }
  {
    name_filters filters;  // --exclude='x*' --include='*.h': z.txt and .dot.c are kept
    filters.exclude("x*");
    filters.include("*.h");
    EXPECT_EQ(kept(filters), (names{".dot.c", "y.h", "z.txt"}));
  }
}

TEST(NameFilters, GlobsAreFnmatchWithoutPathnameOrPeriod) {
  const auto skips = [](const char* pattern, const char* name) {
    name_filters filters;
    filters.exclude(pattern);
    return filters.skips_file(name);
  };
  EXPECT_TRUE(skips("?.c", "b.c"));
  EXPECT_FALSE(skips("?.c", "ab.c"));
  EXPECT_TRUE(skips("[a-c]*", "b.c"));
  EXPECT_FALSE(skips("[a-c]*", "B.c"));
  EXPECT_TRUE(skips("[!a-c]*", "B.c"));
  EXPECT_TRUE(skips("[^a-c]*", "B.c"));
  EXPECT_FALSE(skips("[^a-c]*", "a"));
  EXPECT_TRUE(skips("[[:upper:]]*", "B.c"));
  EXPECT_TRUE(skips("f[[:digit:]]", "f1"));
  EXPECT_FALSE(skips("f[[:digit:]]", "fx"));
  EXPECT_TRUE(skips("* *", "with space.txt"));
  EXPECT_TRUE(skips("*", ".hidden"));
  EXPECT_TRUE(skips(".*", ".hidden"));
  EXPECT_FALSE(skips(".*", "visible"));
  EXPECT_TRUE(skips("\\*", "*"));  // a quoted '*' matches only itself
  EXPECT_FALSE(skips("\\*", "a*b"));
  EXPECT_TRUE(skips("x]", "x]"));
  EXPECT_TRUE(skips("-dash", "-dash"));
  EXPECT_FALSE(skips("", "x"));
}

TEST(NameFilters, APatternWithoutWildcardsIsAStringUnescaped) {
  const auto skips = [](const char* pattern, const char* name) {
    name_filters filters;
    filters.exclude(pattern);
    return filters.skips_file(name);
  };
  EXPECT_TRUE(skips("a\\b", "ab"));    // the backslash is taken off
  EXPECT_FALSE(skips("a\\b", "a\\b"));
  EXPECT_TRUE(skips("a\\", "a\\"));    // a last backslash stays: the name "a\"
  EXPECT_FALSE(skips("*\\", "a\\"));   // while fnmatch matches no name with it
  EXPECT_TRUE(skips("[x", "[x"));      // '[' makes it a glob, one that matches itself
}

TEST(NameFilters, ExcludeDirIsForDirectoriesOnly) {
  name_filters filters;
  filters.exclude_directory("sub");
  filters.exclude_directory(".*");
  filters.exclude_directory("build/");  // trailing slashes are ignored
  filters.exclude_directory("dist//");
  EXPECT_TRUE(filters.filters_directories());
  EXPECT_FALSE(filters.filters_files());
  EXPECT_TRUE(filters.skips_directory("sub"));
  EXPECT_TRUE(filters.skips_directory(".git"));
  EXPECT_TRUE(filters.skips_directory("build"));
  EXPECT_TRUE(filters.skips_directory("dist"));
  EXPECT_FALSE(filters.skips_directory("subway"));
  EXPECT_FALSE(filters.skips_directory("src"));
  EXPECT_FALSE(filters.skips_file("sub"));  // a file of that name is counted
  EXPECT_FALSE(filters.skips_file(".git"));
}

TEST(NameFilters, IncludeAndExcludeNeverApplyToDirectories) {
  name_filters filters;
  filters.include("*.c");
  filters.exclude("sub");
  EXPECT_FALSE(filters.skips_directory("sub"));
  EXPECT_FALSE(filters.skips_directory("a.h"));
  EXPECT_TRUE(filters.skips_file("sub"));
}

TEST(NameFilters, AnOperandMatchesWholeOrAfterAnySlash) {
  const auto skips = [](const char* pattern, const char* name) {
    name_filters filters;
    filters.exclude(pattern);
    return filters.skips_operand(name);
  };
  EXPECT_TRUE(skips("*.c", "t/sub/q.c"));
  EXPECT_TRUE(skips("q.c", "./t/sub/q.c"));
  EXPECT_TRUE(skips("s*", "t/sub/q.c"));   // "sub/q.c": '*' matches a '/'
  EXPECT_TRUE(skips("t*c", "t/sub/q.c"));  // the whole name
  EXPECT_FALSE(skips("sub", "t/sub/q.c"));
  EXPECT_FALSE(skips("t", "t/sub/q.c"));
  EXPECT_FALSE(skips("s*", "t/x.c"));
  // After "//", a glob is tried on what follows the last slash; a string after each one.
  EXPECT_TRUE(skips("b", "a//b"));
  EXPECT_TRUE(skips("[b]", "a//b"));
  EXPECT_TRUE(skips("/b", "a//b"));
  EXPECT_FALSE(skips("/[b]", "a//b"));
  // The walk matches base names only, anchored.
  name_filters filters;
  filters.exclude("s*");
  EXPECT_FALSE(filters.skips_file("t/sub/q.c"));
}

TEST(NameFilters, AnOperandFollowsTheSameOrderRules) {
  name_filters filters;
  filters.include("*.c");
  EXPECT_FALSE(filters.skips_operand("dir/x.c"));
  EXPECT_TRUE(filters.skips_operand("dir/y.h"));
  filters.exclude("dir/x.c");  // a string that matches the whole name
  EXPECT_TRUE(filters.skips_operand("dir/x.c"));
  EXPECT_FALSE(filters.skips_operand("other/x.c"));
}

}  // namespace
