#include "io/open_batch.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using linecount::open_batch;
using linecount::testing::temp_dir;

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// io_uring may be refused here (a sandbox, the kernel.io_uring_disabled sysctl): then there
// is no batch to test, and the program opens files one by one (tested end to end).
#define SKIP_UNLESS_AVAILABLE(batch)                              \
  do {                                                             \
    if (!(batch).available())                                      \
      GTEST_SKIP() << "io_uring is refused on this machine";       \
  } while (false)

TEST(OpenBatch, OpensEveryFileOrSaysWhyNot) {
  open_batch batch;
  SKIP_UNLESS_AVAILABLE(batch);
  const temp_dir dir;
  const std::string file = dir.write("file", "one\ntwo\n");
  const std::string missing = dir / "missing";
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Names are resolved from the caches only: looked up once, a name that is not there is
  // cached as missing; never looked up, it would come back as -EAGAIN (for the caller to
  // open the ordinary way).
  struct stat status {};
  ASSERT_NE(::stat(missing.c_str(), &status), 0);
  const std::array paths{file.c_str(), missing.c_str(), fifo.c_str(), dir.path().c_str()};
  std::array<int, paths.size()> results{};
  results.fill(-1000);
  batch.open(paths, results);

  ASSERT_GE(results[0], 0);
  std::array<char, 16> data{};
  EXPECT_EQ(::read(results[0], data.data(), data.size()), 8);
  EXPECT_EQ(std::string(data.data(), 8), "one\ntwo\n");
  EXPECT_EQ(results[1], -ENOENT);
  // A FIFO with no writer opens at once: non-blocking. So does a directory (read-only).
  ASSERT_GE(results[2], 0);
  EXPECT_NE(::fcntl(results[2], F_GETFL) & O_NONBLOCK, 0);
  ASSERT_GE(results[3], 0);
  for (const int fd : {results[0], results[2], results[3]}) {
    EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    ::close(fd);
  }
}

TEST(OpenBatch, ANameTooLongFailsAloneAndTheRestAreOpened) {
  open_batch batch;
  SKIP_UNLESS_AVAILABLE(batch);
  const temp_dir dir;
  const std::string file = dir.write("file", "x\n");
  std::string too_long = dir.path().string();
  while (too_long.size() < PATH_MAX + 100) too_long += "/.";
  too_long += "/file";
  // The kernel refuses the long name before it opens anything: the entries after it must
  // still be sent and answered (once, they were left unsent and the thread waited for ever).
  const std::array paths{file.c_str(), too_long.c_str(), file.c_str(), file.c_str()};
  std::array<int, paths.size()> results{};
  batch.open(paths, results);
  EXPECT_EQ(results[1], -ENAMETOOLONG);
  for (const std::size_t i : {0U, 2U, 3U}) {
    ASSERT_GE(results[i], 0) << i;
    ::close(results[i]);
  }
}

TEST(OpenBatch, ClosesWithTheNextBatch) {
  open_batch batch;
  SKIP_UNLESS_AVAILABLE(batch);
  const temp_dir dir;
  const std::string file = dir.write("file", "x\n");
  const std::array paths{file.c_str(), file.c_str()};
  std::array<int, 2> first{};
  batch.open(paths, first);
  ASSERT_GE(first[0], 0);
  ASSERT_GE(first[1], 0);
  batch.close_later(first[0]);
  batch.close_later(first[1]);
  EXPECT_TRUE(batch.has_closes());
  EXPECT_TRUE(is_open(first[0]));  // not yet: they go with the next call
  std::array<int, 2> second{};
  batch.open(paths, second);
  EXPECT_FALSE(batch.has_closes());
  // The closes went first: their descriptors may already be the new ones.
  for (const int fd : first) {
    if (fd != second[0] && fd != second[1]) {
      EXPECT_FALSE(is_open(fd)) << fd;
    }
  }
  batch.close_later(second[0]);
  batch.close_later(second[1]);
  batch.flush_closes();
  EXPECT_FALSE(is_open(second[0]));
  EXPECT_FALSE(is_open(second[1]));
}

TEST(OpenBatch, AFullListOfClosesIsFlushedAtOnce) {
  open_batch batch;
  SKIP_UNLESS_AVAILABLE(batch);
  const temp_dir dir;
  const std::string file = dir.write("file", "x\n");
  std::array<int, open_batch::max_files + 1> fds{};
  for (int& fd : fds) {
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
  }
  for (const int fd : fds) batch.close_later(fd);
  // The first max_files went when the last one came; only that one waits.
  for (std::size_t i = 0; i < open_batch::max_files; ++i) EXPECT_FALSE(is_open(fds[i])) << i;
  EXPECT_TRUE(is_open(fds.back()));
  batch.flush_closes();
  EXPECT_FALSE(is_open(fds.back()));
}

TEST(OpenBatch, CloseReadOnlyUsesTheThreadsBatchOnlyWhileItHasOne) {
  const temp_dir dir;
  const std::string file = dir.write("file", "x\n");
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(open_batch::of_this_thread(), nullptr);
  linecount::close_read_only(fd);  // no batch: closed now
  EXPECT_FALSE(is_open(fd));

  open_batch batch;
  open_batch::set_for_this_thread(&batch);
  fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const bool ring = batch.available();
  linecount::close_read_only(fd);
  // With a ring, the close waits for the next batch; without one it is made at once.
  EXPECT_EQ(is_open(fd), ring);
  batch.flush_closes();
  EXPECT_FALSE(is_open(fd));
  open_batch::set_for_this_thread(nullptr);
}

}  // namespace
