#pragma once
// The compressed formats linecount reads (-z), told apart by their magic numbers, never by a
// file's name, and the errors their decoders report.

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <span>
#include <string_view>

namespace linecount {

enum class compression : unsigned char {
  none,
  gzip,   ///< RFC 1952, one member or several (BGZF included)
  zstd,   ///< one frame or several
  xz,     ///< one stream or several
  bzip2,  ///< one stream or several (pbzip2's output)
  lz4,    ///< the lz4 frame format, one frame or several
};

/// The format's name as its tools say it ("gzip", "zstd", "xz", "bzip2", "lz4"; "" for none).
[[nodiscard]] std::string_view compression_name(compression format) noexcept;

/// Bytes detect_compression() needs to see, unless the stream is shorter.
inline constexpr std::size_t magic_size = 10;

/// The format whose magic number `head` (a stream's first bytes: magic_size of them, or the
/// whole stream if it is shorter) starts with; none if it matches none.
[[nodiscard]] compression detect_compression(std::span<const std::byte> head) noexcept;

/// What went wrong in compressed data, in the words of GNU gzip -t.
enum class decompress_errc : unsigned char {
  corrupt = 1,        ///< "corrupt compressed data"
  truncated,          ///< "unexpected end of compressed data"
  checksum,           ///< "checksum mismatch in compressed data" (CRC, length or content check)
  trailing_garbage,   ///< "trailing garbage after compressed data"
  needs_more_memory,  ///< "compressed data needs too much memory" (a window beyond the limit)
};

/// The error code for `error` in data of `format`; its message names both:
/// "unexpected end of compressed data (gzip)".
[[nodiscard]] boost::system::error_code make_error_code(decompress_errc error,
                                                        compression format) noexcept;

/// The category of those error codes.
[[nodiscard]] const boost::system::error_category& decompress_category() noexcept;

}  // namespace linecount
