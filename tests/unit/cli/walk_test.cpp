// recursive_operands: the walk's order whatever its read-ahead limits, and the budget.

#include "cli/walk.hpp"

#include "linecount/read_pool.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using linecount::app::argument_operands;
using linecount::app::name_filters;
using linecount::app::operand;
using linecount::app::recursive_operands;
using linecount::testing::temp_dir;
namespace fs = std::filesystem;

void touch(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ::close(fd);
}

// The files below `directory` depth first, each directory's entries in byte order: computed
// here from the filesystem, not by the walk.
void depth_first(const std::string& directory, std::vector<std::string>& files) {
  std::vector<std::string> names;
  for (const auto& item : fs::directory_iterator(directory))
    names.push_back(item.path().filename().string());
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
    });
  });
  for (const auto& name : names) {
    const auto path = directory + "/" + name;
    if (fs::is_directory(path)) {
      depth_first(path, files);
    } else {
      files.push_back(path);
    }
  }
}

boost::asio::awaitable<std::vector<std::string>> every_operand(recursive_operands& walk) {
  std::vector<std::string> names;
  for (;;) {
    std::optional<operand> next = walk.ready();
    if (!next) next = co_await walk.next();
    if (!next) break;
    EXPECT_EQ(next->what, operand::kind::file) << next->text;
    names.push_back(next->text);
  }
  co_return names;
}

std::vector<std::string> walk_all(const std::string& root, recursive_operands::read_ahead_limits limits,
                                  const name_filters& filters = {},
                                  std::size_t* directories_read = nullptr) {
  boost::asio::io_context io;
  linecount::read_pool pool{io, 2};
  recursive_operands walk{std::make_unique<argument_operands>(std::vector<std::string>{root}), pool,
                          limits, filters};
  auto names = boost::asio::co_spawn(io, every_operand(walk), boost::asio::use_future);
  io.run();
  EXPECT_EQ(walk.held_entries(), 0U);  // every listing read was walked through
  if (directories_read != nullptr) *directories_read = walk.directories_started();
  return names.get();
}

TEST(Walk, DepthFirstByteOrderWhateverTheLimits) {
  // Three levels of directories named so that byte order differs from a sort of whole paths
  // and from signed chars, and names alike in their first 8 bytes or more, with a file
  // beside every directory.
  temp_dir dir;
  const auto root = dir / "tree";
  const std::vector<std::string> names{"a", "a-b", "B", "~", "\xc3\xa9", "12345678", "12345678-b",
                                       "12345678\xc3\xa9", "12345678B"};
  std::vector<std::string> level{root};
  fs::create_directory(root);
  for (int depth = 0; depth < 3; ++depth) {
    std::vector<std::string> next;
    for (const auto& parent : level) {
      for (const auto& name : names) {
        fs::create_directory(parent + "/" + name);
        touch(parent + "/" + name + ".f");
        next.push_back(parent + "/" + name);
      }
    }
    level = std::move(next);
  }
  std::vector<std::string> expected;
  depth_first(root, expected);
  ASSERT_EQ(expected.size(), 9U + 81 + 729);
  // The budget full all the time (reads then start as the walk reaches them), one read at a
  // time, and the defaults.
  for (const auto limits : {recursive_operands::read_ahead_limits{1, 1},
                            recursive_operands::read_ahead_limits{3, 2},
                            recursive_operands::read_ahead_limits{}})
    EXPECT_EQ(walk_all(root, limits), expected) << limits.entries << " entries, " << limits.at_once;
}

TEST(Walk, ALargeDirectoryIsListedWholeAndInOrder) {
  // More entries than one read of the directory returns (the listing reserves room for them
  // from the directory's size), files and directories mixed, names of every length.
  temp_dir dir;
  const auto root = dir / "large";
  fs::create_directory(root);
  for (int i = 0; i < 3000; ++i) {
    const auto length = static_cast<std::size_t>(1 + i % 200);
    const auto name = root + "/" + std::string(length, 'n') + std::to_string(i);
    if (i % 100 == 0) {
      fs::create_directory(name);
      touch(name + "/inside");
    } else {
      touch(name);
    }
  }
  std::vector<std::string> expected;
  depth_first(root, expected);
  ASSERT_EQ(expected.size(), 3000U);
  EXPECT_EQ(walk_all(root, {}), expected);
}

TEST(Walk, ReadingAheadStopsAtItsBudget) {
  // 200 directories of 10 entries each (9 files and the next directory). The walk hands out
  // one file and is asked for nothing more; reading ahead goes on by itself until the budget
  // stops it, and then the io_context has nothing left to do.
  temp_dir dir;
  constexpr int directories = 200;
  for (int top = 0; top < 20; ++top) {
    std::string path = dir / ("t" + std::to_string(top));
    for (int depth = 0; depth < directories / 20; ++depth) {
      if (depth > 0) path += "/d";
      fs::create_directory(path);
      for (int f = 0; f < 9; ++f) touch(path + "/f" + std::to_string(f));
    }
  }
  const recursive_operands::read_ahead_limits limits{300, 4};
  boost::asio::io_context io;
  linecount::read_pool pool{io, 2};
  recursive_operands walk{
      std::make_unique<argument_operands>(std::vector<std::string>{dir.path().string()}), pool, limits};
  auto first = boost::asio::co_spawn(io, walk.next(), boost::asio::use_future);
  io.run();
  const auto taken = first.get();
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->what, operand::kind::file);
  // Within the budget, give or take the listings on their way when it was reached (at most
  // `at_once` of 10 entries each); and it did read ahead.
  EXPECT_GE(walk.held_entries(), limits.entries);
  EXPECT_LE(walk.held_entries(), limits.entries + 10 * limits.at_once);
  EXPECT_LT(walk.directories_started(), static_cast<std::size_t>(directories));
}

