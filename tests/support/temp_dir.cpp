#include "support/temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace linecount::testing {

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "linecount-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string temp_dir::write(const std::string& name, const std::string& content) const {
  const auto file = path_ / name;
  std::ofstream stream{file, std::ios::binary};
  stream << content;
  if (!stream) throw std::runtime_error("cannot write " + file.string());
  return file.string();
}

std::string temp_dir::operator/(const std::string& name) const { return (path_ / name).string(); }

std::string text_with_lines(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) text += "line " + std::to_string(i) + '\n';
  return text;
}

}  // namespace linecount::testing
