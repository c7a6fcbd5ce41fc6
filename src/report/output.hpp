#pragma once
// Where linecount's records and messages go.
//
// record_writer collects count lines and writes them in batches: a batch is flushed when the
// io_context has run the work that was ready (a posted flush), or when it grows large, so
// counts reach a terminal or pipe promptly without one write per file. Every write holds
// whole records only. A failed write is fatal, as in GNU tools: "write error: <reason>" and
// exit status 1 at once (with SIGPIPE at its default the kernel ends the process first).

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace linecount::app {

class record_writer {
 public:
  record_writer(boost::asio::any_io_executor ex, int fd);

  /// Adds one whole record (terminator included) to the batch.
  void append(std::string_view record);

  /// Writes everything buffered now.
  void flush();

  /// Whether the records go to a terminal.
  [[nodiscard]] bool terminal() const noexcept { return terminal_; }

 private:
  void schedule_flush();

  boost::asio::any_io_executor executor_;
  int fd_;
  bool terminal_;  // shares the screen with a --progress line, perhaps
  std::string buffer_;
  bool flush_posted_ = false;
};

/// strerror() without its shared buffer: safe while the read threads run.
[[nodiscard]] std::string error_text(int errno_value);

/// Writes "linecount: MESSAGE\n" to standard error in one write.
void report(std::string_view message);

/// Reports a write error on standard output and ends the process with status 1.
[[noreturn]] void die_on_write_error(int errno_value);

/// Writes all of `bytes` to `fd`, retrying after interrupts. Returns 0 or the errno value.
int write_all(int fd, std::string_view bytes) noexcept;

}  // namespace linecount::app
