#include "report/progress.hpp"

#include "report/output.hpp"
#include "tuning.hpp"

#include <fmt/format.h>

#include <array>
#include <unistd.h>

namespace linecount::app {
namespace {

// Back to the start of the line, then erase to its end (ANSI; every terminal in use has it).
constexpr std::string_view erase_line = "\r\x1b[K";

// The meter that is drawing, if any: report() finds it here to hide the line first. Atomic,
// as pool threads may report while the io_context thread starts or stops the meter.
std::atomic<progress_meter*> current_meter{nullptr};

// "812 B", "37.5 MiB": binary units, as du -h and GNU's other tools print them.
std::string human_bytes(double bytes) {
  constexpr std::array<std::string_view, 5> units{"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  while (bytes >= 1024.0 && unit + 1 < units.size()) {
    bytes /= 1024.0;
    ++unit;
  }
  if (unit == 0) return fmt::format("{:.0f} {}", bytes, units[unit]);
  return fmt::format("{:.1f} {}", bytes, units[unit]);
}

}  // namespace

progress_meter* active_progress_meter() noexcept { return current_meter.load(); }

progress_meter::progress_meter(int fd, bool wanted) : fd_(fd), wanted_(wanted) {}

// Only on a terminal: in a log file or a pipe a redrawn line would be noise.
void progress_meter::start() {
  if (!wanted_ || drawer_.joinable() || ::isatty(fd_) != 1) return;
  start_ = std::chrono::steady_clock::now();
  drawer_ = std::thread([this] { draw_until_stopped(); });
  current_meter.store(this);
}

progress_meter::~progress_meter() { stop(); }

std::string progress_meter::status_text(std::uint64_t done, std::uint64_t known, bool all_known,
                                        std::uint64_t bytes,
                                        std::chrono::duration<double> elapsed) {
  const double seconds = elapsed.count();
  const double rate = seconds > 0 ? static_cast<double>(bytes) / seconds : 0.0;
  return fmt::format("linecount: {}/{}{} files, {}, {}/s, {:.1f} s", done, known,
                     all_known ? "" : "+", human_bytes(static_cast<double>(bytes)),
                     human_bytes(rate), seconds);
}

// The drawing thread: a redraw every tick until stop(). The counters are read without the
// lock (relaxed: a status line may be a tick behind); the lock only keeps a line from being
// drawn while hide()'s caller writes.
void progress_meter::draw_until_stopped() {
  std::unique_lock lock{lock_};
  while (!wake_.wait_for(lock, tuning::progress_redraw_interval, [this] { return stopping_; })) {
    const std::string line =
        fmt::format("{}{}", erase_line,
                    status_text(done_.load(std::memory_order_relaxed),
                                known_.load(std::memory_order_relaxed),
                                all_known_.load(std::memory_order_relaxed),
                                bytes_.load(std::memory_order_relaxed),
                                std::chrono::steady_clock::now() - start_));
    (void)write_all(fd_, line);  // best effort, as for any diagnostic
    drawn_ = true;
  }
  erase();
}

void progress_meter::erase() {
  if (!drawn_) return;
  (void)write_all(fd_, erase_line);
  drawn_ = false;
}

// Takes the line away and keeps it away as long as the caller holds the lock: whatever the
// caller writes meanwhile starts on a clean line.
std::unique_lock<std::mutex> progress_meter::hide() {
  std::unique_lock lock{lock_};
  erase();
  return lock;
}

void progress_meter::stop() {
  if (!drawer_.joinable()) return;
  {
    const std::lock_guard lock{lock_};
    stopping_ = true;
  }
  wake_.notify_all();
  drawer_.join();
  current_meter.store(nullptr);
}

}  // namespace linecount::app
