#pragma once
// SIGINT, SIGTERM and SIGHUP end a run promptly: the records already complete are written
// whole, then linecount dies of the same signal, so a shell sees 130, 143 or 129 as usual.
// A signal the caller set to be ignored (a background job's SIGINT) stays ignored.
//
// The signals are blocked in every thread and taken by one small thread with sigwait(),
// which asks the io_context to finish up. (Asio's signal_set would do it too, but it puts
// the io_context's epoll reactor in the path of every completion.)

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace linecount::app {

class interrupt_watch {
 public:
  /// Must be created before any other thread, which then inherits the blocked signals.
  interrupt_watch(boost::asio::any_io_executor ex, std::function<void()> before_dying);
  ~interrupt_watch();
  interrupt_watch(const interrupt_watch&) = delete;
  interrupt_watch& operator=(const interrupt_watch&) = delete;

 private:
  void watch();

  boost::asio::any_io_executor executor_;
  std::function<void()> before_dying_;
  sigset_t waited_{};
  sigset_t previous_mask_{};
  std::atomic<int> received_{0};
  std::thread watcher_;
};

}  // namespace linecount::app
