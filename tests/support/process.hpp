#pragma once
// Runs the real linecount binary the way a shell would, and captures what it did.

#include <optional>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace linecount::testing {

struct invocation {
  std::vector<std::string> args;             ///< after the program name
  std::optional<std::string> stdin_data;     ///< fed through a pipe
  std::optional<std::string> stdin_path;     ///< standard input redirected from this file
  std::optional<std::string> stdout_path;    ///< standard output redirected to this file
  bool close_stdin = false;                  ///< as `<&-`
  bool close_stdout = false;                 ///< as `>&-`
  bool ignore_sigpipe = false;               ///< SIGPIPE set to SIG_IGN before exec
  std::optional<std::size_t> stdout_keep;    ///< stop reading (close the pipe) after this many bytes
  std::optional<rlim_t> open_file_limit;     ///< as `ulimit -n`
  std::string locale = "C";                  ///< LC_ALL for the run
  std::string cwd;                           ///< working directory, if not inherited
  std::vector<std::string> env;              ///< extra NAME=VALUE settings
  std::vector<std::string> wrapper;          ///< a command to run linecount under (strace ...)
  std::string binary;                        ///< another copy of linecount to run, if set
};

struct outcome {
  std::string out;
  std::string err;
  int exit_code = -1;  ///< -1 if killed by a signal
  int signal = 0;      ///< the signal that ended it, or 0
  long peak_rss_kib = 0;  ///< the child's peak resident memory
};

/// A running linecount whose standard input and output the test drives itself.
class session {
 public:
  explicit session(std::vector<std::string> args, std::string locale = "C",
                   std::vector<std::string> wrapper = {});
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Writes to the child's standard input.
  void write_stdin(const std::string& bytes);
  /// Closes the child's standard input (end of the --files0-from list, say).
  void close_stdin();
  /// Reads one line of standard output (without '\n'); nothing if none came in `timeout_ms`.
  std::optional<std::string> read_line(int timeout_ms);
  /// Sends `signal_number` to the child.
  void send_signal(int signal_number) const;
  /// Waits for the end; returns the rest of standard output, all of standard error, the status.
  outcome finish();
  /// Waits for the end without reading anything more (its output may be blocked).
  outcome wait_for_exit();

 private:
  int pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string pending_out_;
};

class temp_dir;

/// An invocation that runs linecount as the user nobody (through setpriv; needs root): a
/// copy of the binary goes into `dir`, and `dir` is opened to everyone, so that nobody can
/// reach it whatever the build folder allows. Set `args` and run it.
[[nodiscard]] invocation as_nobody(const temp_dir& dir);

/// Runs `script` with /bin/sh -c; "$LC" in it is the linecount binary.
[[nodiscard]] outcome run_shell(const std::string& script);

/// The binary under test: $LINECOUNT_BINARY (set by ctest).
[[nodiscard]] std::string linecount_binary();

[[nodiscard]] outcome run(const invocation& what);

/// Convenience: run with just arguments.
[[nodiscard]] outcome run(std::vector<std::string> args);

/// The lines of `text` (each without its '\n'), sorted, for completion-order output.
[[nodiscard]] std::vector<std::string> sorted_lines(const std::string& text);

}  // namespace linecount::testing
