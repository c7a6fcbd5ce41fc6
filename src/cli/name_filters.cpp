#include "cli/name_filters.hpp"

#include <algorithm>
#include <cstring>
#include <fnmatch.h>
#include <utility>

namespace linecount::app {
namespace {

// gnulib's fnmatch_pattern_has_wildcards() for grep's options: a backslash quotes the next
// character; '*', '?', '[' and ']' are wildcards.
bool has_wildcards(const std::string& pattern) noexcept {
  for (std::size_t at = 0; at < pattern.size(); ++at) {
    const char c = pattern[at];
    if (c == '\\') {
      ++at;  // the quoted character, if there is one
    } else if (c == '*' || c == '?' || c == '[' || c == ']') {
      return true;
    }
  }
  return false;
}

// gnulib's unescape_pattern(): each backslash that has a character after it is taken off.
std::string unescape(const std::string& pattern) {
  std::string result;
  result.reserve(pattern.size());
  for (std::size_t at = 0; at < pattern.size(); ++at) {
    if (pattern[at] == '\\' && at + 1 < pattern.size()) ++at;
    result += pattern[at];
  }
  return result;
}

}  // namespace

name_filters::glob_pattern name_filters::make(std::string text, bool include) {
  if (has_wildcards(text)) return {std::move(text), false, include};
  return {unescape(text), true, include};
}

void name_filters::include(std::string pattern) {
  file_patterns_.push_back(make(std::move(pattern), true));
}

void name_filters::exclude(std::string pattern) {
  file_patterns_.push_back(make(std::move(pattern), false));
}

void name_filters::exclude_directory(std::string pattern) {
  // As grep's strip_trailing_slashes(): "sub/" is "sub", "/" stays.
  while (pattern.size() > 1 && pattern.back() == '/') pattern.pop_back();
  directory_patterns_.push_back(make(std::move(pattern), false));
}

bool name_filters::matches(const glob_pattern& glob, const char* name, bool anywhere) {
  // gnulib's excluded_file_name_p() and exclude_fnmatch() without EXCLUDE_ANCHORED: a
  // literal is tried after every '/', a glob after every '/' not followed by another.
  if (glob.literal) {
    for (const char* part = name; part != nullptr;) {
      if (glob.text == part) return true;
      if (!anywhere) return false;
      part = std::strchr(part, '/');
      if (part != nullptr) ++part;
    }
    return false;
  }
  if (::fnmatch(glob.text.c_str(), name, 0) == 0) return true;
  if (!anywhere) return false;
  for (const char* at = name; *at != '\0'; ++at) {
    if (at[0] == '/' && at[1] != '/' && ::fnmatch(glob.text.c_str(), at + 1, 0) == 0) return true;
  }
  return false;
}

bool name_filters::skips(const char* name, bool anywhere) const {
  if (file_patterns_.empty()) return false;
  // The last pattern that matches decides; with none, the first pattern's opposite.
  const auto last = std::find_if(
      file_patterns_.rbegin(), file_patterns_.rend(),
      [name, anywhere](const glob_pattern& glob) { return matches(glob, name, anywhere); });
  if (last != file_patterns_.rend()) return !last->include;
  return file_patterns_.front().include;
}

bool name_filters::skips_file(const char* name) const { return skips(name, false); }

bool name_filters::skips_directory(const char* name) const {
  return std::any_of(directory_patterns_.begin(), directory_patterns_.end(),
                     [name](const glob_pattern& glob) { return matches(glob, name, false); });
}

bool name_filters::skips_operand(const std::string& name) const {
  return skips(name.c_str(), true);
}

}  // namespace linecount::app
