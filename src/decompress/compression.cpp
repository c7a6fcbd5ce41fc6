#include "linecount/compression.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace linecount {
namespace {

struct magic {
  compression format;
  std::array<std::uint8_t, magic_size> bytes;
  std::size_t size;
};

// Three bytes for gzip (the deflate method included), the whole block or end-of-stream
// marker for bzip2: "BZh9" alone starts ordinary text too often.
constexpr std::array magics{
    magic{compression::gzip, {0x1f, 0x8b, 0x08}, 3},
    magic{compression::zstd, {0x28, 0xb5, 0x2f, 0xfd}, 4},
    magic{compression::xz, {0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00}, 6},
    magic{compression::lz4, {0x04, 0x22, 0x4d, 0x18}, 4},
};

bool starts_with(std::span<const std::byte> head, std::span<const std::uint8_t> prefix) {
  return head.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), head.begin(),
                    [](std::uint8_t want, std::byte have) { return std::byte{want} == have; });
}

bool is_bzip2(std::span<const std::byte> head) {
  constexpr std::array<std::uint8_t, 3> signature{'B', 'Z', 'h'};
  constexpr std::array<std::uint8_t, 6> block{0x31, 0x41, 0x59, 0x26, 0x53, 0x59};   // pi
  constexpr std::array<std::uint8_t, 6> finish{0x17, 0x72, 0x45, 0x38, 0x50, 0x90};  // sqrt(pi)
  if (!starts_with(head, signature) || head.size() < 10) return false;
  const auto level = static_cast<unsigned char>(head[3]);
  if (level < '1' || level > '9') return false;
  const auto rest = head.subspan(4);
  return starts_with(rest, block) || starts_with(rest, finish);
}

// Boost's error_category has a protected, non-virtual destructor by design: categories are
// static objects, never deleted through a base pointer.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class decompress_error_category final : public boost::system::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "linecount.decompress"; }
  // The value carries the error and the format: error * 8 + format.
  [[nodiscard]] std::string message(int value) const override {
    const auto format = static_cast<compression>(value % 8);
    return std::string{what(static_cast<decompress_errc>(value / 8))} + " (" +
           std::string{compression_name(format)} + ")";
  }

 private:
  static std::string_view what(decompress_errc error) noexcept {
    switch (error) {
      case decompress_errc::corrupt: break;
      case decompress_errc::truncated: return "unexpected end of compressed data";
      case decompress_errc::checksum: return "checksum mismatch in compressed data";
      case decompress_errc::trailing_garbage: return "trailing garbage after compressed data";
      case decompress_errc::needs_more_memory: return "compressed data needs too much memory";
    }
    return "corrupt compressed data";
  }
};
#pragma GCC diagnostic pop

}  // namespace

std::string_view compression_name(compression format) noexcept {
  switch (format) {
    case compression::none: return "";
    case compression::gzip: return "gzip";
    case compression::zstd: return "zstd";
    case compression::xz: return "xz";
    case compression::bzip2: return "bzip2";
    case compression::lz4: return "lz4";
  }
  return "";
}

compression detect_compression(std::span<const std::byte> head) noexcept {
  for (const magic& candidate : magics)
    if (starts_with(head, std::span{candidate.bytes}.first(candidate.size)))
      return candidate.format;
  if (is_bzip2(head)) return compression::bzip2;
  return compression::none;
}

const boost::system::error_category& decompress_category() noexcept {
  static const decompress_error_category category;
  return category;
}

boost::system::error_code make_error_code(decompress_errc error, compression format) noexcept {
  return {static_cast<int>(error) * 8 + static_cast<int>(format), decompress_category()};
}

}  // namespace linecount
