#pragma once
// Process-wide set-up that keeps linecount dependable whatever state it is started in.

namespace linecount::app {

/// If descriptor 0, 1 or 2 is closed, parks /dev/null there in the wrong direction, so that
/// files linecount opens never take those numbers and use of the closed stream fails with
/// EBADF ("Bad file descriptor"), as GNU tools report it.
void guard_standard_descriptors() noexcept;

/// `requested` lowered so that the files in flight, plus the descriptors already open, a
/// few for the event loop and one for each of up to `read_threads` read threads (its
/// io_uring), stay within RLIMIT_NOFILE. Never less than 1.
[[nodiscard]] unsigned jobs_within_descriptor_limit(unsigned requested,
                                                    unsigned read_threads) noexcept;

}  // namespace linecount::app
