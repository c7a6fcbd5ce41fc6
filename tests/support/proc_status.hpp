#pragma once
// What /proc says of a running child: its signal state, and the system call its threads
// are blocked in. The waits poll /proc until the state holds or the deadline passes: they
// wait for a condition, never for a guessed length of time.

#include "support/process.hpp"

#include <chrono>

namespace linecount::testing {

/// Whether `signal_number` is ignored (SIG_IGN) by process `pid`.
[[nodiscard]] bool signal_ignored(int pid, int signal_number);

/// Waits until `signal_number` is pending neither for process `pid` nor for any of its
/// threads; false (and the test has failed) at the deadline.
[[nodiscard]] bool wait_until_not_pending(int pid, int signal_number,
                                          std::chrono::milliseconds deadline = default_deadline);

/// Waits until a thread of process `pid` is blocked in write() on `fd`; false (and the test
/// has failed) at the deadline.
[[nodiscard]] bool wait_until_writing(int pid, int fd,
                                      std::chrono::milliseconds deadline = default_deadline);

/// Waits until a process of the group that `pid` leads (a session's child and what it
/// started) is blocked opening a FIFO, waiting for the other end; false (and the test has
/// failed) at the deadline.
[[nodiscard]] bool wait_until_opening_a_fifo(int pid,
                                             std::chrono::milliseconds deadline = default_deadline);

/// Waits until process `pid` has at least `count` threads; false (and the test has failed)
/// at the deadline.
[[nodiscard]] bool wait_until_threads(int pid, int count,
                                      std::chrono::milliseconds deadline = default_deadline);

/// The number of threads process `pid` has now.
[[nodiscard]] int thread_count(int pid);

}  // namespace linecount::testing
