#pragma once
// async_run_on_pool: the one hop every blocking step of linecount makes. It runs a blocking
// function on a read_pool and completes with the values the function returned (a std::tuple
// of them, spread over the completion's arguments).
//
//   auto blocking = [] { return std::tuple{read_it()}; };  // a named local: see g++ 12 notes
//   auto [value] = co_await linecount::async_run_on_pool(pool, blocking, boost::asio::use_awaitable);
//
// A function object may also offer path_to_open(), opened(int) and run_without_blocking()
// (returning std::optional of its values): the pool may then open its file in a batch with
// others, and run it without a blocking step (see pool_job).
//
// The job is allocated with the handler's allocator if it has one, else from the pool's
// recycled job memory (a steady stream of jobs then allocates nothing). The handler runs on
// its associated executor, dispatched from the pool's home executor (which must be running):
// called right there when that is where it belongs, and otherwise with its own executor kept
// busy until then.

#include "linecount/read_pool.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>

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
    const memory source = memory_for(pool, handler);
    void* block = source.allocate();
    try {
      return *::new (block) function_job(pool, std::move(function), std::move(handler));
    } catch (...) {
      source.release(block);
      throw;
    }
  }

  function_job(read_pool& pool, Function function, Handler handler)
      : pool_(&pool), function_(std::move(function)), handler_(std::move(handler)) {
    // A handler bound to another executor keeps it busy until it has run, as Asio's own
    // operations do; the home executor is kept busy by the pool.
    const auto executor = boost::asio::get_associated_executor(handler_, pool.home());
    if (!pool.is_home(executor)) elsewhere_busy_.emplace(executor);
  }

  void run() noexcept override { values_.emplace(function_()); }

  // A function that opens a file first may let the pool open it in a batch (see pool_job).
  [[nodiscard]] const char* path_to_open() const noexcept override {
    if constexpr (requires { function_.path_to_open(); }) {
      return function_.path_to_open();
    } else {
      return nullptr;
    }
  }
  void opened(int result) noexcept override {
    if constexpr (requires { function_.opened(result); }) function_.opened(result);
  }
  bool run_without_blocking() noexcept override {
    if constexpr (requires { function_.run_without_blocking(); }) {
      std::optional<values> done = function_.run_without_blocking();
      if (!done) return false;
      values_.emplace(std::move(*done));
      return true;
    } else {
      return false;
    }
  }

  void complete() override {
    // Free the job before the handler runs, so that the handler's next job can reuse it.
    const read_pool& pool = *pool_;
    const memory source = memory_for(pool, handler_);  // before the handler is moved away
    Handler handler = std::move(handler_);
    values results = std::move(*values_);
    auto busy = std::move(elsewhere_busy_);
    this->~function_job();
    source.release(this);
    const auto executor = boost::asio::get_associated_executor(handler, pool.home());
    if (!busy) {  // deliver() runs on the home thread: call it there, as dispatch() would
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

  void discard() noexcept override {
    const memory source = memory_for(*pool_, handler_);
    this->~function_job();
    source.release(this);
  }

 private:
  // The handler's own allocator if it has one, else the pool's recycled job memory.
  static constexpr bool pool_memory =
      std::is_same_v<boost::asio::associated_allocator_t<Handler>, std::allocator<void>>;
  using handler_allocator = typename std::allocator_traits<
      boost::asio::associated_allocator_t<Handler>>::template rebind_alloc<function_job>;
  struct memory {
    read_pool* pool;
    handler_allocator allocator;

    [[nodiscard]] void* allocate() const {
      if constexpr (pool_memory) {
        static_assert(alignof(function_job) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                      "the pool's job memory is aligned as operator new aligns");
        return pool->allocate_job(sizeof(function_job));
      } else {
        handler_allocator copy = allocator;
        return std::allocator_traits<handler_allocator>::allocate(copy, 1);
      }
    }
    void release(void* block) const noexcept {
      if constexpr (pool_memory) {
        pool->deallocate_job(block, sizeof(function_job));
      } else {
        handler_allocator copy = allocator;
        std::allocator_traits<handler_allocator>::deallocate(
            copy, static_cast<function_job*>(block), 1);
      }
    }
  };

  static memory memory_for(const read_pool& pool, const Handler& handler) {
    return {const_cast<read_pool*>(&pool),  // NOLINT(cppcoreguidelines-pro-type-const-cast)
            handler_allocator(boost::asio::get_associated_allocator(handler))};
  }

  read_pool* pool_;
  Function function_;
  Handler handler_;
  std::optional<values> values_;
  using handler_executor =
      boost::asio::associated_executor_t<Handler, read_pool::home_executor>;
  std::optional<boost::asio::executor_work_guard<handler_executor>> elsewhere_busy_;
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
