// retry_on_eintr: again while interrupted, never on any other failure or on success.

#include "io/retry_on_eintr.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace {

using linecount::retry_on_eintr;

TEST(RetryOnEintr, CallsAgainWhileInterrupted) {
  int calls = 0;
  const int result = retry_on_eintr([&calls] {
    ++calls;
    if (calls < 3) {
      errno = EINTR;
      return -1;
    }
    return 7;
  });
  EXPECT_EQ(result, 7);
  EXPECT_EQ(calls, 3);
}

TEST(RetryOnEintr, ReturnsAnyOtherFailureAtOnceWithItsErrno) {
  int calls = 0;
  const long result = retry_on_eintr([&calls] {
    ++calls;
    errno = EIO;
    return -1L;
  });
  EXPECT_EQ(result, -1);
  EXPECT_EQ(errno, EIO);
  EXPECT_EQ(calls, 1);
}

TEST(RetryOnEintr, ASuccessIsNotRepeatedWhateverErrnoHolds) {
  int calls = 0;
  errno = EINTR;  // left over from an earlier call: a success does not look at it
  const int result = retry_on_eintr([&calls] {
    ++calls;
    return 0;
  });
  EXPECT_EQ(result, 0);
  EXPECT_EQ(calls, 1);
}

}  // namespace
