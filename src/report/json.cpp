#include "report/json.hpp"

#include <array>
#include <cstdint>

namespace linecount::app {
namespace {

// The length of the valid UTF-8 sequence at the start of `text`, or 0 if there is none.
std::size_t utf8_sequence_length(std::string_view text) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const auto continuation = [&](std::size_t i) {
    return i < text.size() && (byte(i) & 0xC0U) == 0x80U;
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80U) return 1;
  if (lead >= 0xC2U && lead <= 0xDFU) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0U && lead <= 0xEFU) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0U && byte(1) < 0xA0U) return 0;  // overlong
    if (lead == 0xEDU && byte(1) > 0x9FU) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0U && lead <= 0xF4U) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0U && byte(1) < 0x90U) return 0;  // overlong
    if (lead == 0xF4U && byte(1) > 0x8FU) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  while (!text.empty()) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

// RFC 8259: '"', '\\' and control characters escaped, valid UTF-8 copied as it is, and each
// byte of an invalid sequence replaced by U+FFFD (a JSON string must be Unicode).
void append_json_string(std::string& out, std::string_view text) {
  constexpr std::string_view hex = "0123456789abcdef";
  out += '"';
  while (!text.empty()) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      text.remove_prefix(1);
      continue;
    }
    const char c = text.front();
    if (length > 1) {
      out.append(text.substr(0, length));
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20U) {
      out += "\\u00";
      out += hex[static_cast<unsigned char>(c) >> 4U];
      out += hex[static_cast<unsigned char>(c) & 0xFU];
    } else {
      out += c;
    }
    text.remove_prefix(length);
  }
  out += '"';
}

// RFC 4648 base64 with padding: three bytes to four characters.
std::string base64(std::string_view bytes) {
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U |
                                static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U |
                                static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[group >> 18U];
    out += alphabet[(group >> 12U) & 0x3FU];
    out += alphabet[(group >> 6U) & 0x3FU];
    out += alphabet[group & 0x3FU];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U;
    if (rest == 2) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
    out += alphabet[group >> 18U];
    out += alphabet[(group >> 12U) & 0x3FU];
    out += rest == 2 ? alphabet[(group >> 6U) & 0x3FU] : '=';
    out += '=';
  }
  return out;
}

}  // namespace linecount::app
