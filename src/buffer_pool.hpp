#pragma once
// Read buffers for the files in flight: allocated on first need, then reused, so no file
// allocates its own and the number of buffers never exceeds what was in use at once (or a
// fixed limit, for the pool of large buffers).

#include "page_buffer.hpp"

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
      owned_.push_back(make_page_buffer(buffer_size_));
      buffer = owned_.back().get();
    } else {
      buffer = free_.back();
      free_.pop_back();
    }
    ++out_;
    return {buffer, buffer_size_};
  }

  void release(std::span<std::byte> buffer) {
    free_.push_back(buffer.data());
    --out_;
  }

 private:
  std::size_t buffer_size_;
  std::size_t limit_;
  std::size_t out_ = 0;
  std::vector<page_buffer> owned_;
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
