#include "support/call_hold.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LINECOUNT_HOLD_LIBRARY
#error "LINECOUNT_HOLD_LIBRARY must name the preloaded library (tests/CMakeLists.txt)"
#endif

namespace linecount::testing {

call_hold::call_hold(const temp_dir& dir, std::string call, std::string path, int nth,
                     moment when)
    : call_(std::move(call)),
      path_(std::move(path)),
      nth_(nth),
      when_(when),
      library_(LINECOUNT_HOLD_LIBRARY) {
  dir_ = dir / ("hold-" + std::to_string(::getpid()) + "-" + std::to_string(nth_));
  std::filesystem::create_directory(dir_);
  for (const char* fifo : {"/held", "/release"})
    if (::mkfifo((dir_ + fifo).c_str(), 0600) != 0) throw std::runtime_error("mkfifo");
  // Open for reading now: linecount's open of it for writing then never waits.
  held_fd_ = ::open((dir_ + "/held").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (held_fd_ < 0) throw std::runtime_error("open held FIFO");
}

void call_hold::open_to_everyone() {
  namespace fs = std::filesystem;
  fs::permissions(dir_, fs::perms::all);
  for (const char* fifo : {"/held", "/release"})
    fs::permissions(dir_ + fifo, fs::perms::owner_read | fs::perms::owner_write |
                                     fs::perms::group_read | fs::perms::group_write |
                                     fs::perms::others_read | fs::perms::others_write);
  const std::string copy = dir_ + "/" + fs::path{library_}.filename().string();
  fs::copy_file(library_, copy);
  fs::permissions(copy, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  library_ = copy;
}

call_hold::~call_hold() {
  if (held_fd_ >= 0) ::close(held_fd_);
}

std::vector<std::string> call_hold::environment() const {
  return {"LD_PRELOAD=" + library_,
          "LINECOUNT_HOLD_CALL=" + call_,
          "LINECOUNT_HOLD_PATH=" + path_,
          "LINECOUNT_HOLD_NTH=" + std::to_string(nth_),
          std::string{"LINECOUNT_HOLD_WHEN="} + (when_ == after ? "after" : "before"),
          "LINECOUNT_HOLD_DIR=" + dir_,
          // g++'s ASan runtime insists on coming first among the preloaded libraries.
          with_inherited_options("ASAN_OPTIONS", "verify_asan_link_order=0")};
}

bool call_hold::wait_until_held(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    pollfd held{held_fd_, POLLIN, 0};
    const int ready = ::poll(&held, 1, static_cast<int>(std::max<long>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    char byte = 0;
    if (ready > 0 && ::read(held_fd_, &byte, 1) == 1) return true;
    if (ready >= 0) {  // the deadline, or a writer gone without a word
      ADD_FAILURE() << "linecount never reached call " << nth_ << " of " << call_ << " on "
                    << path_;
      return false;
    }
  }
}

void call_hold::release() {
  // The held process opened the FIFO for reading before it said it was held.
  const int fd = ::open((dir_ + "/release").c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    ADD_FAILURE() << "nothing is held on " << path_;
    return;
  }
  const char byte = 'r';
  if (::write(fd, &byte, 1) != 1) ADD_FAILURE() << "could not release " << path_;
  ::close(fd);
}

invocation held_run(const call_hold& hold, std::vector<std::string> args) {
  invocation what;
  what.args = std::move(args);
  what.env = hold.environment();
  return what;
}

}  // namespace linecount::testing
