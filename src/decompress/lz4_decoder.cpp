// lz4's frame format through liblz4's LZ4F API, which goes on from frame to frame (and over
// skippable frames) by itself.

#include "decompress/decoders.hpp"

#include <lz4frame.h>

#include <cstring>
#include <new>

namespace linecount::decoders {
namespace {

constexpr compression lz4 = compression::lz4;

class lz4_decoder final : public decoder {
 public:
  lz4_decoder() {
    if (LZ4F_isError(LZ4F_createDecompressionContext(&context_, LZ4F_VERSION)) != 0U)
      throw std::bad_alloc();
  }
  lz4_decoder(const lz4_decoder&) = delete;
  lz4_decoder& operator=(const lz4_decoder&) = delete;
  lz4_decoder(lz4_decoder&&) = delete;
  lz4_decoder& operator=(lz4_decoder&&) = delete;
  ~lz4_decoder() override { LZ4F_freeDecompressionContext(context_); }

  progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                  bool input_ends) override {
    if (frame_done_) {
      // Between frames: the end, another frame, or bytes that are neither.
      if (input.empty()) return {};
      if (!next_frame_starts(input, input_ends, 0x184d2204, lz4)) return {};  // more to come
    }
    std::size_t consumed = input.size();
    std::size_t produced = output.size();
    const std::size_t hint =
        LZ4F_decompress(context_, output.data(), &produced, input.data(), &consumed, nullptr);
    if (LZ4F_isError(hint) != 0U) {
      // liblz4 1.9 exposes its error codes only to static linking; its names are stable.
      const char* name = LZ4F_getErrorName(hint);
      if (std::strstr(name, "Checksum_invalid") != nullptr) fail(decompress_errc::checksum, lz4);
      if (std::strstr(name, "allocation") != nullptr) throw std::bad_alloc();
      fail(decompress_errc::corrupt, lz4);
    }
    frame_done_ = hint == 0;  // a frame ended here, and all of it was written out
    const progress step{consumed, produced};
    if (input_ends && !frame_done_ && step.produced == 0 && step.consumed == input.size())
      fail(decompress_errc::truncated, lz4);
    return step;
  }

  [[nodiscard]] compression format() const noexcept override { return lz4; }

 private:
  LZ4F_dctx* context_ = nullptr;
  bool frame_done_ = false;
};

}  // namespace

std::unique_ptr<decoder> make_lz4() { return std::make_unique<lz4_decoder>(); }

}  // namespace linecount::decoders
