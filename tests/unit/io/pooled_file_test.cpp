#include "linecount/async_chunks.hpp"
#include "linecount/count.hpp"
#include "linecount/pooled_file.hpp"
#include "linecount/read_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

struct outcome {
  std::string data;
  std::optional<int> error;
  std::size_t chunks = 0;
  bool resumed_on_caller_thread = true;
};

asio::awaitable<outcome> read_all(linecount::pooled_file& file, std::size_t buffer_size,
                                  std::thread::id caller) {
  std::vector<std::byte> buffer(buffer_size);
  linecount::async_chunks<linecount::pooled_file> chunks{file, buffer};
  outcome result;
  try {
    for (;;) {
      const auto chunk = co_await chunks.next();
      result.resumed_on_caller_thread =
          result.resumed_on_caller_thread && std::this_thread::get_id() == caller;
      if (chunk.empty()) break;
      ++result.chunks;
      result.data.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    }
  } catch (const boost::system::system_error& error) {
    result.error = error.code().value();
  }
  co_return result;
}

class PooledFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/linecount-pooled-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) const {
    const auto path = dir_ / name;
    std::ofstream{path, std::ios::binary} << content;
    return path;
  }

  outcome read(linecount::pooled_file::executor_type ex, asio::io_context& io,
               linecount::pooled_file& file, std::size_t buffer_size) {
    auto future = asio::co_spawn(ex, read_all(file, buffer_size, std::this_thread::get_id()),
                                 asio::use_future);
    io.run();
    io.restart();
    return future.get();
  }

  outcome read_path(const fs::path& path, std::size_t buffer_size) {
    linecount::pooled_file file{io_.get_executor(), pool_, path.string()};
    return read(io_.get_executor(), io_, file, buffer_size);
  }

  fs::path dir_;
  asio::io_context io_;
  linecount::read_pool pool_{io_, 2};
};

TEST_F(PooledFile, ReadsWholeFilesAcrossChunkBoundaries) {
  constexpr std::size_t buffer = 64;
  for (const std::size_t size : {0UL, 1UL, buffer - 1, buffer, buffer + 1, 3 * buffer + 5}) {
    std::string content(size, 'x');
    for (std::size_t i = 0; i < size; i += 7) content[i] = '\n';
    std::string name = "f";
    name += std::to_string(size);  // not "f" + ...: g++ 12 warns falsely (-Wrestrict)
    const auto result = read_path(write(name, content), buffer);
    EXPECT_FALSE(result.error);
    EXPECT_EQ(result.data, content) << "size " << size;
    EXPECT_EQ(result.chunks, (size + buffer - 1) / buffer) << "size " << size;
  }
}

TEST_F(PooledFile, ResumesOnTheCallersThread) {
  const auto result = read_path(write("f", std::string(1000, 'a')), 100);
  EXPECT_TRUE(result.resumed_on_caller_thread);
}

TEST_F(PooledFile, MissingFileFailsAtTheFirstNext) {
  const auto result = read_path(dir_ / "missing", 64);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error, ENOENT);
  EXPECT_EQ(result.chunks, 0U);
}

TEST_F(PooledFile, DirectoryFailsWithIsADirectory) {
  const auto result = read_path(dir_, 64);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error, EISDIR);
}

TEST_F(PooledFile, BorrowedDescriptorIsReadFromItsOffsetAndLeftOpen) {
  const auto path = write("f", "one\ntwo\nthree\n");
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::lseek(fd, 4, SEEK_SET), 4);
  auto file = linecount::pooled_file::borrow(io_.get_executor(), pool_, fd);
  const auto result = read(io_.get_executor(), io_, file, 64);
  EXPECT_EQ(result.data, "two\nthree\n");
  EXPECT_GE(::fcntl(fd, F_GETFD), 0) << "a borrowed descriptor must stay open";
  ::close(fd);
}

