#include "cli/files0_list.hpp"

#include <algorithm>

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
  files0_entry entry;
  if (!pop_into(entry)) return std::nullopt;
  return entry;
}

// Names are NUL-terminated; the last may end at the end of the list instead, as wc accepts.
// `entry`'s own string is assigned into, so a name given back keeps its memory.
bool files0_list::pop_into(files0_entry& entry) {
  auto end = pending_.find('\0', cursor_);
  if (end == std::string::npos) {
    if (!finished_ || cursor_ == pending_.size()) return false;
    end = pending_.size();  // the unterminated last name
  }
  entry.name.assign(pending_, cursor_, end - cursor_);
  entry.number = ++handed_out_;
  cursor_ = std::min(end + 1, pending_.size());
  return true;
}

}  // namespace linecount
