#include "cli/walk.hpp"

#include "linecount/run_on_pool.hpp"
#include "io/retry_on_eintr.hpp"
#include "tuning.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <tuple>
#include <utility>

namespace linecount::app {
namespace {

std::string join(const std::string& directory, std::string_view name) {
  std::string path;
  path.reserve(directory.size() + 1 + name.size());
  path += directory;
  if (path.empty() || path.back() != '/') path += '/';
  path += name;
  return path;
}

// The first 8 bytes of `name` as a number that orders as the bytes do (a shorter name's
// missing bytes count as 0, below any byte a name can hold).
std::uint64_t order_key(std::string_view name) noexcept {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    key <<= 8U;
    if (i < name.size()) key |= static_cast<unsigned char>(name[i]);
  }
  return key;
}

// A directory too large for one read of its entries: room for them all at once. Memory
// first touched costs dearly in a virtual machine, and growing by doubling touches twice
// what the listing holds (100,000 files in one directory on the 2-core AMD EPYC VM of
// docs/performance.md: 49 ms to list and sort by doubling, 41 ms reserved). The
// directory's size is a byte count of its entries on ext4, XFS, btrfs and tmpfs (16 bytes
// or more each); room never touched costs only address space, but an ext4 directory that
// once held millions of entries keeps its size, so the room is capped (4 MiB of entries,
// 2 MiB of names; past that the listing grows as it must).
void reserve_for_large_directory(int fd, recursive_operands::listing& result) {
  struct stat status {};
  if (::fstat(fd, &status) != 0 || status.st_size <= 0) return;
  const auto size = static_cast<std::size_t>(status.st_size);
  result.entries.reserve(std::min(size / 16, tuning::most_reserved_entries));
  result.names.reserve(std::min(size / 2, tuning::most_reserved_name_bytes));
}

void add_entry(recursive_operands::listing& result, std::string_view name, bool is_directory) {
  if (name.size() > std::numeric_limits<std::uint16_t>::max() ||
      result.names.size() > std::numeric_limits<std::uint32_t>::max() - name.size()) {
    result.error = EOVERFLOW;  // 4 GiB of names in one directory: reported, not walked
    return;
  }
  result.entries.push_back({order_key(name), static_cast<std::uint32_t>(result.names.size()),
                            static_cast<std::uint16_t>(name.size()), is_directory, nullptr});
  result.names += name;
}

// The type of the entry `name` (a regular file or a directory, else another type or
// DT_UNKNOWN), or DT_UNKNOWN if `filters` leave it out: by name alone where it would be left
// out as a file and as a directory, so that it is not looked up.
unsigned char kept_type(int directory, const char* name, unsigned char reported,
                        const name_filters* filters) {
  if (filters == nullptr) return recursive_operands::entry_type(directory, name, reported);
  if (reported == DT_UNKNOWN && filters->skips_file(name) && filters->skips_directory(name))
    return DT_UNKNOWN;
  const unsigned char type = recursive_operands::entry_type(directory, name, reported);
  if (type == DT_REG && filters->skips_file(name)) return DT_UNKNOWN;
  if (type == DT_DIR && filters->skips_directory(name)) return DT_UNKNOWN;
  return type;
}

}  // namespace

recursive_operands::recursive_operands(std::unique_ptr<operand_source> operands,
                                       read_pool& pool, read_ahead_limits limits,
                                       const name_filters& filters)
    : operands_(std::move(operands)), pool_(&pool), limits_(limits), read_done_(pool.home()) {
  if (filters.filters_files() || filters.filters_directories())
    filters_ = std::make_shared<const name_filters>(filters);
}

unsigned char recursive_operands::entry_type(int directory, const char* name,
                                             unsigned char reported) {
  if (reported != DT_UNKNOWN) return reported;
  // Some filesystems do not say: ask, without following links.
  struct stat status {};
  if (::fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) != 0) return DT_UNKNOWN;  // gone
  if (S_ISREG(status.st_mode)) return DT_REG;
  if (S_ISDIR(status.st_mode)) return DT_DIR;
  return DT_LNK;  // or any other kind: skipped alike
}

