// --include, --exclude, --exclude-dir: linecount counts the files that GNU grep reads with the
// same options (`grep -H -c ''`, run here on the same tree: -c '' counts the lines of a file
// that ends in a newline, as wc -l does), except that a directory named as an operand is
// always walked. Every case also checks that the filters changed what is counted, so a
// linecount that ignored them would fail.

#include "support/process.hpp"
#include "support/sanitizers.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace linecount::testing;
namespace fs = std::filesystem;
using strings = std::vector<std::string>;
using namespace std::string_literals;

// Files below t/, each with a number of lines of its own (its place in this list, plus 1), so
// that a wrong file changes a total as well as the names. Dotfiles and a dot directory,
// names with spaces, brackets, '*' and '?', a leading '-' and a last '\', a directory named
// like a .c file, and "sub" at two depths.
const strings tree_files{
    "t/a.c",           "t/b.h",          "t/c.txt",          "t/.hidden.c",
    "t/with space.c",  "t/x[1].c",       "t/x1.c",           "t/-dash.c",
    "t/a]",            "t/star*.h",      "t/q?.txt",         "t/.git/config",
    "t/.git/objects/o.c", "t/sub/d.c",   "t/sub/e.h",        "t/sub/deep dir/f.c",
    "t/sub/deep dir/g.txt", "t/build/out.c", "t/build/sub/gen.h", "t/name with space/h.c",
    "t/sub.c/i.h",     "t/x[1]/j.c",     "t/x1/k.c",         "t/tail\\",
};

// Makes the tree in `dir`; returns the line count of each file by name.
std::map<std::string, std::size_t> make_tree(const temp_dir& dir) {
  std::map<std::string, std::size_t> lines;
  for (std::size_t i = 0; i < tree_files.size(); ++i) {
    fs::create_directories((dir.path() / tree_files[i]).parent_path());
    dir.write(tree_files[i], text_with_lines(i + 1));
    lines[tree_files[i]] = i + 1;
  }
  return lines;
}

strings joined(strings first, const strings& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

// The files GNU grep reads with `options` and `operands`, as sorted "COUNT NAME" records.
strings grep_reads(const invocation& base, const strings& options, const strings& operands) {
  invocation what = base;  // as the same user (a wrapper such as setpriv is kept)
  what.binary = "grep";
  what.args = joined(joined({"-H", "-c", ""}, options), joined({"--"}, operands));
  const auto result = run(what);
  EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 1)  // 1: no line read at all
      << "grep " << testing::PrintToString(what.args) << ": " << result.err;
  strings records;
  for (const auto& line : sorted_lines(result.out)) {
    const auto colon = line.rfind(':');  // no name of the tree holds a ':'
    records.push_back(line.substr(colon + 1) + " " + line.substr(0, colon));
  }
  std::sort(records.begin(), records.end());
  return records;
}

// What linecount counts with `options` and `operands`, as sorted "COUNT NAME" records.
strings linecount_reads(const invocation& base, const strings& options, const strings& operands) {
  invocation what = base;
  what.args = joined(joined({"--total=never"}, options), joined({"--"}, operands));
  const auto result = run(what);
  EXPECT_EQ(result.err, "") << testing::PrintToString(what.args);
  EXPECT_EQ(result.exit_code, 0) << testing::PrintToString(what.args);
  return sorted_lines(result.out);
}

class Filters : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto version = run_shell("grep --version");
    ASSERT_TRUE(version.out.starts_with("grep (GNU grep) 3.")) << version.out << version.err;
    lines_ = make_tree(dir_);
    base_.cwd = dir_.path().string();
  }

  // Expects linecount to count what grep reads, and that to differ from what linecount counts
  // without the filters (`must_filter`: for cases where the filters leave something out).
  void expect_as_grep(const strings& options, const strings& operands, bool must_filter = true) {
    const auto expected = grep_reads(base_, options, operands);
    EXPECT_EQ(linecount_reads(base_, options, operands), expected)
        << testing::PrintToString(options) << " " << testing::PrintToString(operands);
    if (must_filter) {
      const bool recursive = !options.empty() && options.front() == "-r";
      EXPECT_NE(expected, linecount_reads(base_, recursive ? strings{"-r"} : strings{}, operands))
          << "the filters changed nothing: " << testing::PrintToString(options);
    }
  }

  // "COUNT NAME" of a file of the tree.
  std::string record(const std::string& name) {
    return std::to_string(lines_.at(name)) + " " + name;
  }

  temp_dir dir_;
  std::map<std::string, std::size_t> lines_;
  invocation base_;
};

