// Files on cold storage, end to end: a file whose pages are not in the page cache is seen to
// be cold (its first read, tried without waiting, is refused), and its ranges are read with
// sequential readahead asked for (POSIX_FADV_SEQUENTIAL); the same file once cached is read
// without. (Whether the ordinary read after the refusal waited long depends on the storage:
// the refused read starts the I/O, and fast storage can finish it first; CI saw that once.) Neither is mapped. What linecount did is read from strace's log of
// its system calls. The file is evicted from the page cache with POSIX_FADV_DONTNEED, which
// needs no privilege and leaves every other file's pages alone (unlike drop_caches).

#include "support/process.hpp"
#include "support/skip.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <utility>

namespace {

using namespace linecount::testing;
using strings = std::vector<std::string>;

constexpr long tmpfs_magic = 0x01021994;

// How many of `path`'s pages are in the page cache now (mincore over a map of it).
std::size_t resident_pages(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat status {};
  ::fstat(fd, &status);
  const auto size = static_cast<std::size_t>(status.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((size + page - 1) / page);
  ::mincore(map, size, resident.data());
  ::munmap(map, size);
  ::close(fd);
  return static_cast<std::size_t>(std::count_if(resident.begin(), resident.end(),
                                                [](unsigned char bit) { return (bit & 1) != 0; }));
}

// Writes the file to storage and drops its pages from the page cache.
void evict(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::fdatasync(fd), 0);
  ASSERT_EQ(::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
  ::close(fd);
}

// What linecount did with `path`, from a log of `strace -f -o`: the lines after its open,
// and the descriptor that open returned.
struct traced_file {
  std::string fd;
  strings lines;

  // A call whose first argument is the file ("pread64(5, ...") and whose line has `also`.
  [[nodiscard]] bool called(const std::string& call, const std::string& also = "") const {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find(call + "(" + fd + ", ") != std::string::npos &&
             line.find(also) != std::string::npos;
    });
  }

  // Whether the first read, tried without waiting, was refused: the answer may be on a
  // line of its own ("<... preadv2 resumed>") when other threads made calls meanwhile.
  [[nodiscard]] bool probe_refused() const {
    return std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
      return line.find("preadv2") != std::string::npos && line.find("EAGAIN") != std::string::npos;
    });
  }

  // A map of the file: "mmap(ADDRESS, LENGTH, PROT, FLAGS, FD, OFFSET" (std::regex is not
  // used here: g++ 12 warns inside it under AddressSanitizer).
  [[nodiscard]] bool mapped() const {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
      const auto call = line.find("mmap(");
      if (call == std::string::npos) return false;
      std::size_t field = call;
      for (int comma = 0; comma < 4 && field != std::string::npos; ++comma)
        field = line.find(", ", field + 1);
      return field != std::string::npos && line.compare(field + 2, fd.size() + 1, fd + ",") == 0;
    });
  }
};

// The result of an open that succeeded: the descriptor after ") = " at the end of the line.
std::string opened_descriptor(const std::string& line) {
  const auto result = line.rfind(") = ");
  if (result == std::string::npos || result + 4 == line.size() ||
      line.find_first_not_of("0123456789", result + 4) != std::string::npos)
    return {};
  return line.substr(result + 4);
}

traced_file trace_of(const std::string& log_path, const std::string& path) {
  std::ifstream log{log_path};
  traced_file traced;
  std::string opening_pid;  // an open of the file strace had to split in two lines
  for (std::string line; std::getline(log, line);) {
    if (!traced.fd.empty()) {
      traced.lines.push_back(line);
      continue;
    }
    // "PID openat(AT_FDCWD, "PATH", FLAGS) = FD" (or openat2), or, when another thread made a
    // call meanwhile, "PID openat(AT_FDCWD, "PATH", FLAGS <unfinished ...>" and later
    // "PID <... openat resumed>) = FD".
    const std::string pid = line.substr(0, line.find(' '));
    if (line.find("\"" + path + "\"") != std::string::npos) {
      traced.fd = opened_descriptor(line);
      if (line.ends_with("<unfinished ...>")) opening_pid = pid;
    } else if (!opening_pid.empty() && pid == opening_pid && line.find("resumed>") != std::string::npos) {
      traced.fd = opened_descriptor(line);
      opening_pid.clear();
    }
  }
  return traced;
}

TEST(ColdStorage, AColdFileIsReadWithReadaheadAndACachedOneWithout) {
  ASSERT_EQ(std::system("strace -V > /dev/null 2>&1"), 0)
      << "strace is needed (scripts/setup.sh --test installs it)";
  temp_dir dir;
  struct statfs where {};
  ASSERT_EQ(::statfs(dir.path().c_str(), &where), 0);
  if (where.f_type == tmpfs_magic)
    LINECOUNT_SKIP("temp-in-memory", "the temporary folder is tmpfs: its files are never cold");
  std::string text;
  for (int i = 0; i < 300'000; ++i) text += "a line of a file on cold storage, " + std::to_string(i) + "\n";
  const auto file = dir.write("cold", text);  // about 12 MiB: counted in ranges
  // Cached first: written back (a page being written back can refuse a read that must not
  // wait), and never read, so no page carries a readahead mark (which refuses it too). Then
  // evicted.
  std::pair<void*, std::size_t> held_in_cache{nullptr, 0};
  for (const bool cold : {false, true}) {
    if (cold) {
      ::munmap(held_in_cache.first, held_in_cache.second);
      evict(file);
      ASSERT_EQ(resident_pages(file), 0U) << "the file could not be evicted from the page cache";
    } else {
      const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
      ASSERT_EQ(::fsync(fd), 0);
      // Kept mapped (and locked, where allowed) while linecount reads it: a mapped page is
      // never dropped from the cache, and a page cache dropped by something else on the
      // machine made this run cold once. A fault on a cached page leaves no readahead mark.
      const auto size = static_cast<std::size_t>(::lseek(fd, 0, SEEK_END));
      void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
      ASSERT_NE(map, MAP_FAILED);
      (void)::mlock(map, size);
      held_in_cache = {map, size};
      ::close(fd);
      const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
      ASSERT_EQ(resident_pages(file), (size + page - 1) / page) << "the file is not all cached";
    }
    const auto log = dir / (cold ? "cold.log" : "hot.log");
    invocation what;
    what.args = {file};
    what.wrapper = {"env", with_inherited_options("ASAN_OPTIONS", "detect_leaks=0"), "strace",
                    "-f", "-qq", "-o", log, "-e", "trace=openat,openat2,preadv2,pread64,fadvise64,mmap"};
    const auto result = run(what);
    EXPECT_EQ(result.out, "300000 " + file + "\n") << result.err;
    EXPECT_EQ(result.exit_code, 0);
    const auto traced = trace_of(log, file);
    ASSERT_FALSE(traced.fd.empty()) << "linecount never opened " << file;
    EXPECT_EQ(traced.probe_refused(), cold) << "cold " << cold;
    EXPECT_EQ(traced.called("fadvise64", "POSIX_FADV_SEQUENTIAL"), cold) << "cold " << cold;
    EXPECT_TRUE(traced.called("pread64")) << "cold " << cold;
    EXPECT_FALSE(traced.mapped()) << "cold " << cold;
  }
}

}  // namespace
