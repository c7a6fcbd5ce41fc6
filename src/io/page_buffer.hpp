#pragma once
// Read buffers that start on a page boundary, not 16 bytes past one as operator new's large
// blocks do: the counting kernels' 64-byte loads then never straddle two cache lines. On the
// AMD EPYC VM of docs/performance.md (perf, a 1 GiB file in 256 KiB preads), the
// counting of each freshly read buffer took 1.8 times as long at the 16-byte offset, and the
// whole run 25% longer.

#include <cstddef>
#include <memory>
#include <new>

namespace linecount {

inline constexpr std::size_t page_alignment = 4096;

struct page_buffer_delete {
  void operator()(std::byte* buffer) const noexcept {
    ::operator delete[](buffer, std::align_val_t{page_alignment});
  }
};

/// `size` bytes, uninitialised, starting on a page boundary.
using page_buffer = std::unique_ptr<std::byte[], page_buffer_delete>;

[[nodiscard]] inline page_buffer make_page_buffer(std::size_t size) {
  return page_buffer{
      static_cast<std::byte*>(::operator new[](size, std::align_val_t{page_alignment}))};
}

}  // namespace linecount
