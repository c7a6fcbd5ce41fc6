#include "support/compressors.hpp"

#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace linecount::testing {
namespace {

// `text` deflated by zlib: `window_bits` 15 + 16 for a gzip member, -15 for raw deflate.
std::string deflated(const std::string& text, int window_bits) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&stream, text.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));  // NOLINT
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());  // NOLINT
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

// One BGZF block: a gzip header with FEXTRA holding the "BC" subfield (the block's size - 1).
std::string bgzf_block(const std::string& text) {
  const std::string body = deflated(text, -15);
  std::string block = std::string{"\x1f\x8b\x08\x04", 4};
  put_le(block, 0, 4);  // mtime
  block += '\0';         // extra flags
  block += '\xff';       // OS unknown
  put_le(block, 6, 2);   // XLEN
  block += "BC";
  put_le(block, 2, 2);
  put_le(block, static_cast<std::uint32_t>(18 + body.size() + 8 - 1), 2);
  block += body;
  put_le(block, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(text.data()),
                                                 static_cast<uInt>(text.size()))),
         4);
  put_le(block, static_cast<std::uint32_t>(text.size()), 4);
  return block;
}

std::uint32_t crc_of(const std::string& bytes) {
  return static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(bytes.data()),  // NOLINT
                                          static_cast<uInt>(bytes.size())));
}

// A member: `header`, `text` deflated, and the trailer.
std::string member(const std::string& header, const std::string& text) {
  std::string out = header + deflated(text, -15);
  put_le(out, crc_of(text), 4);
  put_le(out, static_cast<std::uint32_t>(text.size()), 4);
  return out;
}

}  // namespace

std::string bgzf(const std::string& text) { return bgzf_block(text) + bgzf_block(""); }

std::string gzip_with_full_header(const std::string& text) {
  std::string header{"\x1f\x8b\x08\x1e", 4};  // FEXTRA FNAME FCOMMENT FHCRC
  put_le(header, 1'764'000'000, 4);               // mtime
  header += '\0';
  header += '\x03';  // Unix
  const std::string extra = "AB" + std::string{"\x03\x00", 2} + "xyz" + "CD" +
                            std::string{"\x00\x00", 2};  // two subfields, one empty
  put_le(header, static_cast<std::uint32_t>(extra.size()), 2);
  header += extra;
  header += std::string{"app.log.1"} + '\0';
  header += std::string{"rotated at midnight"} + '\0';
  put_le(header, crc_of(header) & 0xffffU, 2);
  return member(header, text);
}

std::string compress(compression format, const std::string& text) {
  switch (format) {
    case compression::gzip: return deflated(text, 15 + 16);
    case compression::zstd: {
      std::string out(ZSTD_compressBound(text.size()), '\0');
      ZSTD_CCtx* context = ZSTD_createCCtx();
      ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
      const std::size_t size =
          ZSTD_compress2(context, out.data(), out.size(), text.data(), text.size());
      ZSTD_freeCCtx(context);
      if (ZSTD_isError(size) != 0U) throw std::runtime_error("ZSTD_compress2");
      out.resize(size);
      return out;
    }
    case compression::xz: {
      std::string out(lzma_stream_buffer_bound(text.size()), '\0');
      std::size_t size = 0;
      if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                  reinterpret_cast<const std::uint8_t*>(text.data()),  // NOLINT
                                  text.size(), reinterpret_cast<std::uint8_t*>(out.data()),  // NOLINT
                                  &size, out.size()) != LZMA_OK)
        throw std::runtime_error("lzma_easy_buffer_encode");
      out.resize(size);
      return out;
    }
    case compression::bzip2: {
      std::string out(text.size() + text.size() / 100 + 600, '\0');
      auto size = static_cast<unsigned>(out.size());
      std::string input = text;  // libbz2 takes a non-const pointer
      if (BZ2_bzBuffToBuffCompress(out.data(), &size, input.data(),
                                   static_cast<unsigned>(input.size()), 9, 0, 0) != BZ_OK)
        throw std::runtime_error("BZ2_bzBuffToBuffCompress");
      out.resize(size);
      return out;
    }
    case compression::lz4: {
      LZ4F_preferences_t preferences{};
      preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
      std::string out(LZ4F_compressFrameBound(text.size(), &preferences), '\0');
      const std::size_t size =
          LZ4F_compressFrame(out.data(), out.size(), text.data(), text.size(), &preferences);
      if (LZ4F_isError(size) != 0U) throw std::runtime_error("LZ4F_compressFrame");
      out.resize(size);
      return out;
    }
    case compression::none: break;
  }
  return text;
}

}  // namespace linecount::testing
