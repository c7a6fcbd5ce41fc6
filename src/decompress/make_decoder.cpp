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

bool next_frame_starts(std::span<const std::byte> input, bool input_ends, std::uint32_t magic,
                       compression format) {
  if (input.size() < 4) {
    if (input_ends) fail(decompress_errc::trailing_garbage, format);
    return false;
  }
  std::uint32_t first = 0;
  for (std::size_t at = 4; at-- > 0;) first = first << 8U | std::to_integer<std::uint32_t>(input[at]);
  constexpr std::uint32_t skippable = 0x184d2a50;  // ... to 0x184d2a5f
  if (first != magic && (first & 0xfffffff0U) != skippable)
    fail(decompress_errc::trailing_garbage, format);
  return true;
}

}  // namespace decoders
}  // namespace linecount
