#include "linecount/read_pool.hpp"
#include "linecount/run_on_pool.hpp"
#include "io/open_batch.hpp"
#include "tuning.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace {

using linecount::read_pool;
using namespace std::chrono_literals;

constexpr auto barrier_deadline = 30s;

// Runs `jobs` jobs on the pool, submitted from the home thread, each held until `wanted`
// distinct threads hold one at once (or a generous deadline passes), and returns how many
// distinct threads ran them: `wanted` exactly when the pool has that many threads taking
// jobs, fewer if it has fewer. No timing is involved: a thread that takes a job keeps it
// until the others have come.
std::size_t threads_taking_jobs(boost::asio::io_context& io, read_pool& pool, int jobs,
                                std::size_t wanted) {
  std::mutex lock;
  std::condition_variable arrived;
  std::set<std::thread::id> seen;
  const auto give_up = std::chrono::steady_clock::now() + barrier_deadline;  // for every job
  boost::asio::post(io, [&] {
    for (int i = 0; i < jobs; ++i) {
      linecount::async_run_on_pool(
          pool,
          [&] {
            std::unique_lock guard{lock};
            seen.insert(std::this_thread::get_id());
            arrived.notify_all();
            arrived.wait_until(guard, give_up, [&] { return seen.size() >= wanted; });
            return std::tuple{};
          },
          [] {});
    }
  });
  io.run();
  io.restart();
  return seen.size();
}

