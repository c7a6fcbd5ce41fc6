// -r, --recursive: directory operands stand for the regular files below them.

#include "support/process.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
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
  if (::geteuid() != 0) LINECOUNT_SKIP("not-root", "needs root to switch to nobody");
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
  held_fifo fifo{dir / "pipe"};
  session run{{"-r", fifo.path(), root + "/sub"}};
  const auto first = run.read_line();
  const auto second = run.read_line();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(sorted_lines(*first + "\n" + *second + "\n"),
            (std::vector<std::string>{"1 " + root + "/sub/deeper/c", "3 " + root + "/sub/b"}));
  fifo.write("p\n");
  fifo.close();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1 " + fifo.path() + "\n5 total\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Recursive, SocketsAndDevicesInsideTheTreeAreSkipped) {
  if (::geteuid() != 0) LINECOUNT_SKIP("not-root", "needs root to make a device node");
  temp_dir dir;
  const auto root = dir / "t";
  fs::create_directories(root);
  const auto file = dir.write("t/file", "1\n2\n");
  // A listening socket's node, and a character device like /dev/zero (which never ends).
  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const auto socket_path = root + "/socket";
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  socket_path.copy(address.sun_path, socket_path.size());
  ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::mknod((root + "/zero").c_str(), S_IFCHR | 0600, ::makedev(1, 5)), 0);
  ASSERT_EQ(::mknod((root + "/null").c_str(), S_IFCHR | 0600, ::makedev(1, 3)), 0);
  const auto result = run({"-r", "-k", root});
  ::close(listener);
  EXPECT_EQ(result.out, "2 " + file + "\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

}  // namespace
