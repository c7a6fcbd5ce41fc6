#include "report/output.hpp"

#include "report/progress.hpp"
#include "io/retry_on_eintr.hpp"
#include "tuning.hpp"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unistd.h>

namespace linecount::app {
std::string error_text(int errno_value) {
  std::array<char, 256> buffer{};
  return ::strerror_r(errno_value, buffer.data(), buffer.size());  // the GNU variant
}

int write_all(int fd, std::string_view bytes) noexcept {
  while (!bytes.empty()) {
    const ssize_t written =
        retry_on_eintr([&] { return ::write(fd, bytes.data(), bytes.size()); });
    if (written < 0) return errno;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

void report(std::string_view message) {
  const std::string line = fmt::format("linecount: {}\n", message);
  std::unique_lock<std::mutex> status_line_hidden;
  if (auto* meter = active_progress_meter()) status_line_hidden = meter->hide();
  // Diagnostics are best effort: if standard error is gone there is nowhere left to complain.
  (void)write_all(STDERR_FILENO, line);
}

void die_on_write_error(int errno_value) {
  report(fmt::format("write error: {}", error_text(errno_value)));
  // Straight out: other threads may be blocked in reads that will never finish.
  std::_Exit(EXIT_FAILURE);
}

record_writer::record_writer(boost::asio::any_io_executor ex, int fd)
    : executor_(std::move(ex)), fd_(fd), terminal_(::isatty(fd) == 1) {}

// Records gather in one buffer; a full one is written at once, any other once the
// io_context has run the work that was ready (records of one round go out together).
void record_writer::append(std::string_view record) {
  buffer_ += record;
  if (buffer_.size() >= tuning::output_flush_threshold) {
    flush();
  } else {
    schedule_flush();
  }
}

void record_writer::schedule_flush() {
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(executor_, [this] {
    flush_posted_ = false;
    flush();
  });
}

// A failed write of a record ends the run at once with status 1 (die_on_write_error): a record
// lost to a full disk must not pass unnoticed behind an exit status of 0.
void record_writer::flush() {
  if (buffer_.empty()) return;
  int error = 0;
  {
    std::unique_lock<std::mutex> status_line_hidden;
    if (auto* meter = active_progress_meter(); meter != nullptr && terminal_)
      status_line_hidden = meter->hide();
    error = write_all(fd_, buffer_);
  }
  if (error != 0) die_on_write_error(error);
  buffer_.clear();
}

}  // namespace linecount::app