TEST(Walk, FiltersApplyWhileListingAndALeftOutDirectoryIsNeverRead) {
  // 3 directories of 3 subdirectories and a .c, a .h and a .txt file each, two levels down.
  // --include='*.c' --exclude='b*' --exclude-dir='skip*': directories started are counted,
  // so a directory left out that was read (even ahead) fails the test.
  temp_dir dir;
  const auto root = dir / "tree";
  std::vector<std::string> level{root};
  fs::create_directory(root);
  for (int depth = 0; depth < 2; ++depth) {
    std::vector<std::string> next;
    for (const auto& parent : level) {
      for (const char* name : {"a", "b.c", "skip"}) {
        fs::create_directory(parent + "/" + name);
        next.push_back(parent + "/" + name);
      }
      for (const char* name : {"a.c", "a.h", "a.txt", "b.c.c"}) touch(parent + "/" + name);
    }
    level = std::move(next);
  }
  for (const auto& leaf : level) touch(leaf + "/leaf.c");
  name_filters filters;
  filters.include("*.c");
  filters.exclude("b*");
  filters.exclude_directory("skip*");
  // Expected from the filesystem: every .c file not starting with 'b', none below a "skip".
  std::vector<std::string> every;
  depth_first(root, every);
  std::vector<std::string> expected;
  for (const auto& path : every) {
    const auto name = fs::path{path}.filename().string();
    const bool pruned = path.find("/skip/") != std::string::npos;
    if (!pruned && name.ends_with(".c") && !name.starts_with("b")) expected.push_back(path);
  }
  ASSERT_EQ(expected.size(), 3U + 4U);  // a.c in the root, a and b.c; leaf.c in 4 leaves
  for (const auto limits : {recursive_operands::read_ahead_limits{1, 1},
                            recursive_operands::read_ahead_limits{}}) {
    std::size_t directories_read = 0;
    EXPECT_EQ(walk_all(root, limits, filters, &directories_read), expected);
    // Below the root: a, b.c, then a/a, a/b.c, b.c/a, b.c/b.c; no "skip" nor anything in one.
    EXPECT_EQ(directories_read, 6U);
  }
  // Without filters, all 12 are read.
  std::size_t directories_read = 0;
  EXPECT_EQ(walk_all(root, {}, {}, &directories_read).size(), every.size());
  EXPECT_EQ(directories_read, 12U);
}

TEST(Walk, AListingHoldsOnlyTheEntriesFiltersKeep) {
  temp_dir dir;
  for (const char* name : {"keep.c", "drop.h", "drop.c"}) touch(dir / name);
  for (const char* name : {"sub", "pruned"}) fs::create_directory(dir / name);
  name_filters filters;
  filters.include("*.c");
  filters.exclude("drop*");
  filters.exclude_directory("pruned");
  const auto found = recursive_operands::read_directory(dir.path().string(), true, &filters);
  ASSERT_EQ(found.error, 0);
  std::vector<std::string> listed;
  for (const auto& item : found.entries) listed.emplace_back(found.name(item));
  EXPECT_EQ(listed, (std::vector<std::string>{"keep.c", "sub"}));
  EXPECT_EQ(found.names.size(), std::string{"keep.csub"}.size());  // none of the others held
}

TEST(Walk, AnEntryOfUnknownTypeIsLookedUpWithoutFollowingLinks) {
  // Filesystems that do not fill d_type say DT_UNKNOWN: the walk then asks the directory.
  temp_dir dir;
  touch(dir / "file");
  fs::create_directory(dir / "directory");
  fs::create_symlink("file", dir / "link-to-file");
  fs::create_directory_symlink("directory", dir / "link-to-directory");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  const int directory = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(directory, 0);
  const auto type = [directory](const char* name) {
    return recursive_operands::entry_type(directory, name, DT_UNKNOWN);
  };
  EXPECT_EQ(type("file"), DT_REG);
  EXPECT_EQ(type("directory"), DT_DIR);
  EXPECT_NE(type("link-to-file"), DT_REG);  // links inside the walk are not followed
  EXPECT_NE(type("link-to-directory"), DT_DIR);
  EXPECT_NE(type("fifo"), DT_REG);
  EXPECT_NE(type("fifo"), DT_DIR);
  EXPECT_EQ(type("gone"), DT_UNKNOWN);
  // What the directory says is taken as it is, without a look.
  EXPECT_EQ(recursive_operands::entry_type(directory, "gone", DT_REG), DT_REG);
  ::close(directory);
}

}  // namespace
