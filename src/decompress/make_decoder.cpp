#include "decompress/decoders.hpp"

#include <boost/system/system_error.hpp>

#include <stdexcept>

namespace linecount {

std::unique_ptr<decoder> make_decoder(compression format) {
  switch (format) {
    case compression::gzip: return decoders::make_gzip();
    case compression::zstd: return decoders::make_zstd();
    case compression::xz: return decoders::make_xz();
    case compression::bzip2: return decoders::make_bzip2();
    case compression::lz4: return decoders::make_lz4();
    case compression::none: break;
  }
  throw std::invalid_argument("make_decoder: not a compressed format");
}

namespace decoders {

void fail(decompress_errc error, compression format) {
  throw boost::system::system_error(make_error_code(error, format));
}

}  // namespace decoders
}  // namespace linecount
