#pragma once
// Memory for read buffers, in blocks aligned to 2 MiB that the kernel is asked to back with
// transparent huge pages.
//
// Why: the first touch of every 4 KiB page is a page fault, and in a virtual machine that
// shadows the guest's page tables a fault is dear: on the 2-core AMD EPYC VM of the
// docs/performance.md, touching a fresh 4 MiB page by page took 14 ms (14 µs a
// page), and as one advised block 0.2–0.5 ms. A run over many files keeps hundreds of
// buffers in flight, so their pages were over a thousand faults. Where transparent huge
// pages are off the advice is ignored and the block is ordinary memory. A run over a few
// files needs no huge page (zeroing 2 MiB costs more than the faults it saves): a pool's
// first block is small and ordinary.

#include <cstddef>

namespace linecount::app {

/// Whether this build runs under AddressSanitizer (GCC says so with __SANITIZE_ADDRESS__,
/// clang through __has_feature, which GCC 12 does not have).
inline constexpr bool under_address_sanitizer =
#if defined(__SANITIZE_ADDRESS__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

class buffer_block {
 public:
  /// Huge pages are 2 MiB on x86-64 and on most arm64 kernels.
  static constexpr std::size_t alignment = std::size_t{2} << 20U;

  /// At least `size` bytes, uninitialised, on a page boundary; with `huge`, rounded up to
  /// `alignment`, aligned to it and advised for huge pages. Throws std::bad_alloc if the
  /// memory cannot be had.
  buffer_block(std::size_t size, bool huge);
  buffer_block(buffer_block&& other) noexcept;
  buffer_block& operator=(buffer_block&& other) noexcept;
  buffer_block(const buffer_block&) = delete;
  buffer_block& operator=(const buffer_block&) = delete;
  ~buffer_block();

  [[nodiscard]] std::byte* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  void release() noexcept;

  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace linecount::app
