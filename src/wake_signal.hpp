#pragma once
// wake_signal: one coroutine waits until another part of the same io_context says "look
// again". A stored completion handler, not a timer, so the io_context never needs its
// reactor (epoll) for it: waking a waiter costs one post, not a timerfd and an epoll_ctl.
// Single-threaded use only (everything on the io_context's one thread).

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>
#include <utility>

namespace linecount::app {

class wake_signal {
 public:
  explicit wake_signal(boost::asio::any_io_executor ex) : executor_(std::move(ex)) {}

  /// Suspends until the next notify(). Callers re-check their condition afterwards.
  boost::asio::awaitable<void> wait() {
    co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
        [this](auto handler) { waiter_.emplace(std::move(handler)); },
        boost::asio::use_awaitable);
  }

  /// Resumes the waiter, if there is one (through a post, never inline).
  void notify() {
    if (!waiter_) return;
    // Wrapped: posted bare, the handler's own allocator would make the executor carry it,
    // too big for any_io_executor's inline storage (a heap allocation per wake-up).
    boost::asio::post(executor_, [handler = std::move(*waiter_)]() mutable { std::move(handler)(); });
    waiter_.reset();
  }

 private:
  boost::asio::any_io_executor executor_;
  std::optional<boost::asio::any_completion_handler<void()>> waiter_;
};

}  // namespace linecount::app
