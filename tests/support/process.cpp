#include "support/process.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <filesystem>
#include <functional>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace linecount::testing {
namespace {

using clock = std::chrono::steady_clock;

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

// A descriptor that becomes readable when the child ends: waiting on it together with the
// child's pipes needs no polling and no signal handler.
int open_pidfd(pid_t pid) {
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) throw std::runtime_error("pidfd_open");
  return static_cast<int>(fd);
}

int milliseconds_until(clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, 1 << 30));
}

// Collects the end of the child: status and peak memory. The child has exited (its pidfd
// was readable) or has just been sent SIGKILL, so this does not wait long.
void reap(pid_t pid, outcome& result) {
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.peak_rss_kib = usage.ru_maxrss;
}

std::string describe(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    text += arg.size() > 80 ? arg.substr(0, 77) + "..." : arg;
    if (text.size() > 400) return text + " ...";
  }
  return text;
}

// Kills the child and everything it started (it leads its own process group), and fails
// the test with what it said so far.
void kill_at_deadline(pid_t pid, const std::string& command, std::chrono::milliseconds limit,
                      outcome& result) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  reap(pid, result);
  result.timed_out = true;
  ADD_FAILURE() << "killed after " << limit.count() << " ms without finishing: " << command
                << "\n--- standard output so far:\n"
                << result.out.substr(0, 2000) << "\n--- standard error so far:\n"
                << result.err.substr(0, 2000);
}

std::vector<std::string> argv_of(const std::string& program, const invocation& what) {
  std::vector<std::string> argv = what.wrapper;
  argv.push_back(program);
  argv.insert(argv.end(), what.args.begin(), what.args.end());
  return argv;
}

// In the child: a seccomp filter under which io_uring_setup fails with ENOSYS, as it does in
// sandboxes that refuse io_uring (and on kernels without it). Inherited across exec.
void refuse_io_uring() {
#if defined(__x86_64__)
  constexpr std::uint32_t this_arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
  constexpr std::uint32_t this_arch = AUDIT_ARCH_AARCH64;
#endif
  std::array<sock_filter, 7> program{{
      // Another ABI's system call numbers mean other calls: leave them alone.
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, this_arch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  }};
  const sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0)
    child_fail("seccomp");
}

// In the child, after fork: everything the invocation sets up, then exec.
[[noreturn]] void exec_child(std::vector<std::string>& argv_storage, const invocation& what,
                             int stdin_fd, int stdout_fd, int stderr_fd) {
  ::setpgid(0, 0);  // a group of its own, so that a deadline kills wrappers and all
  if (stdin_fd >= 0) {
    ::dup2(stdin_fd, STDIN_FILENO);
  } else if (what.stdin_path) {
    redirect(*what.stdin_path, O_RDONLY, STDIN_FILENO);
  } else {
    redirect("/dev/null", O_RDONLY, STDIN_FILENO);  // never the test's own terminal
  }
  if (what.close_stdin) ::close(STDIN_FILENO);
  if (what.stdout_path) {
    redirect(*what.stdout_path, O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO);
  } else {
    ::dup2(stdout_fd, STDOUT_FILENO);
  }
  if (what.close_stdout) ::close(STDOUT_FILENO);
  ::dup2(what.merge_stderr ? STDOUT_FILENO : stderr_fd, STDERR_FILENO);
  std::signal(SIGPIPE, what.ignore_sigpipe ? SIG_IGN : SIG_DFL);
  if (what.open_file_limit) {
    const rlimit limit{*what.open_file_limit, *what.open_file_limit};
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) child_fail("setrlimit");
  }
  if (what.refuse_io_uring) refuse_io_uring();
  if (!what.cwd.empty() && ::chdir(what.cwd.c_str()) != 0) child_fail("chdir");
  ::setenv("LC_ALL", what.locale.c_str(), 1);
  ::setenv("LC", linecount_binary().c_str(), 1);
  for (const auto& setting : what.env) ::putenv(const_cast<char*>(setting.c_str()));
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  child_fail("exec");
}

