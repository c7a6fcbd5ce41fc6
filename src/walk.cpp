#include "walk.hpp"

#include "linecount/run_on_pool.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <tuple>

namespace linecount::app {
namespace {

std::string join(const std::string& directory, const std::string& name) {
  if (!directory.empty() && directory.back() == '/') return directory + name;
  return directory + '/' + name;
}

}  // namespace

recursive_operands::recursive_operands(std::unique_ptr<operand_source> operands,
                                       read_pool& pool)
    : operands_(std::move(operands)), pool_(&pool) {}

recursive_operands::listing recursive_operands::read_directory(const std::string& path,
                                                                bool follow) {
  listing result;
  if (follow) {
    struct stat status {};
    // Not a directory, or no such path: the counting reports whatever is wrong with it.
    if (::stat(path.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) return result;
  }
  result.directory = true;
  DIR* directory = ::opendir(path.c_str());
  if (directory == nullptr) {
    result.error = errno;
    return result;
  }
  errno = 0;
  while (const dirent* item = ::readdir(directory)) {  // NOLINT(concurrency-mt-unsafe): own DIR
    const std::string_view name = item->d_name;
    if (name == "." || name == "..") continue;
    unsigned char type = item->d_type;
    if (type == DT_UNKNOWN) {  // some filesystems do not say: ask, without following links
      struct stat status {};
      if (::fstatat(::dirfd(directory), item->d_name, &status, AT_SYMLINK_NOFOLLOW) == 0)
        type = S_ISREG(status.st_mode) ? DT_REG : S_ISDIR(status.st_mode) ? DT_DIR : DT_LNK;
    }
    if (type == DT_REG || type == DT_DIR) result.entries.push_back({std::string{name}, type == DT_DIR});
    errno = 0;
  }
  if (errno != 0) result.error = errno;  // a directory that fails half-way is reported
  ::closedir(directory);
  std::sort(result.entries.begin(), result.entries.end(),
            [](const entry& a, const entry& b) { return a.name < b.name; });
  return result;
}

boost::asio::awaitable<recursive_operands::listing> recursive_operands::read_on_pool(
    std::string path, bool follow) {
  // A named lambda, not one built inside the co_await: g++ 12 miscompiles the latter.
  auto blocking = [where = std::move(path), follow] {
    return std::tuple{read_directory(where, follow)};
  };
  auto result =
      co_await async_run_on_pool(*pool_, std::move(blocking), boost::asio::use_awaitable);
  co_return result;
}

std::optional<operand> recursive_operands::ready() {
  while (!path_.empty()) {
    auto& current = path_.back();
    if (current.next == current.entries.size()) {
      path_.pop_back();
      continue;
    }
    const auto& item = current.entries[current.next];
    if (item.directory) return std::nullopt;  // to be read first: next() does that
    ++current.next;
    return operand{operand::kind::file, join(current.path, item.name)};
  }
  return std::nullopt;  // the next operand may be a directory: next() looks
}

boost::asio::awaitable<std::optional<operand>> recursive_operands::next() {
  for (;;) {
    if (path_.empty()) {
      auto taken = co_await operands_->next();
      if (!taken || taken->what != operand::kind::file) co_return taken;
      auto found = co_await read_on_pool(taken->text, true);
      if (!found.directory) co_return taken;
      if (found.error == 0) {
        path_.push_back({std::move(taken->text), std::move(found.entries), 0});
        continue;
      }
      co_return operand{operand::kind::unreadable, std::move(taken->text), found.error};
    }
    auto& current = path_.back();
    if (current.next == current.entries.size()) {
      path_.pop_back();
      continue;
    }
    const auto& item = current.entries[current.next++];
    if (!item.directory) co_return operand{operand::kind::file, join(current.path, item.name)};
    std::string full = join(current.path, item.name);
    auto found = co_await read_on_pool(full, false);
    if (found.error == 0) {
      path_.push_back({std::move(full), std::move(found.entries), 0});  // `current` dangles now
      continue;
    }
    co_return operand{operand::kind::unreadable, std::move(full), found.error};
  }
}

}  // namespace linecount::app
