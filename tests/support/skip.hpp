#pragma once
// Skipping a test, with a reason that scripts/test.sh can check on the machine it ran on.
//
//   LINECOUNT_SKIP("not-root", "needs root to switch to nobody");
//
// The reason is one of scripts/test.sh's checked reasons ("not-root", "cpu-lacks:FLAG");
// the skip is also written to $LINECOUNT_SKIP_LOG, where the script finds it. Under CI=true
// the script fails a run with a skip whose reason does not hold there. A missing tool is
// never a reason: scripts/setup.sh --test installs every tool the tests use.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string_view>

namespace linecount::testing {

inline void log_skip(std::string_view reason, std::string_view detail) {
  const char* log = std::getenv("LINECOUNT_SKIP_LOG");
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (log == nullptr || *log == '\0' || test == nullptr) return;
  std::ofstream{log, std::ios::app} << test->test_suite_name() << '.' << test->name() << '\t'
                                    << reason << '\t' << detail << '\n';
}

}  // namespace linecount::testing

#define LINECOUNT_SKIP(reason, detail)                     \
  do {                                                     \
    ::linecount::testing::log_skip((reason), (detail));    \
    GTEST_SKIP() << "[" << (reason) << "] " << (detail);   \
  } while (false)
