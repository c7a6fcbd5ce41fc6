#include "linecount/read_pool.hpp"
#include "linecount/run_on_pool.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

namespace {

using linecount::read_pool;
using namespace std::chrono_literals;

// Runs `jobs` jobs on the pool (submitted from the home thread), each holding its thread for
// a moment, and returns how many distinct threads ran them.
std::size_t threads_taking_jobs(boost::asio::io_context& io, read_pool& pool, int jobs) {
  std::mutex lock;
  std::set<std::thread::id> seen;
  boost::asio::post(io, [&] {
    for (int i = 0; i < jobs; ++i) {
      linecount::async_run_on_pool(
          pool,
          [&] {
            std::this_thread::sleep_for(200us);  // well under the 50 ms stall watch
            const std::lock_guard guard{lock};
            seen.insert(std::this_thread::get_id());
            return std::tuple{};
          },
          [] {});
    }
  });
  io.run();
  io.restart();
  return seen.size();
}

void cold_reads(read_pool& pool, int n) {
  for (int i = 0; i < n; ++i) pool.listener()->cold_read();
}

void warm_reads(read_pool& pool, int n) {
  for (int i = 0; i < n; ++i) pool.listener()->warm_read();
}

TEST(ReadPool, EveryJobCompletesOnceOnTheHomeThread) {
  boost::asio::io_context io;
  read_pool pool{io, 2};
  constexpr int jobs = 5000;
  std::vector<int> completed(jobs, 0);
  std::atomic<int> ran{0};
  bool on_home_thread = true;
  const auto home = std::this_thread::get_id();
  boost::asio::post(io, [&] {
    for (int i = 0; i < jobs; ++i) {
      linecount::async_run_on_pool(
          pool,
          [&ran, i] {
            ++ran;
            return std::tuple{i * 2};
          },
          [&, i](int doubled) {
            on_home_thread = on_home_thread && std::this_thread::get_id() == home;
            EXPECT_EQ(doubled, i * 2);
            ++completed[static_cast<std::size_t>(i)];
          });
    }
  });
  io.run();  // returns only once every job is delivered: the pool keeps it busy until then
  EXPECT_EQ(ran.load(), jobs);
  EXPECT_TRUE(on_home_thread);
  for (int i = 0; i < jobs; ++i) ASSERT_EQ(completed[static_cast<std::size_t>(i)], 1) << i;
}

TEST(ReadPool, JobsSubmittedFromOtherThreadsAreDeliveredHome) {
  boost::asio::io_context io;
  read_pool pool{io, 3};
  constexpr int per_thread = 500;
  std::atomic<int> delivered{0};
  std::vector<std::thread> submitters;
  std::promise<void> go;
  const std::shared_future<void> started = go.get_future().share();
  auto work = boost::asio::make_work_guard(io);  // until every job is submitted
  for (int t = 0; t < 4; ++t) {
    submitters.emplace_back([&, started] {
      started.wait();
      for (int i = 0; i < per_thread; ++i)
        linecount::async_run_on_pool(pool, [] { return std::tuple{}; }, [&] { ++delivered; });
    });
  }
  go.set_value();
  std::thread runner{[&] { io.run(); }};
  for (auto& thread : submitters) thread.join();
  work.reset();
  runner.join();
  EXPECT_EQ(delivered.load(), 4 * per_thread);
}

TEST(ReadPool, AFinishedJobIsDeliveredWhileEveryThreadIsBlocked) {
  boost::asio::io_context io;
  read_pool pool{io, 2, 2};  // fixed: only the watch can send the result home
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  std::promise<void> quick_delivered;
  boost::asio::post(io, [&] {
    // The quick job finishes first; its thread then blocks in the next job, and the other
    // thread in the one after: a batch of one is left while five jobs still wait.
    linecount::async_run_on_pool(pool, [] { return std::tuple{}; },
                                 [&] { quick_delivered.set_value(); });
    for (int i = 0; i < 2; ++i)
      linecount::async_run_on_pool(
          pool, [released] {
            released.wait();
            return std::tuple{};
          },
          [] {});
    for (int i = 0; i < 5; ++i)
      linecount::async_run_on_pool(pool, [] { return std::tuple{}; }, [] {});
  });
  std::thread runner{[&] { io.run(); }};
  EXPECT_EQ(quick_delivered.get_future().wait_for(10s), std::future_status::ready);
  release.set_value();
  runner.join();
}

TEST(ReadPool, AHandlerBoundElsewhereKeepsItsExecutorBusyUntilItRuns) {
  boost::asio::io_context io;
  boost::asio::io_context elsewhere;
  read_pool pool{io, 1};
  auto home_work = boost::asio::make_work_guard(io);
  std::thread home{[&] { io.run(); }};
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  bool ran = false;
  linecount::async_run_on_pool(
      pool, [released] {
        released.wait();
        return std::tuple{};
      },
      boost::asio::bind_executor(elsewhere, [&] { ran = true; }));
  std::thread later{[&] {
    std::this_thread::sleep_for(50ms);
    release.set_value();
  }};
  elsewhere.run();  // returns only once the handler has run there
  EXPECT_TRUE(ran);
  later.join();
  home_work.reset();
  home.join();
}

TEST(ReadPool, AHandlerThatThrowsLeavesTheRestOfItsBatchForLater) {
  boost::asio::io_context io;
  read_pool pool{io, 1};
  std::vector<int> delivered;
  boost::asio::post(io, [&] {
    for (int i = 0; i < 3; ++i) {
      linecount::async_run_on_pool(pool, [] { return std::tuple{}; }, [&delivered, i] {
        delivered.push_back(i);
        if (i == 0) throw std::runtime_error("handler failed");
      });
    }
  });
  EXPECT_THROW(io.run(), std::runtime_error);
  io.restart();
  io.run();
  EXPECT_EQ(delivered, (std::vector<int>{0, 1, 2}));
}

TEST(ReadPool, JobsNeverDeliveredAreReleasedWhenThePoolGoes) {
  auto token = std::make_shared<int>(0);
  boost::asio::io_context io;  // never run: nothing is delivered
  {
    read_pool pool{io, 2};
    std::atomic<int> ran{0};
    for (int i = 0; i < 10; ++i)
      linecount::async_run_on_pool(
          pool,
          [&ran] {
            ++ran;
            return std::tuple{};
          },
          [token] {});
    while (ran.load() < 10) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(token.use_count(), 11);
  }
  EXPECT_EQ(token.use_count(), 1) << "every handler destroyed, none invoked";
}

TEST(ReadPool, AFixedPoolHasNoListener) {
  boost::asio::io_context io;
  read_pool pool{io, 3, 3};
  EXPECT_EQ(pool.listener(), nullptr);
  EXPECT_EQ(pool.initial_threads(), 3U);
  EXPECT_EQ(pool.target_threads(), 3U);
}

TEST(ReadPool, EveryFourColdReadsAddAThreadUpToTheCeiling) {
  boost::asio::io_context io;
  read_pool pool{io, 2, 5};
  ASSERT_NE(pool.listener(), nullptr);
  cold_reads(pool, 3);
  EXPECT_EQ(pool.target_threads(), 2U);
  cold_reads(pool, 1);
  EXPECT_EQ(pool.target_threads(), 3U);
  cold_reads(pool, 400);
  EXPECT_EQ(pool.target_threads(), 5U);
  EXPECT_EQ(threads_taking_jobs(io, pool, 400), 5U);
}

TEST(ReadPool, ALongRunOfCachedReadsParksTheAddedThreads) {
  boost::asio::io_context io;
  read_pool pool{io, 2, 6};
  cold_reads(pool, 16);
  ASSERT_EQ(pool.target_threads(), 6U);
  warm_reads(pool, 1023);
  EXPECT_EQ(pool.target_threads(), 6U);
  warm_reads(pool, 1);
  EXPECT_EQ(pool.target_threads(), 5U);
  warm_reads(pool, 100 * 1024);
  EXPECT_EQ(pool.target_threads(), 2U) << "never below the initial threads";
  // Parked threads take no jobs; the work still all gets done.
  EXPECT_EQ(threads_taking_jobs(io, pool, 200), 2U);
}

TEST(ReadPool, ParkedThreadsComeBackWhenReadsTurnColdAgain) {
  boost::asio::io_context io;
  read_pool pool{io, 2, 4};
  cold_reads(pool, 8);
  warm_reads(pool, 2 * 1024);
  EXPECT_EQ(threads_taking_jobs(io, pool, 100), 2U);
  cold_reads(pool, 8);
  EXPECT_EQ(pool.target_threads(), 4U);
  EXPECT_EQ(threads_taking_jobs(io, pool, 400), 4U);
}

TEST(ReadPool, AColdReadBreaksTheRunOfCachedReads) {
  boost::asio::io_context io;
  read_pool pool{io, 2, 4};
  cold_reads(pool, 4);
  warm_reads(pool, 1000);
  pool.listener()->cold_read();
  warm_reads(pool, 1000);
  EXPECT_EQ(pool.target_threads(), 3U);
}

TEST(ReadPool, DestroyingThePoolReleasesParkedThreads) {
  boost::asio::io_context io;
  for (int round = 0; round < 20; ++round) {
    read_pool pool{io, 2, 4};
    cold_reads(pool, 8);
    warm_reads(pool, 2 * 1024);
  }  // each destructor must return: parked threads are woken and joined
  SUCCEED();
}

TEST(ReadPool, JobsStuckBehindBlockedReadsGetANewThread) {
  boost::asio::io_context io;
  read_pool pool{io, 2, 4};
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  std::promise<void> ran;
  boost::asio::post(io, [&] {
    for (int i = 0; i < 2; ++i)  // both threads blocked, like reads of FIFOs nobody writes
      linecount::async_run_on_pool(
          pool, [released] {
            released.wait();
            return std::tuple{};
          },
          [] {});
    linecount::async_run_on_pool(
        pool, [&ran] {
          ran.set_value();
          return std::tuple{};
        },
        [] {});
  });
  std::thread runner{[&] { io.run(); }};
  EXPECT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_GT(pool.target_threads(), 2U);
  release.set_value();
  runner.join();
}

TEST(ReadPool, AFixedPoolDoesNotGrowWhenBlocked) {
  boost::asio::io_context io;
  read_pool pool{io, 1, 1};
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  linecount::async_run_on_pool(
      pool, [released] {
        released.wait();
        return std::tuple{};
      },
      [] {});
  linecount::async_run_on_pool(pool, [] { return std::tuple{}; }, [] {});
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(pool.target_threads(), 1U);
  release.set_value();
  io.run();
}

}  // namespace
