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
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
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

}  // namespace
