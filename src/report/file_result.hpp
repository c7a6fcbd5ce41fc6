#pragma once
// The result of one operand: its count, or why it has none.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linecount::app {

struct file_result {
  std::uint64_t index = 0;             ///< the operand's position, from 0
  std::string name;                    ///< as given; empty for implicit standard input
  bool named = true;                   ///< false for implicit standard input
  std::optional<std::uint64_t> lines;  ///< empty when the operand could not be counted
  std::string diagnostic;              ///< on failure: the message after "linecount: "
  std::string reason;                  ///< on failure: the reason alone ("Is a directory")
  std::string_view compression;        ///< -z: the format decompressed ("gzip"); else empty
};

}  // namespace linecount::app
