// xz through liblzma, concatenated streams (and the padding between them) included, as xzcat
// reads them.

#include "decompress/decoders.hpp"

#include <lzma.h>

#include <cstdint>
#include <new>

namespace linecount::decoders {
namespace {

constexpr compression xz = compression::xz;
// What a stream may ask the decoder to hold: xz -9 (and -9e) needs 65 MiB, so every preset
// fits; a larger dictionary, set by hand, is refused with a message rather than counted
// with an unbounded allocation (zstd's own default bound is a 128 MiB window).
constexpr std::uint64_t memory_limit = std::uint64_t{256} << 20;

class xz_decoder final : public decoder {
 public:
  xz_decoder() {
    if (lzma_stream_decoder(&stream_, memory_limit, LZMA_CONCATENATED) != LZMA_OK)
      throw std::bad_alloc();
  }
  xz_decoder(const xz_decoder&) = delete;
  xz_decoder& operator=(const xz_decoder&) = delete;
  xz_decoder(xz_decoder&&) = delete;
  xz_decoder& operator=(xz_decoder&&) = delete;
  ~xz_decoder() override { lzma_end(&stream_); }

  progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                  bool input_ends) override {
    if (finished_) {
      if (!input.empty()) fail(decompress_errc::trailing_garbage, xz);
      return {};
    }
    stream_.next_in = reinterpret_cast<const std::uint8_t*>(input.data());  // NOLINT
    stream_.avail_in = input.size();
    stream_.next_out = reinterpret_cast<std::uint8_t*>(output.data());  // NOLINT
    stream_.avail_out = output.size();
    // With LZMA_CONCATENATED, the end is known only when told there is no more input.
    const lzma_ret status = lzma_code(&stream_, input_ends ? LZMA_FINISH : LZMA_RUN);
    const progress step{input.size() - stream_.avail_in, output.size() - stream_.avail_out};
    switch (status) {
      case LZMA_OK: break;
      case LZMA_STREAM_END: finished_ = true; return step;
      case LZMA_BUF_ERROR:  // no progress possible
        if (input_ends) fail(decompress_errc::truncated, xz);
        break;
      case LZMA_MEM_ERROR: throw std::bad_alloc();
      case LZMA_MEMLIMIT_ERROR: fail(decompress_errc::needs_more_memory, xz);
      default: fail(decompress_errc::corrupt, xz);  // LZMA_DATA_ERROR covers the checks too
    }
    if (input_ends && step.produced == 0 && step.consumed == input.size())
      fail(decompress_errc::truncated, xz);
    return step;
  }

  [[nodiscard]] compression format() const noexcept override { return xz; }

 private:
  lzma_stream stream_ = LZMA_STREAM_INIT;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<decoder> make_xz() { return std::make_unique<xz_decoder>(); }

}  // namespace linecount::decoders
