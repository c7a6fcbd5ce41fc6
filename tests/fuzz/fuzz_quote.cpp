// libFuzzer target: quoted names must mean the original name to a shell. The output of
// quote_name/quote_always is decoded with the subset of shell quoting they may use ('...',
// "...", $'...' and \') and compared with the input; quote_name leaves only harmless names
// bare, and name_for_output never contains a newline. The first byte picks the locale.

#include "report/quote.hpp"

#include <clocale>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

std::optional<std::string> shell_decode(std::string_view quoted) {
  std::string out;
  std::size_t at = 0;
  while (at < quoted.size()) {
    if (quoted.substr(at, 2) == "$'") {  // ANSI-C quoting: \a \b \t \n \v \f \r \ooo \'
      at += 2;
      while (at < quoted.size() && quoted[at] != '\'') {
        if (quoted[at] != '\\' || at + 1 >= quoted.size()) return std::nullopt;
        const char e = quoted[at + 1];
        static constexpr std::string_view letters = "abtnvfr";
        if (const auto pos = letters.find(e); pos != std::string_view::npos) {
          out += static_cast<char>('\a' + pos);
          at += 2;
        } else if (e >= '0' && e <= '7' && at + 3 < quoted.size()) {
          out += static_cast<char>((quoted[at + 1] - '0') * 64 + (quoted[at + 2] - '0') * 8 +
                                   (quoted[at + 3] - '0'));
          at += 4;
        } else {
          return std::nullopt;
        }
      }
      if (at >= quoted.size()) return std::nullopt;
      ++at;
    } else if (quoted[at] == '\'' || quoted[at] == '"') {
      const char close = quoted[at];
      const auto end = quoted.find(close, at + 1);
      if (end == std::string_view::npos) return std::nullopt;
      const auto inside = quoted.substr(at + 1, end - at - 1);
      if (close == '"' && inside.find_first_of("$`\\\"") != std::string_view::npos)
        return std::nullopt;  // these would mean something inside double quotes
      out += inside;
      at = end + 1;
    } else if (quoted.substr(at, 2) == "\\'") {
      out += '\'';
      at += 2;
    } else {
      return std::nullopt;  // nothing else may stand outside quotes
    }
  }
  return out;
}

bool harmless_bare(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (std::string_view(" !\"$&'()*;<=>?[\\^`|:").find(static_cast<char>(c)) !=
        std::string_view::npos)
      return false;
    if (i == 0 && (c == '#' || c == '~')) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::setlocale(LC_ALL, data[0] % 2 ? "C.UTF-8" : "C");
  const std::string name(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (name.find('\0') != std::string::npos) return 0;  // not a possible file name

  const std::string always = linecount::quote_always(name);
  if (shell_decode(always) != name) std::abort();

  const std::string when_needed = linecount::quote_name(name);
  if (when_needed != name) {
    if (shell_decode(when_needed) != name) std::abort();
  } else if (!harmless_bare(name)) {
    std::abort();
  }

  if (linecount::name_for_output(name).find('\n') != std::string::npos) std::abort();
  return 0;
}
