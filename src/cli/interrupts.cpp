#include "cli/interrupts.hpp"

#include <boost/asio/post.hpp>

#include <cstdlib>
#include <pthread.h>

namespace linecount::app {
namespace {

// Sent by the destructor to end the watcher thread; never seen outside the process.
int stop_signal() { return SIGRTMIN + 1; }

[[noreturn]] void die_of(int signal_number) {
  (void)std::signal(signal_number, SIG_DFL);  // NOLINT(concurrency-mt-unsafe): dying anyway
  sigset_t just_this{};
  sigemptyset(&just_this);
  sigaddset(&just_this, signal_number);
  (void)pthread_sigmask(SIG_UNBLOCK, &just_this, nullptr);
  (void)::raise(signal_number);
  // Only if the signal could not be delivered after all; raise() is not really noreturn.
  // cppcheck-suppress unreachableCode
  std::_Exit(128 + signal_number);
}

}  // namespace

interrupt_watch::interrupt_watch(boost::asio::any_io_executor ex,
                                 std::function<void()> before_dying)
    : executor_(std::move(ex)), before_dying_(std::move(before_dying)) {
  sigemptyset(&waited_);
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN)
      continue;
    sigaddset(&waited_, signal_number);
  }
  sigaddset(&waited_, stop_signal());
}

void interrupt_watch::arm() {
  if (armed_) return;
  armed_ = true;
  (void)pthread_sigmask(SIG_BLOCK, &waited_, &previous_mask_);
  watcher_ = std::thread([this] { watch(); });
}

interrupt_watch::~interrupt_watch() {
  if (!armed_) return;
  (void)pthread_kill(watcher_.native_handle(), stop_signal());
  watcher_.join();
  // A signal taken after the io_context stopped running handlers: honour it now.
  if (const int late = received_.load(); late != 0) {
    before_dying_();
    die_of(late);
  }
  (void)pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void interrupt_watch::watch() {
  int signal_number = 0;
  while (sigwait(&waited_, &signal_number) == 0) {
    if (signal_number == stop_signal()) return;
    received_.store(signal_number);
    boost::asio::post(executor_, [this, signal_number] {
      before_dying_();
      die_of(signal_number);
    });
    // The loop normally ends the process at once. If it cannot (blocked writing to a reader
    // that has stopped reading), do not wait for it: die here, a second later.
    sigset_t stop_only{};
    sigemptyset(&stop_only);
    sigaddset(&stop_only, stop_signal());
    const timespec grace{1, 0};
    if (sigtimedwait(&stop_only, nullptr, &grace) == stop_signal()) return;
    die_of(signal_number);
  }
}

}  // namespace linecount::app
