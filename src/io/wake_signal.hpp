#pragma once
// wake_signal: coroutines wait until another part of the same io_context says "look again".
// Stored completion handlers, not a timer, so the io_context never needs its reactor (epoll)
// for it: waking a waiter costs one post, not a timerfd and an epoll_ctl.
// Single-threaded use only (everything on the io_context's one thread).

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>
#include <deque>
#include <utility>

namespace linecount::app {

class wake_signal {
 public:
  explicit wake_signal(boost::asio::any_io_executor ex) : executor_(std::move(ex)) {}

  /// Completes once a notify() reaches this waiter; callers re-check their condition then.
  /// An asynchronous operation shaped like async_chunks::next(): deferred by default, so
  /// `co_await signal.wait()` costs no coroutine frame of its own; any completion token
  /// works.
  template <typename CompletionToken = boost::asio::deferred_t>
  auto wait(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void()>(
        [this](auto handler) { waiters_.emplace_back(std::move(handler)); }, token);
  }

  /// Resumes up to `count` waiters (through a post, never inline), the longest waiting
  /// first: a file waiting for one of -z's decoding slots is not overtaken by those that
  /// came after it. A deque, taken from the front: Asio 1.81's any_completion_handler must
  /// not be move-assigned (its operator= copies from an lvalue, wrapping the handler in
  /// itself once more), which erasing from a vector's front would do.
  void notify(std::size_t count = 1) {
    for (; count > 0 && !waiters_.empty(); --count) {
      resume(std::move(waiters_.front()));
      waiters_.pop_front();
    }
  }

  /// Resumes every waiter.
  void notify_all() { notify(waiters_.size()); }

  /// Where waiters are resumed.
  [[nodiscard]] const boost::asio::any_io_executor& executor() const noexcept {
    return executor_;
  }

 private:
  using waiter = boost::asio::any_completion_handler<void()>;

  void resume(waiter&& handler) {
    // Wrapped: posted bare, the handler's own allocator would make the executor carry it,
    // too big for any_io_executor's inline storage (a heap allocation per wake-up).
    boost::asio::post(executor_, [handler = std::move(handler)]() mutable { std::move(handler)(); });
  }

  boost::asio::any_io_executor executor_;
  std::deque<waiter> waiters_;
};

}  // namespace linecount::app
