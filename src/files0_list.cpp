#include "linecount/files0_list.hpp"

namespace linecount {

void files0_list::feed(std::span<const std::byte> bytes) {
  // Drop what has been handed out before growing, so the buffer stays one name + one chunk.
  if (cursor_ > 0) {
    pending_.erase(0, cursor_);
    cursor_ = 0;
  }
  pending_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void files0_list::finish() { finished_ = true; }

std::optional<files0_entry> files0_list::pop() {
  const auto end = pending_.find('\0', cursor_);
  if (end == std::string::npos) {
    if (!finished_ || cursor_ == pending_.size()) return std::nullopt;
    // The unterminated last name.
    files0_entry last{pending_.substr(cursor_), ++handed_out_};
    cursor_ = pending_.size();
    return last;
  }
  files0_entry entry{pending_.substr(cursor_, end - cursor_), ++handed_out_};
  cursor_ = end + 1;
  return entry;
}

}  // namespace linecount
