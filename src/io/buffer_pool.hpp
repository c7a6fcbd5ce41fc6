#pragma once
// Read buffers for the files in flight: carved on first need out of huge-page blocks (see
// buffer_block.hpp), then reused, so no file allocates its own and the number of buffers
// never exceeds what was in use at once (or a fixed limit, for the pool of large buffers).
// Each starts on a page boundary (see page_buffer.hpp). Under AddressSanitizer a buffer is
// poisoned while no one holds it, and a poisoned page separates it from the next.

#include "io/buffer_block.hpp"
#include "io/page_buffer.hpp"
#include "tuning.hpp"

#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <memory>
#include <span>
#include <vector>

namespace linecount::app {

class buffer_pool {
 public:
  /// Buffers of `buffer_size` bytes; at most `limit` out at a time (try_acquire() says no).
  explicit buffer_pool(std::size_t buffer_size,
                       std::size_t limit = std::numeric_limits<std::size_t>::max())
      : buffer_size_(buffer_size), limit_(limit) {}

  [[nodiscard]] std::size_t buffer_size() const noexcept { return buffer_size_; }

  /// A buffer, or an empty span if `limit` buffers are out already.
  [[nodiscard]] std::span<std::byte> try_acquire() {
    if (out_ == limit_) return {};
    std::byte* buffer = nullptr;
    if (free_.empty()) {
      buffer = carve();
    } else {
      buffer = free_.back();
      free_.pop_back();
    }
    ASAN_UNPOISON_MEMORY_REGION(buffer, buffer_size_);
    ++out_;
    return {buffer, buffer_size_};
  }

  void release(std::span<std::byte> buffer) {
    ASAN_POISON_MEMORY_REGION(buffer.data(), buffer.size());
    free_.push_back(buffer.data());
    --out_;
  }

 private:
  // Under AddressSanitizer a poisoned page after each buffer catches a write past its end.
  static constexpr std::size_t guard = under_address_sanitizer ? page_alignment : 0;
  // A new buffer from the current block, or from a new one.
  std::byte* carve() {
    const std::size_t pages = (buffer_size_ + page_alignment - 1) / page_alignment;
    const std::size_t stride = pages * page_alignment + guard;
    if (left_in_block_ < stride) {
      // The first block: a few buffers' worth, in ordinary pages; then huge-page blocks.
      const bool huge = !blocks_.empty();
      blocks_.emplace_back(std::max(stride, huge ? buffer_block::alignment : tuning::first_buffer_block), huge);
      next_ = blocks_.back().data();
      left_in_block_ = blocks_.back().size();
      ASAN_POISON_MEMORY_REGION(next_, left_in_block_);
    }
    std::byte* buffer = next_;
    next_ += stride;
    left_in_block_ -= stride;
    return buffer;
  }

  std::size_t buffer_size_;
  std::size_t limit_;
  std::size_t out_ = 0;
  std::vector<buffer_block> blocks_;
  std::byte* next_ = nullptr;
  std::size_t left_in_block_ = 0;
  std::vector<std::byte*> free_;
};

/// A buffer taken from a pool for as long as this lives (empty if the pool had none).
class buffer_lease {
 public:
  explicit buffer_lease(buffer_pool& pool) : pool_(&pool), buffer_(pool.try_acquire()) {}
  buffer_lease(const buffer_lease&) = delete;
  buffer_lease& operator=(const buffer_lease&) = delete;
  buffer_lease(buffer_lease&&) = delete;
  buffer_lease& operator=(buffer_lease&&) = delete;
  ~buffer_lease() {
    if (!buffer_.empty()) pool_->release(buffer_);
  }

  [[nodiscard]] std::span<std::byte> get() const noexcept { return buffer_; }

 private:
  buffer_pool* pool_;
  std::span<std::byte> buffer_;
};

}  // namespace linecount::app
