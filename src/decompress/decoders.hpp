#pragma once
// One factory per format (each in its own file, with its library), and the error they throw.

#include "linecount/decoder.hpp"

#include <memory>

namespace linecount::decoders {

std::unique_ptr<decoder> make_gzip();
std::unique_ptr<decoder> make_zstd();
std::unique_ptr<decoder> make_xz();
std::unique_ptr<decoder> make_bzip2();
std::unique_ptr<decoder> make_lz4();

/// Throws boost::system::system_error for `error` in data of `format`.
[[noreturn]] void fail(decompress_errc error, compression format);

}  // namespace linecount::decoders
