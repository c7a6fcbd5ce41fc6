// zstd through libzstd's streaming decompression, which goes on from frame to frame (and
// over skippable frames) by itself.

#include "decompress/decoders.hpp"

#include <zstd.h>
#include <zstd_errors.h>

#include <new>

namespace linecount::decoders {
namespace {

constexpr compression zstd = compression::zstd;

class zstd_decoder final : public decoder {
 public:
  zstd_decoder() : stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) throw std::bad_alloc();
  }
  zstd_decoder(const zstd_decoder&) = delete;
  zstd_decoder& operator=(const zstd_decoder&) = delete;
  zstd_decoder(zstd_decoder&&) = delete;
  zstd_decoder& operator=(zstd_decoder&&) = delete;
  ~zstd_decoder() override { ZSTD_freeDStream(stream_); }

  progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                  bool input_ends) override {
    if (frame_done_) {
      // Between frames: the end, another frame, or bytes that are neither.
      if (input.empty()) return {};
      if (!next_frame_starts(input, input_ends, 0xfd2fb528, zstd)) return {};  // more to come
    }
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    ZSTD_outBuffer out{output.data(), output.size(), 0};
    const std::size_t hint = ZSTD_decompressStream(stream_, &out, &in);
    if (ZSTD_isError(hint) != 0U) {
      switch (ZSTD_getErrorCode(hint)) {
        case ZSTD_error_checksum_wrong: fail(decompress_errc::checksum, zstd);
        case ZSTD_error_memory_allocation: throw std::bad_alloc();
        case ZSTD_error_frameParameter_windowTooLarge:
          fail(decompress_errc::needs_more_memory, zstd);
        default: fail(decompress_errc::corrupt, zstd);
      }
    }
    frame_done_ = hint == 0;  // a frame ended here, and all of it was written out
    const progress step{in.pos, out.pos};
    if (input_ends && !frame_done_ && step.produced == 0 && step.consumed == input.size())
      fail(decompress_errc::truncated, zstd);
    return step;
  }

  [[nodiscard]] compression format() const noexcept override { return zstd; }

 private:
  ZSTD_DStream* stream_;
  bool frame_done_ = false;
};

}  // namespace

std::unique_ptr<decoder> make_zstd() { return std::make_unique<zstd_decoder>(); }

}  // namespace linecount::decoders
