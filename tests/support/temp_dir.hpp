#pragma once
// A scratch directory for one test, removed afterwards.

#include <filesystem>
#include <string>

namespace linecount::testing {

class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  /// Writes `content` to `name` inside the directory and returns the full path as a string.
  std::string write(const std::string& name, const std::string& content) const;

  /// `name` inside the directory, as a string.
  [[nodiscard]] std::string operator/(const std::string& name) const;

 private:
  std::filesystem::path path_;
};

/// `lines` lines of text, each ending in '\n'.
[[nodiscard]] std::string text_with_lines(std::size_t lines);

}  // namespace linecount::testing