// Waits (polling) until `holds` is true or the deadline passes.
bool eventually(const std::function<bool()>& holds) {
  const auto until = std::chrono::steady_clock::now() + barrier_deadline;
  while (!holds()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
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
  // The job is let go from inside elsewhere.run(): had the pending handler not kept
  // `elsewhere` busy, run() would return as soon as this has run.
  boost::asio::post(elsewhere, [&release] { release.set_value(); });
  elsewhere.run();  // returns only once the handler has run there
  EXPECT_TRUE(ran);
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

// A chain of quick jobs, each submitted by the completion of the one before, as a lane
// going through cached files submits them. The first completion also posts a handler.
// Returns the order of events: the number of each completed job, and -1 where the posted
// handler ran.
std::vector<int> quick_chain_and_a_posted_handler(int length) {
  boost::asio::io_context io;
  read_pool pool{io, 1};
  std::vector<int> events;
  std::function<void(int)> submit_from = [&](int i) {
    linecount::async_run_on_pool(
        pool, [] { return std::tuple{}; },
        [&, i] {
          events.push_back(i);
          if (i == 0) boost::asio::post(io, [&] { events.push_back(-1); });
          if (i + 1 < length) submit_from(i + 1);
        },
        linecount::run_on::home_thread);
  };
  boost::asio::post(io, [&] { submit_from(0); });
  io.run();
  return events;
}

// The events of a chain of `length` jobs with the posted handler after job `after`.
std::vector<int> chain_with_handler_after(int length, int after) {
  std::vector<int> events;
  for (int i = 0; i < length; ++i) {
    events.push_back(i);
    if (i == after) events.push_back(-1);
  }
  return events;
}

TEST(ReadPool, QuickJobsSubmittedByQuickCompletionsRunInTheSameRound) {
  // The whole chain runs in one round: the handler posted meanwhile waits for its end.
  EXPECT_EQ(quick_chain_and_a_posted_handler(10), chain_with_handler_after(10, 9));
}

TEST(ReadPool, ARoundOfQuickJobsEndsAtItsBound) {
  // Handlers posted meanwhile get their turn after quick_jobs_per_round jobs.
  constexpr auto bound = static_cast<int>(linecount::tuning::quick_jobs_per_round);
  EXPECT_EQ(quick_chain_and_a_posted_handler(3 * bound),
            chain_with_handler_after(3 * bound, bound - 1));
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
    ASSERT_TRUE(eventually([&ran] { return ran.load() == 10; }));
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
  EXPECT_EQ(threads_taking_jobs(io, pool, 400, 5), 5U);
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
  // Parked threads take no jobs (each looks whether it is needed before it takes one); the
  // work still all gets done.
  EXPECT_EQ(threads_taking_jobs(io, pool, 200, 2), 2U);
  EXPECT_EQ(pool.count_threads().parked, 4U);
}

TEST(ReadPool, ParkedThreadsComeBackWhenReadsTurnColdAgain) {
  boost::asio::io_context io;
  read_pool pool{io, 2, 4};
  cold_reads(pool, 8);
  warm_reads(pool, 2 * 1024);
  EXPECT_EQ(threads_taking_jobs(io, pool, 100, 2), 2U);
  EXPECT_EQ(pool.count_threads().parked, 2U);
  cold_reads(pool, 8);
  EXPECT_EQ(pool.target_threads(), 4U);
  EXPECT_EQ(threads_taking_jobs(io, pool, 400, 4), 4U);
  EXPECT_EQ(pool.count_threads().started, 4U) << "the parked ones came back; none were added";
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
  // The destructor must wake the parked threads to join them. Run on a thread of its own,
  // so that a destructor that hangs fails the test instead of hanging it.
  auto destroyed = std::make_shared<std::promise<void>>();  // outlives a failed test
  auto done = destroyed->get_future();
  std::thread{[destroyed] {
    boost::asio::io_context io;
    {
      read_pool pool{io, 2, 4};
      cold_reads(pool, 8);
      warm_reads(pool, 2 * 1024);
      EXPECT_EQ(threads_taking_jobs(io, pool, 100, 2), 2U);
      EXPECT_EQ(pool.count_threads().parked, 2U);
    }
    destroyed->set_value();
  }}.detach();
  EXPECT_EQ(done.wait_for(barrier_deadline), std::future_status::ready);
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
  // The watch has seen the queue stuck for twice as long as it takes a growing pool to add a
  // thread (JobsStuckBehindBlockedReadsGetANewThread): this one must not have.
  EXPECT_TRUE(eventually([&] { return pool.count_threads().stalled_ticks >= 10; }));
  EXPECT_EQ(pool.target_threads(), 1U);
  EXPECT_EQ(pool.count_threads().started, 1U);
  release.set_value();
  io.run();
}

TEST(ReadPool, TheHomeThreadTriesTheFirstReadsOfARun) {
  boost::asio::io_context io;
  read_pool pool{io, 2};
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(pool.home_should_try()) << i;
  pool.home_would_wait();  // cold storage: leave the next ones to the pool threads
  for (int i = 0; i < 64; ++i) ASSERT_FALSE(pool.home_should_try()) << i;
  for (int i = 100; i < 256; ++i) ASSERT_TRUE(pool.home_should_try()) << i;
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(pool.home_should_try()) << i;
}


// What the pool did with jobs that open a file first, in the order it did it.
struct batch_log {
  std::mutex lock;
  std::vector<std::string> events;
  void add(std::string event) {
    const std::lock_guard guard{lock};
    events.push_back(std::move(event));
  }
};

// A job that opens `path` first: the pool may open it in a batch (see pool_job). One that
// `would_block` leaves its work to run(), which calls `in_run`.
struct opening_step {
  const char* path;
  batch_log* log;
  int index;
  bool would_block = false;
  std::function<void()> in_run;
  bool offered = false;
  int fd = -1;

  std::tuple<int> operator()() {
    log->add("run " + std::to_string(index));
    if (in_run) in_run();
    return {fd};
  }
  [[nodiscard]] const char* path_to_open() const noexcept { return offered ? nullptr : path; }
  void opened(int result) noexcept {
    offered = true;
    fd = result;
    log->add("opened " + std::to_string(index));
  }
  std::optional<std::tuple<int>> run_without_blocking() noexcept {
    log->add("without blocking " + std::to_string(index));
    if (would_block) return std::nullopt;
    return std::tuple{fd};
  }
};

// A pool of one thread, a cached file to open, and the log of what the pool did, for the
// tests of batched opens (skipped where io_uring is refused: files then go one by one).
class ReadPoolBatches : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!linecount::open_batch{}.available()) GTEST_SKIP() << "io_uring is refused on this machine";
    file = dir.write("file", "x\n");
  }

  linecount::testing::temp_dir dir;
  std::string file;
  boost::asio::io_context io;
  read_pool pool{io, 1, 1};
  batch_log log;
};