TEST_F(Filters, IncludeAndExcludeInTheWalkAsGrep) {
  const std::vector<strings> cases{
      {"--include=*.c"},
      {"--exclude=*.c"},
      {"--include=*.h", "--include=*.txt"},
      {"--exclude=*.c", "--exclude=*.h"},
      {"--exclude=.*"},
      {"--include=* *"},
      {"--include=?.c"},
      {"--include=[ab].*"},
      {"--exclude=[!a-c]*"},
      {"--include=x[1].c"},    // a bracket: matches x1.c, not x[1].c
      {"--include=x\\[1].c"},  // a quoted bracket: x[1].c
      {"--exclude=a]", "--exclude=star\\*.h", "--exclude=q\\?.txt"},
      {"--exclude=tail\\"},  // no wildcard: a string, "tail\" (fnmatch would match nothing)
      {"--include=sub.c"},     // never applies to the directory sub.c
      {"--include=*", "--exclude=*"},
  };
  for (const auto& options : cases) expect_as_grep(joined({"-r"}, options), {"t"});
}

TEST_F(Filters, TheLastMatchingPatternDecidesAsGrep) {
  const std::vector<strings> cases{
      {"--include=*.c", "--exclude=x*"},
      {"--exclude=x*", "--include=*.c", "--exclude=*1*"},
      {"--include=*.h", "--exclude=x*"},
      {"--exclude=x*", "--include=*.h"},
      {"--include=*.c", "--exclude=*.c"},
      {"--exclude=*.c", "--include=*.c", "--exclude=a*"},
  };
  for (const auto& options : cases) expect_as_grep(joined({"-r"}, options), {"t"});
  // x.c is left out, then taken back, and names that neither matches are counted: all are.
  expect_as_grep({"-r", "--exclude=x*", "--include=*.c"}, {"t"}, false);
  EXPECT_EQ(linecount_reads(base_, {"-r", "--exclude=x*", "--include=*.c"}, {"t"}).size(),
            tree_files.size());
}

TEST_F(Filters, ExcludeDirAsGrep) {
  const std::vector<strings> cases{
      {"--exclude-dir=.git", "--exclude-dir=build"},
      {"--exclude-dir=sub*"},
      {"--exclude-dir=sub"},        // at both depths
      {"--exclude-dir=x[[]1]"},     // the directory x[1], not x1
      {"--exclude-dir=deep dir/"},  // a trailing slash is ignored
      {"--exclude-dir=*.c"},        // the directory sub.c; files are not directories
      {"--exclude-dir=sub", "--include=*.h"},
      {"--exclude-dir=.*", "--exclude=*.c", "--include=a*"},
  };
  for (const auto& options : cases) expect_as_grep(joined({"-r"}, options), {"t"});
}

TEST_F(Filters, AllFiltersTogetherInWalkOrder) {
  // Computed here, not by grep: .c files not starting with x, outside .git and any "sub";
  // directories named x... and sub.c are walked (file patterns never apply to directories).
  const auto result = run([&] {
    invocation what = base_;
    what.args = {"-r", "-k", "--include=*.c", "--exclude=x*", "--exclude-dir=.git",
                 "--exclude-dir=sub", "t"};
    return what;
  }());
  std::string expected;
  std::size_t total = 0;
  for (const char* name : {"t/-dash.c", "t/.hidden.c", "t/a.c", "t/build/out.c",
                           "t/name with space/h.c", "t/with space.c", "t/x1/k.c", "t/x[1]/j.c"}) {
    expected += record(name) + "\n";
    total += lines_.at(name);
  }
  EXPECT_EQ(result.out, expected + std::to_string(total) + " total\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(expected),
            grep_reads(base_, {"-r", "--include=*.c", "--exclude=x*", "--exclude-dir=.git",
                               "--exclude-dir=sub"}, {"t"}));
}

TEST_F(Filters, OperandsAreFilteredByNameAsGrep) {
  // Without -r too; the name matches whole or from any '/' on.
  expect_as_grep({"--exclude=*.c"}, {"t/a.c", "t/b.h", "t/with space.c"});
  expect_as_grep({"--include=*.c"}, {"t/a.c", "t/b.h", "./t/sub/deep dir/f.c"});
  expect_as_grep({"--exclude=s*"}, {"t/sub/d.c", "t/a.c"});  // "sub/d.c" matches
  expect_as_grep({"--exclude=a.c"}, {"./t/a.c", "t/b.h"});
  expect_as_grep({"--exclude=/d.c"}, {"t/sub//d.c", "t/a.c"});  // a string: from each '/' on
  expect_as_grep({"--exclude=t"}, {"t/a.c", "t/b.h"}, false);  // no part is "t"
  expect_as_grep({"--exclude-dir=t", "--exclude-dir=*"}, {"t/a.c"}, false);  // not a directory
  // With -r, a directory operand is not filtered by --include or --exclude; its files are.
  expect_as_grep({"-r", "--exclude=*.c"}, {"t/a.c", "t/sub"});
  expect_as_grep({"-r", "--include=*.h"}, {"t/sub.c", "t/a.c"});
  expect_as_grep({"-r", "--include=*.c", "--exclude=t*"}, {"t/x1", "t/sub/d.c"});
}

