#include "decompress/gzip_header.hpp"

#include "decompress/decoders.hpp"

#include <zlib.h>

namespace linecount::decoders {
namespace {

// FLG's bits (RFC 1952, 2.3.1); the three high bits are reserved and must be zero.
constexpr std::uint8_t fhcrc = 0x02;
constexpr std::uint8_t fextra = 0x04;
constexpr std::uint8_t fname = 0x08;
constexpr std::uint8_t fcomment = 0x10;
constexpr std::uint8_t reserved = 0xe0;

[[noreturn]] void corrupt() { fail(decompress_errc::corrupt, compression::gzip); }

}  // namespace

bool gzip_member_starts(std::span<const std::byte> input, bool input_ends) {
  if (input.empty() || (input.size() < 2 && !input_ends)) return false;
  if (input.size() < 2 || input[0] != std::byte{0x1f} || input[1] != std::byte{0x8b})
    fail(decompress_errc::trailing_garbage, compression::gzip);
  return true;
}

// A byte at a time: headers are a few dozen bytes (BGZF's 18), and each part may end
// anywhere in a piece of input.
std::size_t gzip_header_reader::take(std::span<const std::byte> input) {
  std::size_t taken = 0;
  while (part_ != part::done && taken < input.size()) {
    const std::byte byte = input[taken++];
    const auto value = std::to_integer<std::uint8_t>(byte);
    if (part_ != part::header_crc)  // FHCRC covers every byte before it
      crc_ = static_cast<std::uint32_t>(crc32(crc_, reinterpret_cast<const Bytef*>(&byte), 1));  // NOLINT
    switch (part_) {
      case part::fixed:  // ID1 ID2 CM FLG MTIME(4) XFL OS
        switch (10 - left_) {
          case 0: if (value != 0x1f) corrupt(); break;
          case 1: if (value != 0x8b) corrupt(); break;
          case 2: if (value != 8) corrupt(); break;  // deflate, the only method defined
          case 3:
            if ((value & reserved) != 0) corrupt();
            flags_ = value;
            break;
          default: break;
        }
        if (--left_ == 0) advance_from(part::fixed);
        break;
      case part::extra_length:  // XLEN, little-endian
        word_ = static_cast<std::uint16_t>(word_ | value << (8U * (2 - left_)));
        if (--left_ == 0) {
          part_ = part::extra;
          left_ = word_;
          if (left_ == 0) advance_from(part::extra);
        }
        break;
      case part::extra:
        if (--left_ == 0) advance_from(part::extra);
        break;
      case part::name:
      case part::comment:  // zero-terminated
        if (value == 0) advance_from(part_);
        break;
      case part::header_crc:  // the low 16 bits of the CRC32 of the header before it
        word_ = static_cast<std::uint16_t>(word_ | value << (8U * (2 - left_)));
        if (--left_ == 0) {
          if (word_ != (crc_ & 0xffffU)) corrupt();
          part_ = part::done;
        }
        break;
      case part::done: break;
    }
  }
  return taken;
}

void gzip_header_reader::advance_from(part finished) noexcept {
  part_ = finished;
  for (;;) {
    part_ = static_cast<part>(static_cast<unsigned char>(part_) + 1);
    switch (part_) {
      case part::extra_length:
        if ((flags_ & fextra) != 0) {
          left_ = 2;
          word_ = 0;
          return;
        }
        break;
      case part::name:
        if ((flags_ & fname) != 0) return;
        break;
      case part::comment:
        if ((flags_ & fcomment) != 0) return;
        break;
      case part::header_crc:
        if ((flags_ & fhcrc) != 0) {
          left_ = 2;
          word_ = 0;
          return;
        }
        break;
      case part::done: return;
      case part::fixed:
      case part::extra: break;  // extra: only after an XLEN that is not zero
    }
  }
}

}  // namespace linecount::decoders
