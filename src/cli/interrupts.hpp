#pragma once
// SIGINT, SIGTERM and SIGHUP end a run promptly: the records already complete are written
// whole, then linecount dies of the same signal, so a shell sees 130, 143 or 129 as usual.
// A signal the caller set to be ignored (a background job's SIGINT) stays ignored.
//
// The signals are blocked in every thread and taken by one small thread with sigwait(),
// which asks the io_context to finish up. (Asio's signal_set would do it too, but it puts
// the io_context's epoll reactor in the path of every completion.) That thread starts only
// when the run first needs another thread (arm()): a run over a few cached files ends
// before a thread would have started, and until then a signal simply ends the process, as
// it ends wc: no record is ever half-written either way, as records are written whole.

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace linecount::app {

class interrupt_watch {
 public:
  /// Takes nothing over yet: see arm().
  interrupt_watch(boost::asio::any_io_executor ex, std::function<void()> before_dying);
  ~interrupt_watch();
  interrupt_watch(const interrupt_watch&) = delete;
  interrupt_watch& operator=(const interrupt_watch&) = delete;

  /// Blocks the signals in the calling thread and starts the thread that takes them. Call it
  /// on the io_context's thread before any other thread starts (they inherit the blocked
  /// signals). Once only has effect.
  void arm();

 private:
  void watch();

  boost::asio::any_io_executor executor_;
  std::function<void()> before_dying_;
  sigset_t waited_{};
  sigset_t previous_mask_{};
  bool armed_ = false;
  std::atomic<int> received_{0};
  std::thread watcher_;
};

}  // namespace linecount::app