outcome run_program(const std::string& program, const invocation& what) {
  std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1};
  if (what.stdin_data && ::pipe2(in.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0)
    throw std::runtime_error("pipe");

  std::vector<std::string> argv_storage = argv_of(program, what);
  const auto deadline = clock::now() + what.deadline;
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) exec_child(argv_storage, what, in[0], out[1], err[1]);

  ::close(out[1]);
  ::close(err[1]);
  if (what.stdin_data) ::close(in[0]);
  int pidfd = open_pidfd(pid);
  outcome result;
  std::size_t stdin_written = 0;
  int stdin_fd = what.stdin_data ? in[1] : -1;
  if (stdin_fd >= 0) {
    ::fcntl(stdin_fd, F_SETFL, O_NONBLOCK);  // a full pipe must not stop the deadline
    if (what.stdin_data->empty()) {
      ::close(stdin_fd);
      stdin_fd = -1;
    }
  }
  int out_fd = out[0];
  int err_fd = err[0];
  bool exited = false;
  std::array<char, 65536> buffer{};
  // Until the child has exited and both of its outputs are closed (by it and by anything it
  // started), or the deadline.
  while (!exited || out_fd >= 0 || err_fd >= 0) {
    const int wait_ms = milliseconds_until(deadline);
    if (wait_ms == 0) {
      kill_at_deadline(pid, describe(argv_storage), what.deadline, result);
      for (int fd : {out_fd, err_fd, stdin_fd, pidfd})
        if (fd >= 0) ::close(fd);
      return result;
    }
    std::array<pollfd, 4> fds{{{out_fd, POLLIN, 0},
                               {err_fd, POLLIN, 0},
                               {stdin_fd, POLLOUT, 0},
                               {exited ? -1 : pidfd, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), wait_ms) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll");
    }
    if (stdin_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t n = ::write(stdin_fd, what.stdin_data->data() + stdin_written,
                                what.stdin_data->size() - stdin_written);
      if (n > 0) stdin_written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
          stdin_written == what.stdin_data->size()) {
        ::close(stdin_fd);
        stdin_fd = -1;
      }
    }
    for (int stream = 0; stream < 2; ++stream) {
      int& fd = stream == 0 ? out_fd : err_fd;
      if (fd < 0 || (fds[static_cast<std::size_t>(stream)].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
        continue;
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
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
    if (!exited && (fds[3].revents & POLLIN) != 0) {
      exited = true;
      reap(pid, result);
      // Its input is of no more use: a child that is gone reads nothing more.
      if (stdin_fd >= 0) ::close(stdin_fd);
      stdin_fd = -1;
    }
  }
  if (stdin_fd >= 0) ::close(stdin_fd);
  ::close(pidfd);
  return result;
}

// Polls `holds` every millisecond until it is true or `limit` has passed.
bool poll_until(const std::function<bool()>& holds, std::chrono::milliseconds limit) {
  const auto deadline = clock::now() + limit;
  while (!holds()) {
    if (clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }
  return true;
}

// Whether a process other than this one has `path` open.
bool open_elsewhere(const std::string& path) {
  namespace fs = std::filesystem;
  const std::string self = std::to_string(::getpid());
  std::error_code ignored;
  for (const auto& process : fs::directory_iterator("/proc", ignored)) {
    const auto name = process.path().filename().string();
    if (name == self || name.find_first_not_of("0123456789") != std::string::npos) continue;
    for (const auto& fd : fs::directory_iterator(process.path() / "fd", ignored))
      if (fs::read_symlink(fd.path(), ignored) == path) return true;
  }
  return false;
}

// Reads what `fd` has (it is non-blocking) into `sink`; false once it has ended.
bool read_available(int fd, std::string& sink) {
  std::array<char, 65536> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      sink.append(buffer.data(), static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
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

std::string preloadable_linecount_binary() { return LINECOUNT_PRELOADABLE_BINARY; }

std::string binary_of(const invocation& what) {
  if (!what.binary.empty()) return what.binary;
  const bool preloads = std::any_of(what.env.begin(), what.env.end(), [](const std::string& setting) {
    return setting.starts_with("LD_PRELOAD=");
  });
  return preloads ? preloadable_linecount_binary() : linecount_binary();
}

std::string with_inherited_options(std::string_view name, std::string_view options) {
  const char* inherited = std::getenv(std::string{name}.c_str());
  std::string setting{name};
  setting += '=';
  if (inherited != nullptr && *inherited != '\0') {
    setting += inherited;
    setting += ':';
  }
  setting += options;
  return setting;
}

outcome run(std::vector<std::string> args) {
  invocation what;
  what.args = std::move(args);
  return run(what);
}

outcome run(const invocation& what) { return run_program(binary_of(what), what); }

invocation as_nobody(const temp_dir& dir, bool preloadable) {
  namespace fs = std::filesystem;
  constexpr auto everyone = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec;
  fs::permissions(dir.path(), everyone);
  const auto binary = dir / "linecount";
  fs::copy_file(preloadable ? preloadable_linecount_binary() : linecount_binary(), binary);
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

session::session(std::vector<std::string> args) : session([&] {
  invocation what;
  what.args = std::move(args);
  return what;
}()) {}

session::session(const invocation& what) {
  std::array<int, 2> in{}, out{}, err{};
  if (::pipe2(in.data(), O_CLOEXEC) != 0 || ::pipe2(out.data(), O_CLOEXEC) != 0 ||
      ::pipe2(err.data(), O_CLOEXEC) != 0)
    throw std::runtime_error("pipe");
  std::vector<std::string> argv_storage =
      argv_of(binary_of(what), what);
  command_ = describe(argv_storage);
  invocation plain = what;  // standard input is the session's pipe
  plain.stdin_path.reset();
  plain.stdout_path.reset();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) exec_child(argv_storage, plain, in[0], out[1], err[1]);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  pidfd_ = open_pidfd(pid_);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  ::fcntl(stdout_fd_, F_SETFL, O_NONBLOCK);
  ::fcntl(stderr_fd_, F_SETFL, O_NONBLOCK);
}

session::~session() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    outcome ignored;
    reap(pid_, ignored);
  }
  for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_, pidfd_})
    if (fd >= 0) ::close(fd);
}

