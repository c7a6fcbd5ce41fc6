#pragma once
// gzip_header_reader: reads one gzip member's header (RFC 1952, 2.3) from input that comes
// in pieces of any size, for a decoder whose library inflates only what follows the header.
// (ISA-L parses a header only when it comes whole in one call: intel/isa-l issue 224.)

#include <cstddef>
#include <cstdint>
#include <span>

namespace linecount::decoders {

/// Between two gzip members: whether `input` starts another member. False if it is empty or
/// holds too few bytes to tell and more may come; anything else is trailing garbage, thrown.
bool gzip_member_starts(std::span<const std::byte> input, bool input_ends);

class gzip_header_reader {
 public:
  /// Takes what it can of the header from the front of `input` and returns how much it took:
  /// all of `input` while the header goes on. Throws the decoders' corrupt error, as zlib
  /// does, for a header that is not gzip's (not deflate, reserved flags set) or whose own
  /// CRC16 does not match.
  std::size_t take(std::span<const std::byte> input);

  [[nodiscard]] bool done() const noexcept { return part_ == part::done; }

  /// Ready for the next member's header.
  void reset() noexcept { *this = gzip_header_reader{}; }

 private:
  enum class part : unsigned char { fixed, extra_length, extra, name, comment, header_crc, done };

  // To the first part after `finished` that this header's flags say it has.
  void advance_from(part finished) noexcept;

  part part_ = part::fixed;
  std::uint8_t flags_ = 0;
  std::uint32_t left_ = 10;  // bytes of a part of known size still to come
  std::uint32_t crc_ = 0;    // CRC32 of the header so far, for FHCRC
  std::uint16_t word_ = 0;   // XLEN or the CRC16, as it comes in, little-endian
};

}  // namespace linecount::decoders
