// bzip2 through libbz2; several streams one after another (pbzip2's output) read as one, as
// bzcat reads them.

#include "decompress/decoders.hpp"

#include <bzlib.h>

#include <algorithm>
#include <climits>
#include <new>

namespace linecount::decoders {
namespace {

constexpr compression bzip2 = compression::bzip2;

class bzip2_decoder final : public decoder {
 public:
  bzip2_decoder() { start(); }
  bzip2_decoder(const bzip2_decoder&) = delete;
  bzip2_decoder& operator=(const bzip2_decoder&) = delete;
  bzip2_decoder(bzip2_decoder&&) = delete;
  bzip2_decoder& operator=(bzip2_decoder&&) = delete;
  ~bzip2_decoder() override { BZ2_bzDecompressEnd(&stream_); }

  progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                  bool input_ends) override {
    if (!in_stream_) {
      // Between streams: the end, another stream ("BZh"), or bytes that are none of these.
      if (input.empty()) return {};
      if (input.size() < 3 && !input_ends) return {};
      if (input.size() < 3 || input[0] != std::byte{'B'} || input[1] != std::byte{'Z'} ||
          input[2] != std::byte{'h'})
        fail(decompress_errc::trailing_garbage, bzip2);
      BZ2_bzDecompressEnd(&stream_);
      start();
    }
    const std::size_t offered = std::min<std::size_t>(input.size(), UINT_MAX);
    const std::size_t room = std::min<std::size_t>(output.size(), UINT_MAX);
    // libbz2's API is not const-correct; it only reads the input.
    stream_.next_in = const_cast<char*>(reinterpret_cast<const char*>(input.data()));  // NOLINT
    stream_.avail_in = static_cast<unsigned>(offered);
    stream_.next_out = reinterpret_cast<char*>(output.data());  // NOLINT
    stream_.avail_out = static_cast<unsigned>(room);
    const int status = BZ2_bzDecompress(&stream_);
    const progress step{offered - stream_.avail_in, room - stream_.avail_out};
    switch (status) {
      case BZ_OK: break;
      case BZ_STREAM_END: in_stream_ = false; return step;
      case BZ_MEM_ERROR: throw std::bad_alloc();
      default: fail(decompress_errc::corrupt, bzip2);  // BZ_DATA_ERROR covers the CRCs too
    }
    if (input_ends && step.produced == 0 && step.consumed == input.size())
      fail(decompress_errc::truncated, bzip2);
    return step;
  }

  [[nodiscard]] compression format() const noexcept override { return bzip2; }

 private:
  void start() {
    stream_ = bz_stream{};
    if (BZ2_bzDecompressInit(&stream_, 0, 0) != BZ_OK) throw std::bad_alloc();
    in_stream_ = true;
  }

  bz_stream stream_{};
  bool in_stream_ = false;
};

}  // namespace

std::unique_ptr<decoder> make_bzip2() { return std::make_unique<bzip2_decoder>(); }

}  // namespace linecount::decoders
