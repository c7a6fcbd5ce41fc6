#pragma once
// Read buffers for the files in flight: allocated on first need, then reused, so the number
// of buffers never exceeds the number of files in flight and no file allocates its own.

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace linecount::app {

class buffer_pool {
 public:
  explicit buffer_pool(std::size_t buffer_size) : buffer_size_(buffer_size) {}

  [[nodiscard]] std::span<std::byte> acquire() {
    if (free_.empty()) {
      owned_.push_back(std::make_unique_for_overwrite<std::byte[]>(buffer_size_));
      return {owned_.back().get(), buffer_size_};
    }
    std::byte* buffer = free_.back();
    free_.pop_back();
    return {buffer, buffer_size_};
  }

  void release(std::span<std::byte> buffer) { free_.push_back(buffer.data()); }

 private:
  std::size_t buffer_size_;
  std::vector<std::unique_ptr<std::byte[]>> owned_;
  std::vector<std::byte*> free_;
};

}  // namespace linecount::app