TEST_F(PooledFile, AdoptedDescriptorIsClosedAtTheEnd) {
  const auto path = write("f", "data\n");
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  auto file = linecount::pooled_file::adopt(io_.get_executor(), pool_, fd);
  const auto result = read(io_.get_executor(), io_, file, 64);
  EXPECT_EQ(result.data, "data\n");
  errno = 0;
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST_F(PooledFile, ReadsAPipeUntilItsWriterCloses) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer{[fd = fds[1]] {
    for (int i = 0; i < 100; ++i) {
      const std::string line = "line " + std::to_string(i) + "\n";
      ASSERT_EQ(::write(fd, line.data(), line.size()), static_cast<ssize_t>(line.size()));
    }
    ::close(fd);
  }};
  auto file = linecount::pooled_file::adopt(io_.get_executor(), pool_, fds[0]);
  const auto result = read(io_.get_executor(), io_, file, 128);
  writer.join();
  EXPECT_FALSE(result.error);
  EXPECT_EQ(linecount::count_newlines(std::as_bytes(std::span(result.data))), 100U);
}

asio::awaitable<std::string> first_chunk(linecount::pooled_file& file) {
  std::vector<std::byte> buffer(4096);
  linecount::async_chunks<linecount::pooled_file> chunks{file, buffer};
  const auto chunk = co_await chunks.next();
  co_return std::string(reinterpret_cast<const char*>(chunk.data()), chunk.size());
}

TEST_F(PooledFile, AvailablePolicyHandsOverDataWithoutWaitingForTheEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "abc", 3), 3);  // the writer stays open: no end of file yet
  auto file = linecount::pooled_file::adopt(io_.get_executor(), pool_, fds[0],
                                            linecount::read_policy::available);
  auto future = asio::co_spawn(io_, first_chunk(file), asio::use_future);
  io_.run();
  EXPECT_EQ(future.get(), "abc");
  ::close(fds[1]);
}

TEST_F(PooledFile, ProcFilesAreReadDespiteAZeroSize) {
  ASSERT_EQ(fs::file_size("/proc/version"), 0U);
  const auto result = read_path("/proc/version", 64);
  EXPECT_FALSE(result.error);
  EXPECT_FALSE(result.data.empty());
}

struct counting_listener final : linecount::cold_read_listener {
  void cold_read() noexcept override { ++cold; }
  void warm_read() noexcept override { ++warm; }
  std::atomic<int> cold{0};
  std::atomic<int> warm{0};
};

TEST_F(PooledFile, TellsTheListenerOnceWhenTheDataIsCached) {
  const auto path = write("f", std::string(300, '\n'));
  read_path(path, 64);  // now certainly in the page cache
  counting_listener listener;
  linecount::pooled_file file{io_.get_executor(), pool_, path.string()};
  file.set_cold_read_listener(&listener);
  const auto result = read(io_.get_executor(), io_, file, 64);
  EXPECT_EQ(result.data.size(), 300U);
  EXPECT_EQ(listener.warm, 1);
  EXPECT_EQ(listener.cold, 0);
  EXPECT_FALSE(file.waited_for_storage());
}

