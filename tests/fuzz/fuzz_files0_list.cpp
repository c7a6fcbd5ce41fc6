// libFuzzer target: the streamed --files0-from reader must give the same names, numbered
// 1, 2, 3..., however the list is cut into chunks. The first input byte chooses the cut.

#include "cli/files0_list.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

std::vector<std::string> reference_split(const std::string& list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start < list.size()) {
    const auto end = list.find('\0', start);
    if (end == std::string::npos) {
      names.push_back(list.substr(start));
      break;
    }
    names.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 17;
  const std::string list(reinterpret_cast<const char*>(data) + 1, size - 1);

  linecount::files0_list parser;
  std::vector<std::string> names;
  std::uint64_t last_number = 0;
  auto take = [&] {
    while (auto entry = parser.pop()) {
      if (entry->number != ++last_number) std::abort();
      names.push_back(std::move(entry->name));
    }
  };
  for (std::size_t at = 0; at < list.size(); at += piece) {
    const auto chunk = std::string_view(list).substr(at, piece);
    parser.feed(std::as_bytes(std::span(chunk.data(), chunk.size())));
    take();
  }
  parser.finish();
  take();
  if (names != reference_split(list)) std::abort();
  return 0;
}
