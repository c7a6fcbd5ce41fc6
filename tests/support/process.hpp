#pragma once
// Runs the real linecount binary the way a shell would, and captures what it did.
//
// Every run is bounded: a child that has not finished by its deadline is killed (with its
// whole process group: wrappers such as strace or sh go too) and the test fails with what
// the child had printed so far. A hang is a failure within a minute, never a stuck CI job.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <vector>

namespace linecount::testing {

/// How long one run of linecount may take, unless a test says otherwise. Generous: the
/// slowest run in the suite takes a few seconds under ThreadSanitizer on a loaded machine.
inline constexpr std::chrono::milliseconds default_deadline{60'000};

struct invocation {
  std::vector<std::string> args;             ///< after the program name
  std::optional<std::string> stdin_data;     ///< fed through a pipe
  std::optional<std::string> stdin_path;     ///< standard input redirected from this file
  std::optional<std::string> stdout_path;    ///< standard output redirected to this file
  bool close_stdin = false;                  ///< as `<&-`
  bool close_stdout = false;                 ///< as `>&-`
  bool merge_stderr = false;                 ///< standard error into standard output, as `2>&1`
  bool ignore_sigpipe = false;               ///< SIGPIPE set to SIG_IGN before exec
  std::optional<std::size_t> stdout_keep;    ///< stop reading (close the pipe) after this many bytes
  std::optional<rlim_t> open_file_limit;     ///< as `ulimit -n`
  bool refuse_io_uring = false;              ///< io_uring_setup fails (ENOSYS), as in a sandbox
  std::string locale = "C";                  ///< LC_ALL for the run
  std::string cwd;                           ///< working directory, if not inherited
  std::vector<std::string> env;              ///< extra NAME=VALUE settings
  std::vector<std::string> wrapper;          ///< a command to run linecount under (strace ...)
  std::string binary;                        ///< another copy of linecount to run, if set
  std::chrono::milliseconds deadline = default_deadline;  ///< killed and failed after this
};

struct outcome {
  std::string out;
  std::string err;
  int exit_code = -1;  ///< -1 if killed by a signal
  int signal = 0;      ///< the signal that ended it, or 0
  long peak_rss_kib = 0;  ///< the child's peak resident memory
  bool timed_out = false;  ///< killed at its deadline (the test has already failed)
};

/// A running linecount whose standard input and output the test drives itself. Standard
/// input is a pipe the test writes (`stdin_data`, `stdin_path` and `stdout_path` of the
/// invocation are not used).
class session {
 public:
  explicit session(const invocation& what);
  explicit session(std::vector<std::string> args);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// The child's process id.
  [[nodiscard]] int pid() const noexcept { return pid_; }
  /// Writes to the child's standard input.
  void write_stdin(const std::string& bytes);
  /// Closes the child's standard input (end of the --files0-from list, say).
  void close_stdin();
  /// Reads one line of standard output (without '\n'); nothing if none came in `timeout`,
  /// or if the output ended first.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = default_deadline);
  /// Reads standard output up to and including the first `marker`; nothing if it did not
  /// come in `timeout` (or the output ended first).
  std::optional<std::string> read_until(std::string_view marker,
                                        std::chrono::milliseconds timeout = default_deadline);
  /// Sends `signal_number` to the child.
  void send_signal(int signal_number) const;
  /// Waits for the end; returns the rest of standard output, all of standard error, the status.
  outcome finish(std::chrono::milliseconds timeout = default_deadline);
  /// Waits for the end without reading anything more (its output may be blocked).
  outcome wait_for_exit(std::chrono::milliseconds timeout = default_deadline);

 private:
  int pid_ = -1;
  int pidfd_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string pending_out_;
  std::string command_;  // for failure messages
};

/// A FIFO that the test holds open for writing from the start, so that neither linecount's
/// open of it nor the test's writes wait for the other side: linecount's reads wait for what
/// the test writes and see the end when the test closes it.
class held_fifo {
 public:
  explicit held_fifo(std::string path);
  ~held_fifo();
  held_fifo(const held_fifo&) = delete;
  held_fifo& operator=(const held_fifo&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// Writes all of `bytes` (waiting, within the default deadline, while the pipe is full).
  void write(std::string_view bytes);
  /// The end of the data: linecount's next read returns 0. Waits (within the default
  /// deadline) until another process has the FIFO open and has read everything written, as
  /// what a FIFO holds is lost when nobody has it open.
  void close();

 private:
  std::string path_;
  int fd_ = -1;
};

class temp_dir;

/// An invocation that runs linecount as the user nobody (through setpriv; needs root): a
/// copy of the binary goes into `dir`, and `dir` is opened to everyone, so that nobody can
/// reach it whatever the build folder allows. Set `args` and run it. `preloadable`: the
/// copy is of the preloadable twin, for a test that preloads a library.
[[nodiscard]] invocation as_nobody(const temp_dir& dir, bool preloadable = false);

/// Runs `script` with /bin/sh -c; "$LC" in it is the linecount binary.
[[nodiscard]] outcome run_shell(const std::string& script);

/// The binary under test: $LINECOUNT_BINARY (set by ctest).
[[nodiscard]] std::string linecount_binary();

/// The same program linked dynamically, for a test that preloads a library into it (a
/// static program has no dynamic loader to preload one), built from the same objects; the
/// binary under test itself in a build where that is not static.
[[nodiscard]] std::string preloadable_linecount_binary();

/// What `what` runs: its own binary if it names one, else the binary under test, or its
/// preloadable twin if `what.env` sets LD_PRELOAD.
[[nodiscard]] std::string binary_of(const invocation& what);

[[nodiscard]] outcome run(const invocation& what);

/// Convenience: run with just arguments.
[[nodiscard]] outcome run(std::vector<std::string> args);

/// The lines of `text` (each without its '\n'), sorted, for completion-order output.
[[nodiscard]] std::vector<std::string> sorted_lines(const std::string& text);

/// `setting` (NAME=VALUE of a sanitizer's options, say ASAN_OPTIONS=x=1) added to that
/// variable's value in this process's environment, as one NAME=VALUE for invocation::env.
[[nodiscard]] std::string with_inherited_options(std::string_view name, std::string_view options);

}  // namespace linecount::testing