TEST_F(PooledFile, EvictedDataIsReportedOnceAndStillReadWhole) {
  const std::string content(64 * 1024, 'x');
  const auto path = write("f", content);
  {
    const int fd = ::open(path.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::fdatasync(fd), 0);
    ASSERT_EQ(::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
    ::close(fd);
  }
  counting_listener listener;
  linecount::pooled_file file{io_.get_executor(), pool_, path.string()};
  file.set_cold_read_listener(&listener);
  const auto result = read(io_.get_executor(), io_, file, 4096);
  EXPECT_EQ(result.data, content);
  // Exactly one report: cold if the wait was long enough to be storage's, else warm.
  EXPECT_EQ(listener.warm + listener.cold, 1);
  EXPECT_EQ(file.waited_for_storage(), listener.cold == 1);
}

TEST_F(PooledFile, BorrowedDescriptorsAreNotReported) {
  const auto path = write("f", "a\n");
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  counting_listener listener;
  auto file = linecount::pooled_file::borrow(io_.get_executor(), pool_, fd);
  file.set_cold_read_listener(&listener);
  EXPECT_EQ(read(io_.get_executor(), io_, file, 64).data, "a\n");
  EXPECT_EQ(listener.warm + listener.cold, 0);
  ::close(fd);
}

TEST_F(PooledFile, ACachedSmallFileIsReadWithoutAPoolThread) {
  const auto path = write("f", "one\ntwo\n");
  read_path(path, 64);  // the pool takes no thread for it: it is read where it is asked for
  EXPECT_EQ(pool_.count_threads().started, 0U);
  EXPECT_EQ(read_path(path, 64).data, "one\ntwo\n");
  EXPECT_EQ(pool_.count_threads().started, 0U);
}

// Whether some thread of this process is blocked in poll (or ppoll) now.
bool a_thread_polls() {
  std::error_code ignored;
  for (const auto& task : fs::directory_iterator("/proc/self/task", ignored)) {
    std::ifstream in{task.path() / "syscall"};
    long number = -1;
    if (in >> number && (number == SYS_poll || number == SYS_ppoll)) return true;
  }
  return false;
}

TEST_F(PooledFile, AFifoOpenedWithoutWaitingStillWaitsForItsWriter) {
  // Opened where it is asked for (without waiting for a writer, unlike a blocking open): a
  // pool thread then waits for it to be readable. Until a writer has come, the FIFO must
  // not read as empty.
  const auto fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  linecount::pooled_file file{io_.get_executor(), pool_, fifo.string()};
  auto future = asio::co_spawn(io_.get_executor(),
                               read_all(file, 64, std::this_thread::get_id()), asio::use_future);
  std::thread home{[this] { io_.run(); }};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (!a_thread_polls() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  EXPECT_TRUE(a_thread_polls()) << "no thread waits for the FIFO";
  EXPECT_EQ(future.wait_for(std::chrono::seconds{0}), std::future_status::timeout)
      << "the read ended before any writer came";
  {
    std::ofstream writer{fifo};
    writer << "a\nb\n";
  }
  home.join();
  const auto result = future.get();
  EXPECT_FALSE(result.error);
  EXPECT_EQ(result.data, "a\nb\n");
}

TEST_F(PooledFile, FilesOfWholePagesAreReadToTheirEnd) {
  // A first read that stops short at a whole number of pages may have been cut by a page
  // outside the cache: it must read on to be sure (and find the end).
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  for (const std::size_t size : {page - 1, page, page + 1, 2 * page, 3 * page + 5}) {
    std::string content(size, 'x');
    for (std::size_t i = 0; i < size; i += 10) content[i] = '\n';
    std::string name = "p";
    name += std::to_string(size);
    EXPECT_EQ(read_path(write(name, content), 16384).data, content) << size;
  }
}

// Which of the first `pages` pages of `path` are in the page cache now.
std::vector<bool> resident(const fs::path& path, std::size_t pages) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const int fd = ::open(path.c_str(), O_RDONLY);
  void* map = ::mmap(nullptr, pages * page, PROT_READ, MAP_SHARED, fd, 0);
  std::vector<unsigned char> bits(pages);
  ::mincore(map, pages * page, bits.data());
  ::munmap(map, pages * page);
  ::close(fd);
  std::vector<bool> in_cache;
  for (const auto bit : bits) in_cache.push_back((bit & 1) != 0);
  return in_cache;
}

TEST_F(PooledFile, AReadCutShortByAPageOutsideTheCacheReadsOn) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::string content(3 * page + 100, 'y');
  for (std::size_t i = 0; i < content.size(); i += 7) content[i] = '\n';
  const auto path = write("holes", content);
  // Only the first page in the page cache: evict the file, then read one byte of it with
  // readahead off.
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::fdatasync(fd), 0);
  ASSERT_EQ(::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
  ASSERT_EQ(::posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM), 0);
  char byte = 0;
  ASSERT_EQ(::pread(fd, &byte, 1, 0), 1);
  ::close(fd);
  ASSERT_EQ(resident(path, 4), (std::vector<bool>{true, false, false, false}))
      << "could not leave the first page alone in the page cache";
  // The first read, without waiting, gets that page only: it must read on.
  EXPECT_EQ(read_path(path, 16384).data, content);
}

}  // namespace
