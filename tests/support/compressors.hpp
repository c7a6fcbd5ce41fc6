#pragma once
// Compressed test data, made with each format's own library (the encoders that the decoders
// under test must agree with).

#include "linecount/compression.hpp"

#include <string>

namespace linecount::testing {

/// `text` compressed as one gzip member, zstd frame, xz stream, bzip2 stream or lz4 frame.
[[nodiscard]] std::string compress(compression format, const std::string& text);

/// `text` as one BGZF block (a gzip member whose extra field says its size) followed by
/// BGZF's empty end-of-file block, as bgzip writes it.
[[nodiscard]] std::string bgzf(const std::string& text);

/// `text` as one gzip member whose header has every optional part: an extra field, a name,
/// a comment and the header's own CRC16 (FEXTRA, FNAME, FCOMMENT, FHCRC).
[[nodiscard]] std::string gzip_with_full_header(const std::string& text);

}  // namespace linecount::testing
