#include "support/proc_status.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace linecount::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The hexadecimal mask after "<field>:" in a /proc status file (0 if it is not there).
std::uint64_t status_mask(const fs::path& status, const std::string& field) {
  std::ifstream in{status};
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(field + ":")) return std::stoull(line.substr(field.size() + 1), nullptr, 16);
  }
  return 0;
}

std::uint64_t bit(int signal_number) { return std::uint64_t{1} << (signal_number - 1); }

// Polls `holds` every millisecond until it is true or `deadline` has passed.
bool poll_until(const std::function<bool()>& holds, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!holds()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

bool signal_ignored(int pid, int signal_number) {
  return (status_mask(fs::path{"/proc"} / std::to_string(pid) / "status", "SigIgn") &
          bit(signal_number)) != 0;
}

bool wait_until_not_pending(int pid, int signal_number, std::chrono::milliseconds deadline) {
  const fs::path process = fs::path{"/proc"} / std::to_string(pid);
  const bool settled = poll_until(
      [&] {
        if ((status_mask(process / "status", "ShdPnd") & bit(signal_number)) != 0) return false;
        std::error_code ignored;
        for (const auto& task : fs::directory_iterator(process / "task", ignored))
          if ((status_mask(task.path() / "status", "SigPnd") & bit(signal_number)) != 0)
            return false;
        return true;
      },
      deadline);
  if (!settled) ADD_FAILURE() << "signal " << signal_number << " still pending for " << pid;
  return settled;
}

bool wait_until_writing(int pid, int fd, std::chrono::milliseconds deadline) {
  // /proc/PID/task/TID/syscall: "<number> <first argument> ..." while blocked in a call.
  std::ostringstream expected;
  expected << SYS_write << " 0x" << std::hex << fd << ' ';
  const fs::path tasks = fs::path{"/proc"} / std::to_string(pid) / "task";
  const bool writing = poll_until(
      [&] {
        std::error_code ignored;
        for (const auto& task : fs::directory_iterator(tasks, ignored)) {
          std::ifstream in{task.path() / "syscall"};
          std::string line;
          if (std::getline(in, line) && line.starts_with(expected.str())) return true;
        }
        return false;
      },
      deadline);
  if (!writing) ADD_FAILURE() << "process " << pid << " never blocked writing to " << fd;
  return writing;
}

bool wait_until_opening_a_fifo(int pid, std::chrono::milliseconds deadline) {
  // The kernel function a FIFO's open sleeps in, as /proc/PID/wchan names it.
  const bool opening = poll_until(
      [&] {
        std::error_code ignored;
        for (const auto& process : fs::directory_iterator("/proc", ignored)) {
          const auto name = process.path().filename().string();
          if (name.find_first_not_of("0123456789") != std::string::npos) continue;
          if (::getpgid(std::stoi(name)) != pid) continue;
          std::ifstream in{process.path() / "wchan"};
          std::string waiting;
          if (std::getline(in, waiting) && waiting == "wait_for_partner") return true;
        }
        return false;
      },
      deadline);
  if (!opening) ADD_FAILURE() << "no process of " << pid << " ever waited to open a FIFO";
  return opening;
}

bool wait_until_threads(int pid, int count, std::chrono::milliseconds deadline) {
  const bool reached = poll_until([&] { return thread_count(pid) >= count; }, deadline);
  if (!reached) ADD_FAILURE() << "process " << pid << " never had " << count << " threads";
  return reached;
}

int thread_count(int pid) {
  std::error_code ignored;
  int threads = 0;
  for (const auto& task :
       fs::directory_iterator(fs::path{"/proc"} / std::to_string(pid) / "task", ignored)) {
    (void)task;
    ++threads;
  }
  return threads;
}

}  // namespace linecount::testing
