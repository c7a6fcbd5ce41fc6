#include "io/buffer_block.hpp"

#include "io/page_buffer.hpp"

#include <sanitizer/asan_interface.h>

#include <cstdint>
#include <new>
#include <sys/mman.h>
#include <utility>

namespace linecount::app {

// mmap, not operator new: the block is page-aligned (the kernels' loads never straddle cache
// lines) and goes back to the kernel whole when freed.
buffer_block::buffer_block(std::size_t size, bool huge) {
  if (!huge) {
    size_ = (size + page_alignment - 1) / page_alignment * page_alignment;
    void* base = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc{};
    data_ = static_cast<std::byte*>(base);
    return;
  }
  size_ = (size + alignment - 1) / alignment * alignment;
  // Map one alignment more and unmap what lies outside the aligned block: a huge page needs
  // an aligned 2 MiB of the mapping.
  const std::size_t mapped = size_ + alignment;
  void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) throw std::bad_alloc{};
  const auto start = reinterpret_cast<std::uintptr_t>(base);  // NOLINT(*-reinterpret-cast)
  const std::uintptr_t aligned = (start + alignment - 1) / alignment * alignment;
  const std::size_t head = aligned - start;
  if (head != 0) ::munmap(base, head);
  const std::size_t tail = mapped - head - size_;
  if (tail != 0) ::munmap(reinterpret_cast<void*>(aligned + size_), tail);  // NOLINT
  data_ = reinterpret_cast<std::byte*>(aligned);                             // NOLINT
  // Advice only: refused (no THP in this kernel) or not, the block is usable.
  ::madvise(data_, size_, MADV_HUGEPAGE);
}

buffer_block::buffer_block(buffer_block&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

buffer_block& buffer_block::operator=(buffer_block&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

buffer_block::~buffer_block() { release(); }

void buffer_block::release() noexcept {
  if (data_ == nullptr) return;
  // Whatever a user poisoned is cleared: a later mapping at the same address starts clean.
  ASAN_UNPOISON_MEMORY_REGION(data_, size_);
  ::munmap(data_, size_);
  data_ = nullptr;
}

}  // namespace linecount::app
