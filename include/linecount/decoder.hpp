#pragma once
// decoder: one compressed stream's decompressor behind one interface, fed input as it comes
// and drained into the caller's buffer. A library does the work (Intel ISA-L's inflate for
// gzip where it can be loaded, zlib's elsewhere; libzstd, liblzma, libbz2, liblz4); concatenated members, frames and streams are one stream here, as
// zcat, zstd -dc, xzcat, bzcat and lz4cat see them.

#include "linecount/compression.hpp"

#include <cstddef>
#include <memory>
#include <span>

namespace linecount {

class decoder {
 public:
  struct progress {
    std::size_t consumed = 0;  ///< input bytes used (the rest must be offered again)
    std::size_t produced = 0;  ///< output bytes written
  };

  decoder() = default;
  decoder(const decoder&) = delete;
  decoder& operator=(const decoder&) = delete;
  decoder(decoder&&) = delete;
  decoder& operator=(decoder&&) = delete;
  virtual ~decoder() = default;

  /// Decodes from `input` into `output`. `input_ends`: `input` holds all that is left of the
  /// stream. Nothing consumed and nothing produced means: more input needed, or, with
  /// `input_ends`, the end of the decompressed data. Throws boost::system::system_error with
  /// a decompress_category() code for bad data (a stream cut short included), std::bad_alloc
  /// when out of memory.
  virtual progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                          bool input_ends) = 0;

  [[nodiscard]] virtual compression format() const noexcept = 0;
};

/// A decoder for `format` (not compression::none). Throws std::bad_alloc.
[[nodiscard]] std::unique_ptr<decoder> make_decoder(compression format);

}  // namespace linecount