TEST_F(ReadPoolBatches, JobsThatOpenAFileFirstAreOpenedInOneBatch) {
  constexpr int jobs = 8;
  std::vector<int> fds(jobs, -1);
  boost::asio::post(io, [&] {
    for (int i = 0; i < jobs; ++i) {
      const opening_step step{file.c_str(), &log, i, false, {}};
      linecount::async_run_on_pool(pool, step, [&fds, i](int fd) { fds[static_cast<std::size_t>(i)] = fd; });
    }
  });
  io.run();
  // One thread, eight jobs queued at once: all opened with one call before any reads.
  std::vector<std::string> expected;
  for (int i = 0; i < jobs; ++i) expected.push_back("opened " + std::to_string(i));
  for (int i = 0; i < jobs; ++i) expected.push_back("without blocking " + std::to_string(i));
  EXPECT_EQ(log.events, expected);
  for (const int fd : fds) {
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
}

TEST_F(ReadPoolBatches, AJobThatWouldBlockLeavesItsBatchAndRunsAfterIt) {
  constexpr int jobs = 6;
  std::mutex lock;
  std::condition_variable delivered_changed;
  int delivered = 0;
  bool others_came_first = false;
  // The blocking job's run() waits for every other job of its batch to be delivered home: it
  // would wait for ever (here: fail at the deadline) if they were held back behind it.
  auto wait_for_the_others = [&] {
    std::unique_lock guard{lock};
    others_came_first = delivered_changed.wait_for(guard, barrier_deadline,
                                                   [&] { return delivered == jobs - 1; });
  };
  boost::asio::post(io, [&] {
    for (int i = 0; i < jobs; ++i) {
      opening_step step{file.c_str(), &log, i, false, {}};
      if (i == 2) {
        step.would_block = true;
        step.in_run = wait_for_the_others;
      }
      linecount::async_run_on_pool(pool, step, [&](int fd) {
        if (fd >= 0) ::close(fd);
        const std::lock_guard guard{lock};
        ++delivered;
        delivered_changed.notify_all();
      });
    }
  });
  io.run();
  EXPECT_TRUE(others_came_first);
  EXPECT_EQ(delivered, jobs);
  ASSERT_FALSE(log.events.empty());
  EXPECT_EQ(log.events.back(), "run 2");  // run() once, after the batch
  EXPECT_EQ(std::count(log.events.begin(), log.events.end(), "run 2"), 1);
}


TEST_F(ReadPoolBatches, ABatchOfNamesNotInTheCachesPausesBatching) {
  // Names never looked up are not in the kernel's caches: a batch cannot open them.
  std::vector<std::string> uncached;
  for (int i = 0; i < 8; ++i) uncached.push_back(dir / ("never-looked-up-" + std::to_string(i)));
  std::vector<int> results;
  auto submit = [&](int first, const std::vector<const char*>& paths) {
    boost::asio::post(io, [&, first, paths] {
      for (std::size_t i = 0; i < paths.size(); ++i) {
        const opening_step step{paths[i], &log, first + static_cast<int>(i), false, {}};
        linecount::async_run_on_pool(pool, step, [&results](int fd) {
          results.push_back(fd);
          if (fd >= 0) ::close(fd);
        });
      }
    });
    io.run();
    io.restart();
  };
  std::vector<const char*> first_paths;
  for (const auto& name : uncached) first_paths.push_back(name.c_str());
  submit(0, first_paths);
  ASSERT_EQ(std::count(log.events.begin(), log.events.end(), "opened 0"), 1)
      << "the first jobs were not offered to a batch";
  // The next jobs of that thread are taken one at a time: no batch offers them an open.
  log.events.clear();
  submit(100, std::vector<const char*>(8, file.c_str()));
  EXPECT_EQ(std::count_if(log.events.begin(), log.events.end(),
                          [](const std::string& event) { return event.starts_with("opened"); }),
            0);
  EXPECT_EQ(std::count_if(log.events.begin(), log.events.end(),
                          [](const std::string& event) { return event.starts_with("run"); }),
            8);
}

}  // namespace
