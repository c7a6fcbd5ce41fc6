#pragma once
// files0_list: the NUL-separated name list of --files0-from, parsed as it streams in.
//
// Bytes are fed in chunks of any size; complete names come out in order. Memory is bounded by
// the longest name plus one chunk, never by the length of the list. As in GNU tools, a last
// name without a terminating NUL still counts, and a zero-length name is reported (as an
// entry whose name is empty) so that the caller can say `F:N: invalid zero-length file name`.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace linecount {

struct files0_entry {
  std::string name;          ///< empty for a zero-length name
  std::uint64_t number = 0;  ///< 1-based position in the list, for diagnostics
};

class files0_list {
 public:
  /// Room for `bytes` pending bytes at once (allocated, not yet touched): with one chunk
  /// plus the longest name expected, feed() never reallocates, so the peak memory of a list
  /// does not depend on where its chunks happen to cut names.
  void reserve(std::size_t bytes) { pending_.reserve(bytes); }

  /// Appends the next bytes of the list. Names completed by them become available to pop().
  void feed(std::span<const std::byte> bytes);

  /// The list has ended: a final name without its NUL becomes available to pop().
  void finish();

  /// The next complete name, if there is one.
  [[nodiscard]] std::optional<files0_entry> pop();

  /// The same into `entry`, whose string keeps its capacity (no allocation for a name that
  /// fits); false if there is none yet.
  [[nodiscard]] bool pop_into(files0_entry& entry);

  /// Bytes held: at most the longest unfinished name plus the last chunk fed.
  [[nodiscard]] std::size_t buffered_bytes() const noexcept { return pending_.size(); }

 private:
  std::string pending_;    // bytes fed but not yet handed out
  std::size_t cursor_ = 0;  // start of the next name inside pending_
  std::uint64_t handed_out_ = 0;
  bool finished_ = false;
};

}  // namespace linecount
