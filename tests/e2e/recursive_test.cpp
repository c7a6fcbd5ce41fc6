// -r, --recursive: directory operands stand for the regular files below them.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace linecount::testing;
namespace fs = std::filesystem;

// d/.hidden 4, d/a 2, d/sub/b 3, d/sub/deeper/c 1, plus what must not be counted.
std::string make_tree(const temp_dir& dir) {
  const auto root = dir / "d";
  fs::create_directories(root + "/sub/deeper");
  fs::create_directories(root + "/empty");
  dir.write("d/a", "1\n2\n");
  dir.write("d/.hidden", "1\n2\n3\n4\n");
  dir.write("d/sub/b", "1\n2\n3\n");
  dir.write("d/sub/deeper/c", "1\n");
  fs::create_symlink("a", root + "/link");           // not followed inside the walk
  fs::create_symlink("sub", root + "/dirlink");      // nor this one
  EXPECT_EQ(::mkfifo((root + "/fifo").c_str(), 0600), 0);  // skipped: would block
  return root;
}

TEST(Recursive, CountsEveryRegularFileBelowInNameOrder) {
  temp_dir dir;
  const auto root = make_tree(dir);
  const auto result = run({"-r", "-k", root});
  EXPECT_EQ(result.out, "4 " + root + "/.hidden\n2 " + root + "/a\n3 " + root + "/sub/b\n1 " +
                            root + "/sub/deeper/c\n10 total\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Recursive, TotalMatchesFindAndWc) {
  temp_dir dir;
  const auto root = make_tree(dir);
  for (int d = 0; d < 20; ++d) {
    fs::create_directories(root + "/many" + std::to_string(d));
    for (int f = 0; f < 50; ++f)
      dir.write("d/many" + std::to_string(d) + "/f" + std::to_string(f),
                text_with_lines(static_cast<std::size_t>((d * 50 + f) % 13)));
  }
  const auto expected =
      run_shell("find '" + root + "' -type f -print0 | xargs -0 cat | wc -l").out;
  const auto files = run_shell("find '" + root + "' -type f | wc -l").out;
  const auto result = run({"-r", "--json", "--total=only", root});
  EXPECT_EQ(result.out, R"({"total":)" + expected.substr(0, expected.size() - 1) +
                            R"(,"files":)" + files.substr(0, files.size() - 1) + R"(,"errors":0})" "\n");
}

TEST(Recursive, ALinkGivenAsAnOperandIsFollowed) {
  temp_dir dir;
  const auto root = make_tree(dir);
  const auto result = run({"-r", "-k", root + "/dirlink"});
  EXPECT_EQ(result.out, "3 " + root + "/dirlink/b\n1 " + root + "/dirlink/deeper/c\n4 total\n");
}

TEST(Recursive, FilesAndStandardInputAsOperandsAreCountedAsUsual) {
  temp_dir dir;
  const auto root = make_tree(dir);
  invocation what;
  what.args = {"-r", "-k", root + "/a", "-", root + "/sub/"};
  what.stdin_data = "x\n";
  const auto result = run(what);
  EXPECT_EQ(result.out, "2 " + root + "/a\n1 -\n3 " + root + "/sub/b\n1 " + root +
                            "/sub/deeper/c\n7 total\n");
}

TEST(Recursive, WithoutItADirectoryIsAnError) {
  temp_dir dir;
  const auto root = make_tree(dir);
  const auto result = run({root});
  EXPECT_EQ(result.err, "linecount: " + root + ": Is a directory\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Recursive, AnUnreadableDirectoryIsReportedAndTheWalkGoesOn) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to nobody";
  temp_dir dir;
  auto what = as_nobody(dir);
  const auto root = dir / "t";
  fs::create_directories(root + "/locked");
  fs::create_directories(root + "/open");
  dir.write("t/locked/x", "1\n");
  dir.write("t/open/y", "1\n2\n");
  for (const auto& path : {root, root + "/open", root + "/open/y"})
    fs::permissions(path, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  fs::permissions(root + "/locked", fs::perms::owner_all);
  what.args = {"-r", "-k", root};
  const auto result = run(what);
  EXPECT_EQ(result.err, "linecount: " + root + "/locked: Permission denied\n");
  EXPECT_EQ(result.out, "2 " + root + "/open/y\n2 total\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Recursive, TreeFilesAreCountedWhileAnEarlierOperandBlocks) {
  // A FIFO given as an operand before the tree blocks its own record only: the tree's files
  // are found and counted meanwhile (without -k they print at once).
  temp_dir dir;
  const auto root = make_tree(dir);
  const auto fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  session run{{"-r", fifo, root + "/sub"}};
  EXPECT_EQ(run.read_line(5000).has_value(), true);
  std::ofstream{fifo} << "p\n";
  const auto result = run.finish();
  EXPECT_EQ(result.exit_code, 0);
}

}  // namespace
