#include "support/process.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace linecount::testing {
namespace {

[[noreturn]] void child_fail(const char* what) {
  const std::string message = std::string("test harness: ") + what + " failed\n";
  (void)!::write(STDERR_FILENO, message.data(), message.size());
  ::_exit(127);
}

void redirect(const std::string& path, int flags, int target) {
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) child_fail("open");
  if (::dup2(fd, target) < 0) child_fail("dup2");
  ::close(fd);
}

void drain(int fd, std::string& sink) {
  std::array<char, 65536> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sink.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
}

void reap(pid_t pid, outcome& result) {
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.peak_rss_kib = usage.ru_maxrss;
}

outcome run_program(const std::string& program, const invocation& what) {
  std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1};
  if (what.stdin_data && ::pipe2(in.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0)
    throw std::runtime_error("pipe");

  std::vector<std::string> argv_storage = what.wrapper;
  argv_storage.push_back(program);
  argv_storage.insert(argv_storage.end(), what.args.begin(), what.args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    if (what.stdin_data) ::dup2(in[0], STDIN_FILENO);
    if (what.stdin_path) redirect(*what.stdin_path, O_RDONLY, STDIN_FILENO);
    if (what.close_stdin) ::close(STDIN_FILENO);
    if (what.stdout_path) {
      redirect(*what.stdout_path, O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO);
    } else {
      ::dup2(out[1], STDOUT_FILENO);
    }
    if (what.close_stdout) ::close(STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    std::signal(SIGPIPE, what.ignore_sigpipe ? SIG_IGN : SIG_DFL);
    if (what.open_file_limit) {
      const rlimit limit{*what.open_file_limit, *what.open_file_limit};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) child_fail("setrlimit");
    }
    if (!what.cwd.empty() && ::chdir(what.cwd.c_str()) != 0) child_fail("chdir");
    ::setenv("LC_ALL", what.locale.c_str(), 1);
    ::setenv("LC", linecount_binary().c_str(), 1);
    for (const auto& setting : what.env) ::putenv(const_cast<char*>(setting.c_str()));
    ::execvp(argv[0], argv.data());
    child_fail("exec");
  }

  ::close(out[1]);
  ::close(err[1]);
  if (what.stdin_data) ::close(in[0]);
  outcome result;
  std::size_t stdin_written = 0;
  int stdin_fd = what.stdin_data ? in[1] : -1;
  if (stdin_fd >= 0 && what.stdin_data->empty()) {
    ::close(stdin_fd);
    stdin_fd = -1;
  }
  int out_fd = out[0];
  int err_fd = err[0];
  std::array<char, 65536> buffer{};
  while (out_fd >= 0 || err_fd >= 0) {
    std::array<pollfd, 3> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {stdin_fd, POLLOUT, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll");
    }
    if (stdin_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t n = ::write(stdin_fd, what.stdin_data->data() + stdin_written,
                                what.stdin_data->size() - stdin_written);
      if (n > 0) stdin_written += static_cast<std::size_t>(n);
      if (n < 0 || stdin_written == what.stdin_data->size()) {
        ::close(stdin_fd);
        stdin_fd = -1;
      }
    }
    for (int stream = 0; stream < 2; ++stream) {
      int& fd = stream == 0 ? out_fd : err_fd;
      if (fd < 0 || (fds[static_cast<std::size_t>(stream)].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
        continue;
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n <= 0) {
        ::close(fd);
        fd = -1;
        continue;
      }
      std::string& sink = stream == 0 ? result.out : result.err;
      sink.append(buffer.data(), static_cast<std::size_t>(n));
      if (stream == 0 && what.stdout_keep && result.out.size() >= *what.stdout_keep) {
        result.out.resize(*what.stdout_keep);
        ::close(fd);  // like `| head -c N`: the reader goes away
        fd = -1;
      }
    }
  }
  if (stdin_fd >= 0) ::close(stdin_fd);
  reap(pid, result);
  return result;
}

}  // namespace

// The harness writes to children that may stop reading: a broken pipe must be an error
// for the test to report, not a signal that kills the test binary.
const bool sigpipe_ignored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

std::string linecount_binary() {
  const char* path = std::getenv("LINECOUNT_BINARY");
  return path != nullptr ? path : "linecount";
}

outcome run(std::vector<std::string> args) {
  invocation what;
  what.args = std::move(args);
  return run(what);
}

outcome run(const invocation& what) {
  return run_program(what.binary.empty() ? linecount_binary() : what.binary, what);
}

invocation as_nobody(const temp_dir& dir) {
  namespace fs = std::filesystem;
  constexpr auto everyone = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec;
  fs::permissions(dir.path(), everyone);
  const auto binary = dir / "linecount";
  fs::copy_file(linecount_binary(), binary);
  fs::permissions(binary, everyone);
  invocation what;
  what.binary = binary;
  what.wrapper = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  return what;
}

outcome run_shell(const std::string& script) {
  invocation what;
  what.args = {"-c", script};
  return run_program("/bin/sh", what);
}

session::session(std::vector<std::string> args, std::string locale,
                 std::vector<std::string> wrapper) {
  std::array<int, 2> in{}, out{}, err{};
  if (::pipe2(in.data(), O_CLOEXEC) != 0 || ::pipe2(out.data(), O_CLOEXEC) != 0 ||
      ::pipe2(err.data(), O_CLOEXEC) != 0)
    throw std::runtime_error("pipe");
  args.insert(args.begin(), linecount_binary());
  args.insert(args.begin(), wrapper.begin(), wrapper.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    std::signal(SIGPIPE, SIG_DFL);
    ::setenv("LC_ALL", locale.c_str(), 1);
    ::execvp(argv[0], argv.data());
    child_fail("exec");
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
}

session::~session() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    (void)finish();
  }
}

void session::write_stdin(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(stdin_fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) throw std::runtime_error("write to child");
    done += static_cast<std::size_t>(n);
  }
}

void session::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

std::optional<std::string> session::read_line(int timeout_ms) {
  for (;;) {
    if (const auto end = pending_out_.find('\n'); end != std::string::npos) {
      std::string line = pending_out_.substr(0, end);
      pending_out_.erase(0, end + 1);
      return line;
    }
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (::poll(&fd, 1, timeout_ms) <= 0) return std::nullopt;
    std::array<char, 4096> buffer{};
    const ssize_t n = ::read(stdout_fd_, buffer.data(), buffer.size());
    if (n <= 0) return std::nullopt;
    pending_out_.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

void session::send_signal(int signal_number) const { ::kill(pid_, signal_number); }

outcome session::wait_for_exit() {
  outcome result;
  reap(pid_, result);
  pid_ = -1;
  close_stdin();
  for (int* fd : {&stdout_fd_, &stderr_fd_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
  return result;
}

outcome session::finish() {
  if (pid_ < 0) return {};
  close_stdin();
  outcome result;
  result.out = std::move(pending_out_);
  drain(stdout_fd_, result.out);
  drain(stderr_fd_, result.err);
  stdout_fd_ = stderr_fd_ = -1;
  reap(pid_, result);
  pid_ = -1;
  return result;
}

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace linecount::testing
