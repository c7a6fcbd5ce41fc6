#pragma once
// How often the calling thread has gone to sleep (blocked) so far: a thread that took long
// and slept waited for something (storage, a file system); one merely preempted did not.

#include <sys/resource.h>

namespace linecount {

inline long voluntary_switches() noexcept {
  rusage usage{};
  if (::getrusage(RUSAGE_THREAD, &usage) != 0) return 0;
  return usage.ru_nvcsw;
}

}  // namespace linecount
