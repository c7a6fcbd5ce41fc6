#pragma once
// Counting newlines in a file through a memory map, without dying if the file shrinks.
//
// Reading a mapped page that lies past the end of the file raises SIGBUS. A file truncated
// while it is mapped does exactly that, and the default action kills the process. Here a
// SIGBUS handler checks whether the faulting address lies in the window the faulting thread
// is counting; if so it maps a page of zeros over it, marks the window lost and lets the
// count run on. The caller then reads that part again with pread, which sees the file as it
// now is. A fault anywhere else gets the disposition SIGBUS had before.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace linecount::detail {

struct window_count {
  std::uint64_t lines = 0;
  std::byte last{};  ///< the window's last byte (zero for an empty window)
};

/// Maps `length` bytes of `fd` from `offset` (a multiple of the page size) read-only, at an
/// address that is a multiple of `alignment` (a power of two, at least the page size), or
/// wherever the kernel can if address space for that runs short; MAP_FAILED if it cannot be
/// mapped at all. Unmap with munmap(map, length).
void* map_aligned(int fd, std::uint64_t offset, std::size_t length,
                  std::size_t alignment) noexcept;

/// Newlines in bytes [offset, offset + length) of `fd`, counted through a temporary map.
/// Empty if the bytes could not be mapped or some of them were gone by the time they were
/// read (the file is shorter than offset + length); the caller should then use pread.
std::optional<window_count> count_mapped_window(int fd, std::uint64_t offset,
                                                std::size_t length) noexcept;

}  // namespace linecount::detail
