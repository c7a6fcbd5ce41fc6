#include "read_pool.hpp"

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

using linecount::app::read_pool;

// Runs `jobs` jobs on the pool, each holding its thread for a moment, and returns how many
// distinct threads ran them.
std::size_t threads_taking_jobs(read_pool& pool, int jobs) {
  std::mutex lock;
  std::set<std::thread::id> seen;
  std::atomic<int> left{jobs};
  std::promise<void> done;
  for (int i = 0; i < jobs; ++i) {
    boost::asio::post(pool.get_executor(), [&] {
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // well under the 50 ms watchdog
      {
        const std::lock_guard guard{lock};
        seen.insert(std::this_thread::get_id());
      }
      if (--left == 0) done.set_value();
    });
  }
  done.get_future().wait();
  return seen.size();
}

void cold_reads(read_pool& pool, int n) {
  for (int i = 0; i < n; ++i) pool.listener()->cold_read();
}

void warm_reads(read_pool& pool, int n) {
  for (int i = 0; i < n; ++i) pool.listener()->warm_read();
}

TEST(ReadPool, AFixedPoolHasNoListener) {
  read_pool pool{3, 3};
  EXPECT_EQ(pool.listener(), nullptr);
  EXPECT_EQ(pool.initial_threads(), 3U);
  EXPECT_EQ(pool.target_threads(), 3U);
}

TEST(ReadPool, EveryFourColdReadsAddAThreadUpToTheCeiling) {
  read_pool pool{2, 5};
  ASSERT_NE(pool.listener(), nullptr);
  cold_reads(pool, 3);
  EXPECT_EQ(pool.target_threads(), 2U);
  cold_reads(pool, 1);
  EXPECT_EQ(pool.target_threads(), 3U);
  cold_reads(pool, 400);
  EXPECT_EQ(pool.target_threads(), 5U);
  EXPECT_EQ(threads_taking_jobs(pool, 200), 5U);
}

TEST(ReadPool, ALongRunOfCachedReadsParksTheAddedThreads) {
  read_pool pool{2, 6};
  cold_reads(pool, 16);
  ASSERT_EQ(pool.target_threads(), 6U);
  warm_reads(pool, 1023);
  EXPECT_EQ(pool.target_threads(), 6U);
  warm_reads(pool, 1);
  EXPECT_EQ(pool.target_threads(), 5U);
  warm_reads(pool, 100 * 1024);
  EXPECT_EQ(pool.target_threads(), 2U) << "never below the initial threads";
  // Parked threads take no jobs; the work still all gets done.
  EXPECT_EQ(threads_taking_jobs(pool, 200), 2U);
}

TEST(ReadPool, ParkedThreadsComeBackWhenReadsTurnColdAgain) {
  read_pool pool{2, 4};
  cold_reads(pool, 8);
  warm_reads(pool, 2 * 1024);
  EXPECT_EQ(threads_taking_jobs(pool, 100), 2U);
  cold_reads(pool, 8);
  EXPECT_EQ(pool.target_threads(), 4U);
  EXPECT_EQ(threads_taking_jobs(pool, 200), 4U);
}

TEST(ReadPool, AColdReadBreaksTheRunOfCachedReads) {
  read_pool pool{2, 4};
  cold_reads(pool, 4);
  warm_reads(pool, 1000);
  pool.listener()->cold_read();
  warm_reads(pool, 1000);
  EXPECT_EQ(pool.target_threads(), 3U);
}

TEST(ReadPool, DestroyingThePoolReleasesParkedThreads) {
  for (int round = 0; round < 20; ++round) {
    read_pool pool{2, 4};
    cold_reads(pool, 8);
    warm_reads(pool, 2 * 1024);
  }  // each destructor must return: parked threads are woken and joined
  SUCCEED();
}

TEST(ReadPool, JobsStuckBehindBlockedReadsGetANewThread) {
  read_pool pool{2, 4};
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  for (int i = 0; i < 2; ++i)  // both threads blocked, like reads of FIFOs nobody writes
    boost::asio::post(pool.get_executor(), [released] { released.wait(); });
  std::promise<void> ran;
  boost::asio::post(pool.get_executor(), [&ran] { ran.set_value(); });
  EXPECT_EQ(ran.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_GT(pool.target_threads(), 2U);
  release.set_value();
}

TEST(ReadPool, AFixedPoolDoesNotGrowWhenBlocked) {
  read_pool pool{1, 1};
  std::promise<void> release;
  const std::shared_future<void> released = release.get_future().share();
  boost::asio::post(pool.get_executor(), [released] { released.wait(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(pool.target_threads(), 1U);
  release.set_value();
}

}  // namespace