recursive_operands::listing recursive_operands::read_directory(const std::string& path,
                                                                bool follow,
                                                                const name_filters* filters) {
  listing result;
  if (follow) {
    struct stat status {};
    // Not a directory, or no such path: the counting reports whatever is wrong with it.
    if (::stat(path.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) return result;
  }
  result.directory = true;
  // A directory of the walk replaced by a link since it was listed is not followed (the
  // open fails, and the directory is reported).
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
  if (fd < 0) {
    result.error = errno;
    return result;
  }
  // getdents64 itself, not opendir(): no fstat, fcntl or buffer allocation per directory
  // (the 3,104 directories of /usr/include and /usr/share/doc, listed in C on the 2-core AMD
  // EPYC VM of docs/performance.md: 50 ms of CPU → 36 ms).
  // NOLINTNEXTLINE(*-member-init): filled by getdents64
  alignas(dirent64) std::array<char, tuning::directory_read_size> buffer;
  bool first = true;
  while (result.error == 0) {
    const ssize_t got =
        retry_on_eintr([&] { return ::getdents64(fd, buffer.data(), buffer.size()); });
    if (got == 0) break;
    if (got < 0) {
      result.error = errno;  // a directory that fails half-way is reported
      break;
    }
    if (std::exchange(first, false) && static_cast<std::size_t>(got) > buffer.size() / 2)
      reserve_for_large_directory(fd, result);
    for (ssize_t at = 0; at < got && result.error == 0;) {
      const auto* item = reinterpret_cast<const dirent64*>(buffer.data() + at);  // NOLINT
      at += item->d_reclen;
      const std::string_view name = static_cast<const char*>(item->d_name);
      if (name == "." || name == "..") continue;
      const unsigned char type = kept_type(fd, item->d_name, item->d_type, filters);
      if (type == DT_REG || type == DT_DIR) add_entry(result, name, type == DT_DIR);
    }
  }
  ::close(fd);
  if (result.error != 0) {  // reported, not walked: its entries are no one's
    result.entries.clear();
    result.names.clear();
    return result;
  }
  // Byte order: the first 8 bytes as a big-endian number, then string_view's compare
  // (unsigned bytes, char_traits<char>::compare).
  const auto before = [&result](const entry& a, const entry& b) {
    if (a.order != b.order) return a.order < b.order;
    return result.name(a) < result.name(b);
  };
  std::sort(result.entries.begin(), result.entries.end(), before);
  for (auto& item : result.entries) {
    if (!item.is_directory) continue;
    item.subdirectory = std::make_shared<directory_read>();
    item.subdirectory->path = join(path, result.name(item));
  }
  return result;
}

boost::asio::awaitable<recursive_operands::listing> recursive_operands::read_on_pool(
    std::string path, bool follow) {
  // A named lambda, not one built inside the co_await: g++ 12 miscompiles the latter.
  auto blocking = [where = std::move(path), follow, filters = filters_] {
    return std::tuple{read_directory(where, follow, filters.get())};
  };
  auto result =
      co_await async_run_on_pool(*pool_, std::move(blocking), boost::asio::use_awaitable);
  co_return result;
}

void recursive_operands::start(const std::shared_ptr<directory_read>& read) {
  auto blocking = [where = read->path, filters = filters_] {
    return std::tuple{read_directory(where, false, filters.get())};
  };
  async_run_on_pool(*pool_, std::move(blocking),
                    [this, read](listing found) { complete(read, std::move(found)); });
  read->started = true;  // only once submitted: a submission that throws leaves it unstarted
  ++reading_;
  ++started_;
}

void recursive_operands::complete(const std::shared_ptr<directory_read>& read, listing found) {
  --reading_;
  held_entries_ += found.entries.size();  // none for a directory that failed (read_directory)
  plan_ahead(found, read->place);
  read->result = std::move(found);
  read_done_.notify_all();
  read_ahead();
}

void recursive_operands::plan_ahead(const listing& found,
                                    const std::vector<std::uint32_t>& place) {
  std::uint32_t position = 0;
  for (const auto& item : found.entries) {
    if (!item.subdirectory) continue;
    item.subdirectory->place.reserve(place.size() + 1);
    item.subdirectory->place = place;
    item.subdirectory->place.push_back(position++);
    ahead_.push(item.subdirectory);
  }
}

void recursive_operands::read_ahead() {
  // Directories started already (the walk reached them first), or no longer in any listing,
  // leave the queue even while the budget is spent: it holds only directories still ahead.
  const auto stale = [this] {
    return !ahead_.empty() && (ahead_.top()->started || ahead_.top().use_count() == 1);
  };
  for (; stale(); ahead_.pop()) {
  }
  while (reading_ < limits_.at_once && held_entries_ < limits_.entries && !ahead_.empty()) {
    const std::shared_ptr<directory_read> upcoming = ahead_.top();
    ahead_.pop();
    start(upcoming);
    for (; stale(); ahead_.pop()) {
    }
  }
}

bool recursive_operands::enter(directory_read& read, std::optional<operand>& failed) {
  listing found = std::move(*read.result);
  read.result.reset();
  held_entries_ -= found.entries.size();
  if (found.error != 0) {
    failed.emplace(operand::kind::unreadable, std::move(read.path), found.error);
    return false;
  }
  path_.push_back({std::move(read.path), std::move(found), 0});
  read_ahead();  // room in the budget again
  return true;
}

std::optional<operand> recursive_operands::ready() {
  while (!path_.empty()) {
    auto& current = path_.back();
    if (current.next == current.found.entries.size()) {
      path_.pop_back();
      continue;
    }
    auto& item = current.found.entries[current.next];
    if (!item.subdirectory) {
      ++current.next;
      return operand{operand::kind::file, join(current.path, current.found.name(item))};
    }
    if (!item.subdirectory->result) return std::nullopt;  // not read yet: next() waits
    const std::shared_ptr<directory_read> read = std::move(item.subdirectory);
    ++current.next;
    std::optional<operand> failed;
    if (!enter(*read, failed)) return failed;  // `current` dangles after enter()
  }
  return std::nullopt;  // the next operand may be a directory: next() looks
}

boost::asio::awaitable<std::optional<operand>> recursive_operands::next() {
  for (;;) {
    if (auto at_hand = ready()) co_return at_hand;
    if (path_.empty()) {
      auto taken = co_await operands_->next();
      if (!taken || taken->what != operand::kind::file) co_return taken;
      auto found = co_await read_on_pool(taken->text, true);
      if (!found.directory) co_return taken;
      if (found.error != 0)
        co_return operand{operand::kind::unreadable, std::move(taken->text), found.error};
      plan_ahead(found, {operands_walked_++});
      path_.push_back({std::move(taken->text), std::move(found), 0});
      read_ahead();
      continue;
    }
    // ready() stopped at a subdirectory whose listing is not in yet.
    const auto& waiting = path_.back();
    const std::shared_ptr<directory_read> read = waiting.found.entries[waiting.next].subdirectory;
    if (!read->started) start(read);
    while (!read->result) co_await read_done_.wait();
  }
}

}  // namespace linecount::app
