// -r, --recursive: directory operands stand for the regular files below them.

#include "support/call_hold.hpp"
#include "support/process.hpp"
#include "support/sanitizers.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

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

// The records `-r -k ROOT` must print: a depth-first traversal that takes the entries of
// each directory in byte order of their names, computed here from the filesystem.
void expect_walk(const std::string& directory, std::string& records, std::size_t& total) {
  std::vector<std::string> names;
  for (const auto& item : fs::directory_iterator(directory))
    names.push_back(item.path().filename().string());
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](char x, char y) {
                                          return static_cast<unsigned char>(x) <
                                                 static_cast<unsigned char>(y);
                                        });
  });
  for (const auto& name : names) {
    const auto path = directory + "/" + name;
    if (fs::is_directory(fs::symlink_status(path))) {
      expect_walk(path, records, total);
    } else {
      const auto lines = static_cast<std::size_t>(fs::file_size(path));  // one byte a line
      records += std::to_string(lines) + " " + path + "\n";
      total += lines;
    }
  }
}

TEST(Recursive, KeepOrderOutputIsTheSameDepthFirstByteOrderOnEveryRun) {
  // 2,000 directories, up to 4 levels deep, with names whose byte order differs from a sort
  // of whole paths ("a" before "a-b" inside a directory, though "a-b/" < "a/") and from
  // a signed-char or locale order (upper case, '~', UTF-8 bytes above 0x7f).
  temp_dir dir;
  const auto root = dir / "tree";
  const std::vector<std::string> names{"a", "a-b", "a.b", "B", "z", "~", "\xc3\xa9", "0"};
  std::vector<std::string> level{root};
  fs::create_directory(root);
  std::size_t directories = 0;
  std::size_t made = 0;
  while (directories < 2000) {
    std::vector<std::string> next;
    for (const auto& parent : level) {
      for (const auto& name : names) {
        if (directories == 2000) break;
        const auto path = parent + "/" + name;
        fs::create_directory(path);
        ++directories;
        next.push_back(path);
        // Files beside the directories, each of `made % 5` newlines (one byte each).
        const auto file = path + "/" + names[made % names.size()] + "f";
        dir.write(fs::relative(file, dir.path()).string(), std::string(made % 5, '\n'));
        ++made;
      }
    }
    level = std::move(next);
  }
  std::string expected;
  std::size_t total = 0;
  expect_walk(root, expected, total);
  expected += std::to_string(total) + " total\n";
  ASSERT_GT(made, 1999U);
  for (int run_number = 0; run_number < 20; ++run_number) {
    const auto result = run({"-r", "-k", root});
    ASSERT_EQ(result.out, expected) << "run " << run_number;
    ASSERT_EQ(result.err, "");
    ASSERT_EQ(result.exit_code, 0);
  }
}

TEST(Recursive, ADirectoryRemovedDuringTheWalkGetsOneMessage) {
  // Listed by the walk, removed before it is opened: one message; the rest is counted.
  temp_dir dir;
  const auto root = dir / "t";
  for (const char* sub : {"/a", "/b/inner", "/c"}) fs::create_directories(root + sub);
  dir.write("t/a/x", "1\n");
  dir.write("t/b/inner/gone", "1\n2\n");
  dir.write("t/c/z", "1\n2\n3\n");
  call_hold hold{dir, "open", root + "/b", 1, call_hold::before};
  session run{held_run(hold, {"-r", "-k", root})};
  ASSERT_TRUE(hold.wait_until_held());
  fs::remove_all(root + "/b");
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1 " + root + "/a/x\n3 " + root + "/c/z\n4 total\n");
  EXPECT_EQ(result.err, "linecount: " + root + "/b: No such file or directory\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Recursive, ADirectoryThatBecomesUnreadableDuringTheWalkGetsOneMessage) {
  if (::geteuid() != 0) LINECOUNT_SKIP("not-root", "needs root to switch to nobody");
  temp_dir dir;
  auto what = as_nobody(dir, true);
  const auto root = dir / "t";
  for (const char* sub : {"/a", "/b", "/c"}) fs::create_directories(root + sub);
  dir.write("t/a/x", "1\n");
  dir.write("t/b/hidden", "1\n2\n");
  dir.write("t/c/z", "1\n2\n3\n");
  for (const char* path : {"", "/a", "/a/x", "/b", "/b/hidden", "/c", "/c/z"})
    fs::permissions(root + path, fs::perms::others_read | fs::perms::others_exec,
                    fs::perm_options::add);
  call_hold hold{dir, "open", root + "/b", 1, call_hold::before};
  hold.open_to_everyone();
  what.args = {"-r", "-k", root};
  what.env = hold.environment();
  session run{what};
  ASSERT_TRUE(hold.wait_until_held());
  fs::permissions(root + "/b", fs::perms::owner_all);  // nobody may no longer read it
  hold.release();
  const auto result = run.finish();
  EXPECT_EQ(result.out, "1 " + root + "/a/x\n3 " + root + "/c/z\n4 total\n");
  EXPECT_EQ(result.err, "linecount: " + root + "/b: Permission denied\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST(Recursive, AHugeTreeIsWalkedInBoundedMemory) {
  // 200,000 empty files in 20,000 directories: 20 tops, each with 100 chains 10 deep.
  temp_dir dir;
  const auto root = dir / "huge";
  fs::create_directory(root);
  std::size_t files = 0;
  for (int top = 0; top < 20; ++top) {
    std::string path = root + "/t" + std::to_string(top);
    for (int chain = 0; chain < 100; ++chain) {
      std::string branch = path + "/b" + std::to_string(chain);
      for (int depth = 0; depth < 10; ++depth) {
        if (depth > 0) branch += "/d" + std::to_string(depth);
        fs::create_directories(branch);
        for (int f = 0; f < 10; ++f) {
          const int fd = ::open((branch + "/f" + std::to_string(f)).c_str(),
                                O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
          ASSERT_GE(fd, 0);
          ::close(fd);
          ++files;
        }
      }
    }
  }
  ASSERT_EQ(files, 200'000U);
  invocation what;
  what.args = {"-r", "--json", "--total=only", root};
  // Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default); a small
  // one lets the test see linecount's own memory.
  what.env = {"ASAN_OPTIONS=quarantine_size_mb=4:thread_local_quarantine_size_kb=64"};
  const auto result = run(what);
  EXPECT_EQ(result.out, R"({"total":0,"files":200000,"errors":0})" "\n");
  EXPECT_EQ(result.exit_code, 0);
  if (!under_sanitizer) {
    EXPECT_LT(result.peak_rss_kib, 32 * 1024);
  }
  // And not much more than a walk of one chain of it (100 files) takes: read ahead without
  // its budget, the whole tree's listings (17 MiB) would be held. A sanitizer's runtime
  // multiplies what the program holds (ThreadSanitizer: 22 MiB more for the tree).
  what.args.back() = root + "/t0/b0";
  const auto chain = run(what);
  EXPECT_EQ(chain.out, R"({"total":0,"files":100,"errors":0})" "\n");
  const long slack_kib = (under_sanitizer ? 48 : 8) * 1024;
  EXPECT_LT(result.peak_rss_kib, chain.peak_rss_kib + slack_kib)
      << chain.peak_rss_kib << " KiB for one chain, " << result.peak_rss_kib << " for the tree";
}

}  // namespace
