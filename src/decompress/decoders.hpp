#pragma once
// One factory per format (each in its own file, with its library), and the error they throw.

#include "linecount/decoder.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace linecount::decoders {

/// gzip through ISA-L where it can be loaded, else through zlib: the two below.
std::unique_ptr<decoder> make_gzip();
std::unique_ptr<decoder> make_gzip_zlib();
/// nullptr where ISA-L cannot be loaded (decompress/isal_library.hpp).
std::unique_ptr<decoder> make_gzip_isal();
std::unique_ptr<decoder> make_zstd();
std::unique_ptr<decoder> make_xz();
std::unique_ptr<decoder> make_bzip2();
std::unique_ptr<decoder> make_lz4();

/// Throws boost::system::system_error for `error` in data of `format`.
[[noreturn]] void fail(decompress_errc error, compression format);

/// Between two frames of zstd or lz4 (which share the skippable frame): whether `input`
/// starts a frame whose magic number (little-endian) is `magic`, or a skippable frame.
/// False if it holds too few bytes to tell and more may come; anything else is trailing
/// garbage, thrown.
bool next_frame_starts(std::span<const std::byte> input, bool input_ends, std::uint32_t magic,
                       compression format);

}  // namespace linecount::decoders
