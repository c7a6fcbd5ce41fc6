#pragma once
// The small part of JSON that --json needs: strings, UTF-8 validity, base64.
//
// JSON strings hold Unicode text, but a file name is any bytes but NUL. A name that is
// valid UTF-8 is written as a JSON string; one that is not goes out as base64 of its raw
// bytes (ripgrep's convention: "path_bytes" instead of "path"), so every name round-trips.

#include <string>
#include <string_view>

namespace linecount::app {

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

/// Appends `text` as a quoted JSON string. `text` must be valid UTF-8; any byte that is not
/// becomes U+FFFD (for messages, which cannot be round-tripped anyway).
void append_json_string(std::string& out, std::string_view text);

/// Standard base64 (RFC 4648, with padding).
[[nodiscard]] std::string base64(std::string_view bytes);

}  // namespace linecount::app
