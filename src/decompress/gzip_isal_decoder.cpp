// gzip through Intel ISA-L's inflate (igzip), loaded at run time: decompress/isal_library.hpp.
// The same contract as the zlib decoder beside it (gzip_decoder.cpp), and the same tests.

#include "decompress/decoders.hpp"
#include "decompress/gzip_header.hpp"
#include "decompress/isal_library.hpp"

#if __has_include(<isa-l/igzip_lib.h>)
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace linecount::decoders {
namespace {

constexpr compression gzip = compression::gzip;
// The header is read here (gzip_header_reader: ISA-L parses one only when it comes whole);
// ISA-L inflates what follows it and checks the trailer's CRC32 and ISIZE.
constexpr std::uint32_t inflate_only = ISAL_GZIP_NO_HDR_VER;

class gzip_isal_decoder final : public decoder {
 public:
  explicit gzip_isal_decoder(const isal_library& isal)
      : isal_(isal), state_(std::make_unique<inflate_state>()) {
    isal_.inflate_init(state_.get());
    state_->crc_flag = inflate_only;
  }

  progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                  bool input_ends) override {
    if (!in_member_) {
      // Between members: the end, another member, or bytes that are none of these.
      if (!gzip_member_starts(input, input_ends)) return {};
      isal_.inflate_reset(state_.get());
      state_->crc_flag = inflate_only;
      header_.reset();
      in_member_ = true;
    }
    std::size_t header_size = 0;
    if (!header_.done()) {
      header_size = header_.take(input);
      if (!header_.done()) {
        if (input_ends) fail(decompress_errc::truncated, gzip);
        return {header_size, 0};
      }
      input = input.subspan(header_size);
    }
    // ISA-L counts in uint32_t: larger spans are taken a part at a time.
    constexpr std::size_t most = std::numeric_limits<std::uint32_t>::max();
    const std::size_t offered = std::min(input.size(), most);
    const std::size_t room = std::min(output.size(), most);
    // ISA-L's API is not const-correct; inflate only reads the input.
    state_->next_in = reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(input.data()));  // NOLINT
    state_->avail_in = static_cast<std::uint32_t>(offered);
    state_->next_out = reinterpret_cast<std::uint8_t*>(output.data());  // NOLINT
    state_->avail_out = static_cast<std::uint32_t>(room);
    const int status = isal_.inflate(state_.get());
    const progress step{header_size + offered - state_->avail_in, room - state_->avail_out};
    if (status == ISAL_INCORRECT_CHECKSUM) fail(decompress_errc::checksum, gzip);
    if (status != ISAL_DECOMP_OK) fail(decompress_errc::corrupt, gzip);
    if (state_->block_state == ISAL_BLOCK_FINISH) {  // the trailer is read and checked
      in_member_ = false;
      return step;
    }
    // Inside a member, with all the input there is, and nothing more came out: cut short.
    // (ISA-L takes input into its own buffer before it can decode it, so taking all of it
    // is no sign of the end; producing nothing from the last of it is.)
    if (input_ends && step.produced == 0 && offered == input.size() && state_->avail_in == 0)
      fail(decompress_errc::truncated, gzip);
    return step;
  }

  [[nodiscard]] compression format() const noexcept override { return gzip; }

 private:
  const isal_library& isal_;
  std::unique_ptr<inflate_state> state_;  // 85 KiB: its window and buffers
  gzip_header_reader header_;
  bool in_member_ = true;  // the first member's magic number was what chose this decoder
};

}  // namespace

std::unique_ptr<decoder> make_gzip_isal() {
  const isal_library* isal = load_isal();
  if (isal == nullptr) return nullptr;
  return std::make_unique<gzip_isal_decoder>(*isal);
}

}  // namespace linecount::decoders

#else  // built without ISA-L's header: zlib inflates gzip

namespace linecount::decoders {
std::unique_ptr<decoder> make_gzip_isal() { return nullptr; }
}  // namespace linecount::decoders

#endif
