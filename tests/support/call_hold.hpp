#pragma once
// Holds one system call that linecount makes on one file until the test releases it, through
// a library preloaded into linecount (support/hold_call.c). A fault test changes the file
// at a point it knows linecount has reached: no timing window, on any machine load.
//
//   call_hold hold{dir, "fstat", file, 2, call_hold::after};
//   invocation what;  what.env = hold.environment();  ...
//   session run{what};
//   ASSERT_TRUE(hold.wait_until_held());   // linecount is inside (or just past) that call
//   ... change the file ...
//   hold.release();

#include "support/process.hpp"

#include <string>
#include <vector>

namespace linecount::testing {

class temp_dir;

class call_hold {
 public:
  enum moment { before, after };

  /// Holds the `nth` (from 1) call of `call` ("open", "read" or "fstat") on `path`,
  /// `when` the call is made. The handshake FIFOs go into `dir`.
  call_hold(const temp_dir& dir, std::string call, std::string path, int nth, moment when);
  ~call_hold();
  call_hold(const call_hold&) = delete;
  call_hold& operator=(const call_hold&) = delete;

  /// The settings that make linecount hold the call, for invocation::env.
  [[nodiscard]] std::vector<std::string> environment() const;

  /// Waits until linecount is held; false (and the test has failed) if it was not by the
  /// deadline.
  [[nodiscard]] bool wait_until_held(std::chrono::milliseconds deadline = default_deadline);

  /// Lets the held call go on.
  void release();

  /// Lets a program run as another user (as_nobody) take part in the handshake: opens the
  /// FIFOs to it, and preloads a copy of the library from `dir`, since the build tree may
  /// sit where that user cannot read (a checkout under /root).
  void open_to_everyone();

 private:
  std::string call_;
  std::string path_;
  int nth_;
  moment when_;
  std::string dir_;
  std::string library_;  // the preloaded library
  int held_fd_ = -1;
};

/// A run of linecount with `args` that holds `hold`'s call.
[[nodiscard]] invocation held_run(const call_hold& hold, std::vector<std::string> args);

}  // namespace linecount::testing