TEST_F(Filters, ADirectoryOperandIsWalkedWhateverExcludeDirSays) {
  // linecount's rule: grep would skip t/sub here, and t with --exclude-dir=t.
  EXPECT_EQ(grep_reads(base_, {"-r", "--exclude-dir=sub"}, {"t/sub"}), strings{});
  EXPECT_EQ(grep_reads(base_, {"-r", "--exclude-dir=t"}, {"t"}), strings{});
  const auto whole_sub = linecount_reads(base_, {"-r"}, {"t/sub"});
  ASSERT_EQ(whole_sub.size(), 4U);
  EXPECT_EQ(linecount_reads(base_, {"-r", "--exclude-dir=sub"}, {"t/sub"}), whole_sub);
  EXPECT_EQ(linecount_reads(base_, {"-r", "--exclude-dir=t"}, {"t"}),
            linecount_reads(base_, {"-r"}, {"t"}));
  // --exclude-dir='*': the operand's own files, no subdirectory (grep: nothing at all).
  strings top_level;
  for (const auto& name : tree_files)
    if (name.find('/', 2) == std::string::npos) top_level.push_back(record(name));
  std::sort(top_level.begin(), top_level.end());
  ASSERT_EQ(top_level.size(), 12U);
  EXPECT_EQ(linecount_reads(base_, {"-r", "--exclude-dir=*"}, {"t"}), top_level);
  EXPECT_EQ(grep_reads(base_, {"-r", "--exclude-dir=*"}, {"t"}), strings{});
  // Below an operand the filter applies again: t/sub/deep dir is left out here, and in t's
  // walk t/sub and t/build/sub are.
  auto expected = grep_reads(base_, {"-r", "--exclude-dir=sub", "--exclude-dir=deep*"}, {"t"});
  const auto sub_files = linecount_reads(base_, {"-r", "--exclude-dir=deep*"}, {"t/sub"});
  EXPECT_EQ(sub_files, (strings{record("t/sub/d.c"), record("t/sub/e.h")}));
  expected.insert(expected.end(), sub_files.begin(), sub_files.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(linecount_reads(base_, {"-r", "--exclude-dir=sub", "--exclude-dir=deep*"},
                            {"t/sub", "t"}),
            expected);
}

TEST_F(Filters, AnOperandLeftOutMustOpenAsGrepDoes) {
  // A missing name is reported even though --exclude matches it (grep opens it first too).
  invocation what = base_;
  what.args = {"--exclude=*.c", "t/missing.c", "t/a.c", "t/b.h"};
  const auto result = run(what);
  // Two operands are left, so a total (as wc: a failed operand is one).
  EXPECT_EQ(result.out, record("t/b.h") + "\n" + std::to_string(lines_.at("t/b.h")) + " total\n");
  EXPECT_EQ(result.err, "linecount: t/missing.c: No such file or directory\n");
  EXPECT_EQ(result.exit_code, 1);
  what.binary = "grep";
  what.args = {"-c", "", "--exclude=*.c", "t/missing.c", "t/a.c", "t/b.h"};
  const auto grep = run(what);
  EXPECT_EQ(grep.out, "t/b.h:2\n");
  EXPECT_EQ(grep.err, "grep: t/missing.c: No such file or directory\n");
}

TEST_F(Filters, AFifoLeftOutIsNotWaitedFor) {
  // A FIFO that no one writes would hold its reader forever; left out by --exclude, it is
  // opened without waiting and dropped.
  ASSERT_EQ(::mkfifo((dir_ / "t/pipe.c").c_str(), 0600), 0);
  invocation what = base_;
  what.args = {"--exclude=*.c", "t/pipe.c", "t/b.h"};
  const auto result = run(what);
  EXPECT_EQ(result.out, record("t/b.h") + "\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST_F(Filters, NamesFromAFiles0ListAreOperandsToo) {
  invocation what = base_;
  what.args = {"--files0-from=-", "--include=*.h", "-k"};
  what.stdin_data = "t/a.c\0t/b.h\0t/sub/e.h\0t/c.txt\0"s;
  const auto result = run(what);
  EXPECT_EQ(result.out, record("t/b.h") + "\n" + record("t/sub/e.h") + "\n" +
                            std::to_string(lines_.at("t/b.h") + lines_.at("t/sub/e.h")) +
                            " total\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST_F(Filters, GlobsFollowTheLocaleAsGrep) {
  // '?' is one character of the locale's character set: 'é' is two bytes in UTF-8.
  dir_.write("t/\xc3\xa9.c", "1\n");
  for (const char* locale : {"C", "C.UTF-8"}) {
    base_.locale = locale;
    const auto expected = grep_reads(base_, {"-r", "--include=?.c"}, {"t"});
    EXPECT_EQ(linecount_reads(base_, {"-r", "--include=?.c"}, {"t"}), expected) << locale;
    const bool utf8 = std::string_view{locale} == "C.UTF-8";
    EXPECT_EQ(std::find(expected.begin(), expected.end(), "1 t/\xc3\xa9.c") != expected.end(), utf8)
        << locale;
  }
}

TEST_F(Filters, AFileOrDirectoryLeftOutIsNeverLookedAt) {
  // Traced: no system call of linecount names a directory --exclude-dir leaves out, anything
  // in it, or a file --exclude leaves out, while the files kept beside them are opened.
  // Files are opened one by one (not through io_uring, which strace cannot see into).
  ASSERT_EQ(std::system("strace -V > /dev/null 2>&1"), 0)
      << "strace is needed (scripts/setup.sh --test installs it)";
  fs::create_directories(dir_ / "t/sub/zz-pruned/inner");
  dir_.write("t/sub/zz-pruned/inner/zz-deep.c", "1\n");
  dir_.write("t/sub/zz-pruned/zz-inside.c", "1\n");
  dir_.write("t/sub/zz-excluded.c", "1\n");
  dir_.write("t/sub/zz-kept.c", "1\n");
  const auto log = dir_ / "trace";
  invocation what = base_;
  what.env = {"LINECOUNT_IO_URING=off"};
  what.wrapper = {"env", with_inherited_options("ASAN_OPTIONS", "detect_leaks=0"), "strace", "-f",
                  "-qq", "-s", "4096", "-o", log};
  what.args = {"-r", "--exclude-dir=zz-pruned", "--exclude=zz-excluded*", "t"};
  const auto result = run(what);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find(" t/sub/zz-kept.c\n"), std::string::npos);
  // Every call but the execve, whose arguments name the patterns, and the reads, whose data
  // may be the command line itself (AddressSanitizer reads /proc/self/cmdline).
  std::ifstream file{log};
  std::string trace;
  for (std::string line; std::getline(file, line);)
    if (line.find("execve(") == std::string::npos && line.find(" read(") == std::string::npos &&
        line.find(" pread64(") == std::string::npos)
      trace += line + '\n';
  EXPECT_NE(trace.find("t/sub/zz-kept.c\""), std::string::npos) << "the trace saw no open";
  EXPECT_NE(trace.find("t/sub/deep dir\""), std::string::npos) << "the trace saw no directory";
  EXPECT_EQ(trace.find("zz-pruned"), std::string::npos);
  EXPECT_EQ(trace.find("zz-inside"), std::string::npos);
  EXPECT_EQ(trace.find("zz-deep"), std::string::npos);
  EXPECT_EQ(trace.find("zz-excluded"), std::string::npos);
}

TEST_F(Filters, AnUnreadableDirectoryOrFileLeftOutGivesNoError) {
  // As a user who may not read them (nobody, where the tests run as root): left out, they
  // are never opened, so there is nothing to report; counted, each is "Permission denied".
  // grep, as the same user, agrees.
  if (::geteuid() == 0) base_ = as_nobody(dir_);
  base_.cwd = dir_.path().string();
  fs::create_directories(dir_ / "t/locked");
  dir_.write("t/locked/x.c", "1\n");
  dir_.write("t/secret.c", "1\n");
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "t"))
    fs::permissions(entry.path(), fs::perms::others_read | fs::perms::others_exec,
                    fs::perm_options::add);
  fs::permissions(dir_ / "t", fs::perms::others_read | fs::perms::others_exec,
                  fs::perm_options::add);
  fs::permissions(dir_ / "t/locked", fs::perms::none);
  fs::permissions(dir_ / "t/secret.c", fs::perms::none);
  const strings options{"-r", "--exclude-dir=locked", "--exclude=secret*"};
  EXPECT_EQ(linecount_reads(base_, options, {"t"}), grep_reads(base_, options, {"t"}));
  // Counted, both fail: the test can tell.
  invocation what = base_;
  what.args = {"-r", "--total=never", "t"};
  const auto unfiltered = run(what);
  EXPECT_EQ(sorted_lines(unfiltered.err),
            (strings{"linecount: t/locked: Permission denied",
                     "linecount: t/secret.c: Permission denied"}));
  EXPECT_EQ(unfiltered.exit_code, 1);
  // Named as an operand, a file is opened first, as grep does: it fails, and says so.
  what.args = {"--exclude=secret*", "t/secret.c"};
  EXPECT_EQ(run(what).err, "linecount: t/secret.c: Permission denied\n");
  fs::permissions(dir_ / "t/locked", fs::perms::owner_all);  // so that it can be removed
}

}  // namespace
