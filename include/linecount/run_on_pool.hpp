#pragma once
// async_run_on_pool: the one hop every blocking step of linecount makes. It runs a blocking
// function on a thread pool and completes, on the caller's executor, with the values the
// function returned (a std::tuple of them, spread over the completion's arguments).
//
//   co_await linecount::async_run_on_pool(pool, ex, [] { return std::tuple{read_it()}; },
//                                         boost::asio::use_awaitable);
//
// The caller's executor is kept busy (a work guard) while the pool works, and the completion
// is posted before that guard is released: otherwise a single-threaded io_context could
// find it has nothing left to do and return from run() with the completion still on its way.

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <tuple>
#include <type_traits>
#include <utility>

namespace linecount {

namespace detail {
template <typename Values>
struct completion_of;
template <typename... Values>
struct completion_of<std::tuple<Values...>> {
  using type = void(Values...);
};
}  // namespace detail

/// Runs `function` (which returns a std::tuple) on `pool`; completes with its values on the
/// handler's associated executor, or on `fallback` if it has none.
template <typename Executor, typename Function, typename CompletionToken>
auto async_run_on_pool(boost::asio::thread_pool::executor_type pool, Executor fallback,
                       Function function, CompletionToken&& token) {
  using values = std::invoke_result_t<Function&>;
  return boost::asio::async_initiate<CompletionToken,
                                     typename detail::completion_of<values>::type>(
      [pool, fallback](auto handler, Function blocking) {
        auto work =
            boost::asio::make_work_guard(boost::asio::get_associated_executor(handler, fallback));
        boost::asio::post(pool, [blocking = std::move(blocking), handler = std::move(handler),
                                 work = std::move(work)]() mutable {
          std::apply(
              [&](auto&&... results) {
                boost::asio::post(work.get_executor(),
                                  boost::asio::append(std::move(handler), std::move(results)...));
              },
              blocking());
          work.reset();
        });
      },
      token, std::move(function));
}

}  // namespace linecount
