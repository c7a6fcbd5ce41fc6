#pragma once
// One way to call a system call that a signal may interrupt: again, until it is not.
// The program takes its signals on a thread of their own, but a call can still fail with
// EINTR: some (poll()) are never restarted after a stop and continue (SIGSTOP, a debugger,
// strace), and a program that uses the library may catch signals on any thread.

#include <cerrno>
#include <utility>

namespace linecount {

/// Calls `call()` until it does not fail with EINTR; returns its last result. For calls
/// that report failure with a negative result and errno (open, read, pread, write, poll,
/// getdents64).
template <typename Call>
auto retry_on_eintr(Call&& call) noexcept(noexcept(call())) {
  for (;;) {
    auto result = call();
    if (result >= 0 || errno != EINTR) return result;
  }
}

}  // namespace linecount
