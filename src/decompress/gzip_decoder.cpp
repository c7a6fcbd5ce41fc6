// gzip through zlib's inflate, where ISA-L's faster one cannot be loaded
// (gzip_isal_decoder.cpp); make_gzip() chooses.

#include "decompress/decoders.hpp"
#include "decompress/gzip_header.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>

namespace linecount::decoders {
namespace {

constexpr compression gzip = compression::gzip;

class gzip_decoder final : public decoder {
 public:
  gzip_decoder() {
    // 15 + 16: a gzip wrapper only (not zlib's, not raw deflate), with the largest window.
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) throw std::bad_alloc();
  }
  gzip_decoder(const gzip_decoder&) = delete;
  gzip_decoder& operator=(const gzip_decoder&) = delete;
  gzip_decoder(gzip_decoder&&) = delete;
  gzip_decoder& operator=(gzip_decoder&&) = delete;
  ~gzip_decoder() override { inflateEnd(&stream_); }

  progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                  bool input_ends) override {
    if (!in_member_) {
      // Between members: the end, another member, or bytes that are none of these.
      if (!gzip_member_starts(input, input_ends)) return {};
      if (inflateReset(&stream_) != Z_OK) fail(decompress_errc::corrupt, gzip);
      in_member_ = true;
    }
    // zlib counts in unsigned int: larger spans are taken a part at a time.
    const std::size_t offered = std::min<std::size_t>(input.size(), UINT_MAX);
    const std::size_t room = std::min<std::size_t>(output.size(), UINT_MAX);
    // zlib's API is not const-correct; inflate() only reads the input.
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(input.data()));  // NOLINT
    stream_.avail_in = static_cast<uInt>(offered);
    stream_.next_out = reinterpret_cast<Bytef*>(output.data());  // NOLINT
    stream_.avail_out = static_cast<uInt>(room);
    const int status = inflate(&stream_, Z_NO_FLUSH);
    const progress step{offered - stream_.avail_in, room - stream_.avail_out};
    switch (status) {
      case Z_STREAM_END: in_member_ = false; return step;
      case Z_OK:
      case Z_BUF_ERROR:  // no progress was possible: more input (or room) needed
        break;
      case Z_MEM_ERROR: throw std::bad_alloc();
      case Z_DATA_ERROR:
        // zlib's own words for the trailer's two checks.
        if (stream_.msg != nullptr && (std::strcmp(stream_.msg, "incorrect data check") == 0 ||
                                       std::strcmp(stream_.msg, "incorrect length check") == 0))
          fail(decompress_errc::checksum, gzip);
        fail(decompress_errc::corrupt, gzip);
      default: fail(decompress_errc::corrupt, gzip);
    }
    // Inside a member, with all the input there is, and nothing more came out: cut short.
    if (input_ends && step.produced == 0 && step.consumed == input.size())
      fail(decompress_errc::truncated, gzip);
    return step;
  }

  [[nodiscard]] compression format() const noexcept override { return gzip; }

 private:
  z_stream stream_{};
  bool in_member_ = true;  // the first member's magic number was what chose this decoder
};

}  // namespace

std::unique_ptr<decoder> make_gzip_zlib() { return std::make_unique<gzip_decoder>(); }

std::unique_ptr<decoder> make_gzip() {
  if (auto isal = make_gzip_isal()) return isal;
  return make_gzip_zlib();
}

}  // namespace linecount::decoders