void session::write_stdin(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(stdin_fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("write to child");
    done += static_cast<std::size_t>(n);
  }
}

void session::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

std::optional<std::string> session::read_line(std::chrono::milliseconds timeout) {
  auto line = read_until("\n", timeout);
  if (line) line->pop_back();
  return line;
}

std::optional<std::string> session::read_until(std::string_view marker,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    if (const auto at = pending_out_.find(marker); at != std::string::npos) {
      std::string text = pending_out_.substr(0, at + marker.size());
      pending_out_.erase(0, at + marker.size());
      return text;
    }
    if (stdout_fd_ < 0) return std::nullopt;
    pollfd fd{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, milliseconds_until(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    if (!read_available(stdout_fd_, pending_out_)) {
      ::close(stdout_fd_);
      stdout_fd_ = -1;
    }
  }
}

void session::send_signal(int signal_number) const { ::kill(pid_, signal_number); }

outcome session::wait_for_exit(std::chrono::milliseconds timeout) {
  outcome result;
  if (pid_ < 0) return result;
  close_stdin();
  pollfd exited{pidfd_, POLLIN, 0};
  const auto deadline = clock::now() + timeout;
  int ready = 0;
  while ((ready = ::poll(&exited, 1, milliseconds_until(deadline))) < 0 && errno == EINTR) {
  }
  if (ready > 0) {
    reap(pid_, result);
  } else {
    kill_at_deadline(pid_, command_, timeout, result);
  }
  pid_ = -1;
  return result;
}

outcome session::finish(std::chrono::milliseconds timeout) {
  outcome result;
  if (pid_ < 0) return result;
  close_stdin();
  result.out = std::move(pending_out_);
  pending_out_.clear();
  const auto deadline = clock::now() + timeout;
  bool exited = false;
  while (!exited || stdout_fd_ >= 0 || stderr_fd_ >= 0) {
    const int wait_ms = milliseconds_until(deadline);
    if (wait_ms == 0) {
      kill_at_deadline(pid_, command_, timeout, result);
      pid_ = -1;
      return result;
    }
    std::array<pollfd, 3> fds{{{stdout_fd_, POLLIN, 0},
                               {stderr_fd_, POLLIN, 0},
                               {exited ? -1 : pidfd_, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), wait_ms) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll");
    }
    for (int stream = 0; stream < 2; ++stream) {
      int& fd = stream == 0 ? stdout_fd_ : stderr_fd_;
      if (fd >= 0 && fds[static_cast<std::size_t>(stream)].revents != 0 &&
          !read_available(fd, stream == 0 ? result.out : result.err)) {
        ::close(fd);
        fd = -1;
      }
    }
    if (!exited && (fds[2].revents & POLLIN) != 0) {
      exited = true;
      reap(pid_, result);
    }
  }
  pid_ = -1;
  return result;
}

held_fifo::held_fifo(std::string path) : path_(std::move(path)) {
  if (::mkfifo(path_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + path_);
  // Read and write: the open does not wait for a reader, and linecount's open of it does
  // not wait for a writer.
  fd_ = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("open " + path_);
}

held_fifo::~held_fifo() {
  if (fd_ >= 0) ::close(fd_);
}

void held_fifo::write(std::string_view bytes) {
  const auto deadline = clock::now() + default_deadline;
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) throw std::runtime_error("write " + path_);
    pollfd room{fd_, POLLOUT, 0};
    if (::poll(&room, 1, milliseconds_until(deadline)) == 0) {
      ADD_FAILURE() << "nobody read " << path_ << " within the deadline";
      return;
    }
  }
}

void held_fifo::close() {
  if (fd_ < 0) return;
  // A FIFO that nobody else has open loses what it holds when this last descriptor goes,
  // and a reader that opens it later waits for a writer for ever: close only once another
  // process has it open and has read everything written.
  const bool taken = poll_until(
      [&] {
        int unread = 0;
        return ::ioctl(fd_, FIONREAD, &unread) == 0 && unread == 0 && open_elsewhere(path_);
      },
      default_deadline);
  if (!taken) ADD_FAILURE() << "nobody opened and read " << path_ << " within the deadline";
  ::close(fd_);
  fd_ = -1;
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
