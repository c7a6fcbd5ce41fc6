#pragma once
// async_run_on_pool: the one hop every blocking step of linecount makes. It runs a blocking
// function on a read_pool and completes with the values the function returned (a std::tuple
// of them, spread over the completion's arguments).
//
//   co_await linecount::async_run_on_pool(pool, [] { return std::tuple{read_it()}; },
//                                         boost::asio::use_awaitable);
//
// The job is allocated with the handler's allocator if it has one, else from the pool's
// recycled job memory (a steady stream of jobs then allocates nothing). The handler runs on
// its associated executor, dispatched from the pool's home executor: called right there when
// that is where it belongs.

#include "linecount/read_pool.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>

#include <memory>
#include <new>
#include <optional>
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

template <typename Function, typename Handler>
class function_job final : public pool_job {
 public:
  using values = std::invoke_result_t<Function&>;

  static function_job& create(read_pool& pool, Function function, Handler handler) {
    void* memory = allocate(pool, handler);
    try {
      return *::new (memory) function_job(pool, std::move(function), std::move(handler));
    } catch (...) {
      deallocate(pool, handler, memory);
      throw;
    }
  }

  function_job(read_pool& pool, Function function, Handler handler)
      : pool_(&pool), function_(std::move(function)), handler_(std::move(handler)) {}

  void run() noexcept override { values_.emplace(function_()); }

  void complete() override {
    // Free the job before the handler runs, so that the handler's next job can reuse it.
    const read_pool& pool = *pool_;
    Handler handler = std::move(handler_);
    values results = std::move(*values_);
    destroy();
    const auto executor = boost::asio::get_associated_executor(handler, pool.home());
    if (pool.is_home(executor)) {  // deliver() runs there: call it, as dispatch() would
      std::apply(std::move(handler), std::move(results));
      return;
    }
    std::apply(
        [&](auto&&... result) {
          boost::asio::dispatch(executor, boost::asio::append(std::move(handler),
                                                              std::move(result)...));
        },
        std::move(results));
  }

  void discard() noexcept override { destroy(); }

 private:
  // The handler's own allocator if it has one, else the pool's recycled job memory.
  static constexpr bool pool_memory =
      std::is_same_v<boost::asio::associated_allocator_t<Handler>, std::allocator<void>>;
  using handler_allocator = typename std::allocator_traits<
      boost::asio::associated_allocator_t<Handler>>::template rebind_alloc<function_job>;

  static void* allocate(read_pool& pool, const Handler& handler) {
    if constexpr (pool_memory) {
      return pool.allocate_job(sizeof(function_job));
    } else {
      handler_allocator allocator{boost::asio::get_associated_allocator(handler)};
      return std::allocator_traits<handler_allocator>::allocate(allocator, 1);
    }
  }

  static void deallocate(read_pool& pool, const Handler& handler, void* memory) noexcept {
    if constexpr (pool_memory) {
      pool.deallocate_job(memory, sizeof(function_job));
    } else {
      handler_allocator allocator{boost::asio::get_associated_allocator(handler)};
      std::allocator_traits<handler_allocator>::deallocate(
          allocator, static_cast<function_job*>(memory), 1);
    }
  }

  void destroy() noexcept {
    // The allocator is taken before the handler goes: a moved-from handler may have none.
    if constexpr (pool_memory) {
      read_pool& pool = *pool_;
      this->~function_job();
      pool.deallocate_job(this, sizeof(function_job));
    } else {
      handler_allocator allocator{boost::asio::get_associated_allocator(handler_)};
      this->~function_job();
      std::allocator_traits<handler_allocator>::deallocate(allocator, this, 1);
    }
  }

  read_pool* pool_;
  Function function_;
  Handler handler_;
  std::optional<values> values_;
};

}  // namespace detail

/// Where async_run_on_pool runs the function.
enum class run_on {
  pool_thread,  ///< a pool thread: the function may block
  home_thread,  ///< the home thread, with the pool's next round: it returns at once
};

/// Runs `function` (which returns a std::tuple, and must not throw) on `pool`; completes with
/// its values on the handler's associated executor, or on the pool's home executor if it
/// has none.
template <typename Function, typename CompletionToken>
auto async_run_on_pool(read_pool& pool, Function function, CompletionToken&& token,
                       run_on where = run_on::pool_thread) {
  using values = std::invoke_result_t<Function&>;
  return boost::asio::async_initiate<CompletionToken,
                                     typename detail::completion_of<values>::type>(
      [&pool, where](auto handler, Function blocking) {
        using job = detail::function_job<Function, decltype(handler)>;
        auto& created = job::create(pool, std::move(blocking), std::move(handler));
        if (where == run_on::home_thread) {
          pool.submit_quick(created);
        } else {
          pool.submit(created);
        }
      },
      token, std::move(function));
}

}  // namespace linecount
