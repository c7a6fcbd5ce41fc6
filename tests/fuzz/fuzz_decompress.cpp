// libFuzzer target: every decoder on random and mutated input, fed in pieces whose sizes the
// input chooses. None may crash, read or write out of bounds, or loop without progress, and
// what one decodes is bounded (a bomb stops at the cap: memory stays bounded).
//
// Input: byte 0 picks the decoder: 0-4 the five formats as make_decoder() gives them (gzip
// through ISA-L where it can be loaded), 5 gzip through zlib, anything else the one the
// magic number chooses, as linecount does; byte 1 picks the piece size; the rest is the
// compressed data.

#include "decompress/decoders.hpp"
#include "linecount/compression.hpp"
#include "linecount/decoder.hpp"

#include <boost/system/system_error.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <span>

namespace {

constexpr std::array formats{linecount::compression::gzip, linecount::compression::zstd,
                             linecount::compression::xz, linecount::compression::bzip2,
                             linecount::compression::lz4};
constexpr std::uint8_t gzip_through_zlib = formats.size();
constexpr std::size_t decoded_cap = std::size_t{64} << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::span input{reinterpret_cast<const std::byte*>(data + 2), size - 2};  // NOLINT
  linecount::compression format = linecount::detect_compression(input);
  if (data[0] < formats.size()) format = formats[data[0]];
  if (data[0] == gzip_through_zlib) format = linecount::compression::gzip;
  if (format == linecount::compression::none) return 0;
  const std::size_t piece = std::size_t{data[1]} * 61 + 1;

  static std::array<std::byte, 65536> output;
  try {
    auto decoder = data[0] == gzip_through_zlib ? linecount::decoders::make_gzip_zlib()
                                                : linecount::make_decoder(format);
    std::size_t at = 0;
    std::size_t offered = std::min(piece, input.size());
    std::size_t decoded = 0;
    while (decoded < decoded_cap) {
      const bool ends = offered == input.size();
      const auto step = decoder->decode(input.subspan(at, offered - at), output, ends);
      if (step.consumed > offered - at || step.produced > output.size()) std::abort();
      at += step.consumed;
      decoded += step.produced;
      const bool stalled = step.consumed == 0 && step.produced == 0;
      if (stalled && ends) break;  // the end of the data
      // More input once this piece is used up, or when the decoder waits for more.
      if (stalled || at == offered) offered = std::min(offered + piece, input.size());
    }
  } catch (const boost::system::system_error& error) {
    if (&error.code().category() != &linecount::decompress_category()) std::abort();
  } catch (const std::bad_alloc&) {
    // a header that asks for more than the decoder may hold
  }
  return 0;
}
