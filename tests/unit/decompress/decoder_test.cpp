// Each format's decoder against its own library's encoder: whole, in pieces as small as a
// byte, concatenated, cut short at every point, with damage and with trailing bytes. gzip
// has two decoders (ISA-L's, zlib's where ISA-L cannot be loaded): both are tested.

#include "support/compressors.hpp"

#include "decompress/decoders.hpp"
#include "decompress/isal_library.hpp"
#include "linecount/decoder.hpp"

#include <boost/system/system_error.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace {

using linecount::compression;
using linecount::decompress_errc;
using linecount::testing::compress;

// A decoder under test: its format and the factory that makes it.
struct implementation {
  compression format;
  const char* name;
  std::unique_ptr<linecount::decoder> (*make)();
};

namespace decoders = linecount::decoders;
const implementation gzip_zlib{compression::gzip, "gzip_zlib", &decoders::make_gzip_zlib};
const implementation gzip_isal{compression::gzip, "gzip_isal", &decoders::make_gzip_isal};
const implementation zstd{compression::zstd, "zstd", &decoders::make_zstd};
const implementation xz{compression::xz, "xz", &decoders::make_xz};
const implementation bzip2{compression::bzip2, "bzip2", &decoders::make_bzip2};
const implementation lz4{compression::lz4, "lz4", &decoders::make_lz4};

std::string test_name(const ::testing::TestParamInfo<implementation>& info) {
  return info.param.name;
}

std::string sample_text(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i)
    text += "2026-12-02 16:00:" + std::to_string(i % 60) + " app[" + std::to_string(i) +
            "]: request served\n";
  return text;
}

std::span<const std::byte> bytes_of(const std::string& text) {
  return std::as_bytes(std::span{text.data(), text.size()});
}

// Everything `data` decodes to, fed `in_piece` bytes at a time into `out_piece` bytes of room.
std::string decode_all(const implementation& tested, const std::string& data,
                       std::size_t in_piece, std::size_t out_piece) {
  auto decoder = tested.make();
  EXPECT_EQ(decoder->format(), tested.format);
  const auto input = bytes_of(data);
  std::string result;
  std::vector<std::byte> out(out_piece);
  std::size_t offered_end = std::min(in_piece, input.size());
  std::size_t at = 0;
  for (int calls = 0; calls < 10'000'000; ++calls) {
    const bool ends = offered_end == input.size();
    const auto step = decoder->decode(input.subspan(at, offered_end - at), out, ends);
    at += step.consumed;
    result.append(reinterpret_cast<const char*>(out.data()), step.produced);  // NOLINT
    if (step.consumed == 0 && step.produced == 0) {
      if (ends) {
        EXPECT_EQ(at, input.size()) << "the decoder ended with input left over";
        return result;
      }
      offered_end = std::min(offered_end + in_piece, input.size());
    }
    if (at == offered_end && !ends) offered_end = std::min(offered_end + in_piece, input.size());
  }
  ADD_FAILURE() << "the decoder never finished";
  return result;
}

// The error decoding `data` gives, if any.
std::optional<boost::system::error_code> decode_error(const implementation& tested,
                                                      const std::string& data,
                                                      std::size_t in_piece = 4096) {
  try {
    (void)decode_all(tested, data, in_piece, 4096);
  } catch (const boost::system::system_error& error) {
    return error.code();
  }
  return std::nullopt;
}

// Skips where ISA-L cannot be loaded (scripts/setup.sh installs it; IsalLibrary checks that).
class DecoderTest : public ::testing::TestWithParam<implementation> {
 protected:
  void SetUp() override {
    if (GetParam().make() == nullptr) GTEST_SKIP() << GetParam().name << " cannot be loaded";
  }
  static const implementation& tested() { return GetParam(); }
  static compression format() { return GetParam().format; }
};

TEST_P(DecoderTest, DecodesWhatItsLibraryEncoded) {
  const std::string text = sample_text(20'000);
  const std::string data = compress(format(), text);
  EXPECT_EQ(decode_all(tested(), data, data.size(), 1 << 20), text);
  EXPECT_EQ(decode_all(tested(), data, 4096, 65536), text);
}

TEST_P(DecoderTest, DecodesInPiecesOfOneByte) {
  const std::string text = sample_text(300);
  const std::string data = compress(format(), text);
  EXPECT_EQ(decode_all(tested(), data, 1, 7), text);
  EXPECT_EQ(decode_all(tested(), data, 1, 1), text);
}

TEST_P(DecoderTest, EmptyInputCompressed) {
  EXPECT_EQ(decode_all(tested(), compress(format(), ""), 4096, 4096), "");
}

TEST_P(DecoderTest, ConcatenatedStreamsReadAsOne) {
  const std::string first = sample_text(1000);
  const std::string second = "one more line\nand a last one without newline";
  const std::string data =
      compress(format(), first) + compress(format(), "") + compress(format(), second);
  EXPECT_EQ(decode_all(tested(), data, 4096, 4096), first + second);
  EXPECT_EQ(decode_all(tested(), data, 3, 5), first + second);
  // A byte at a time: every boundary between streams falls between two pieces somewhere.
  EXPECT_EQ(decode_all(tested(), data, 1, 5), first + second);
}

TEST_P(DecoderTest, EveryCutIsAnUnexpectedEnd) {
  const std::string data = compress(format(), sample_text(50));
  const auto truncated = linecount::make_error_code(decompress_errc::truncated, format());
  for (std::size_t size = 1; size < data.size(); ++size) {
    const auto error = decode_error(tested(), data.substr(0, size), 16);
    ASSERT_TRUE(error.has_value()) << "cut at " << size << " of " << data.size();
    EXPECT_EQ(*error, truncated) << "cut at " << size << ": " << error->message();
  }
}

TEST_P(DecoderTest, DamageIsReportedNeverMissed) {
  // Every byte flipped in turn: each either gives an error or (where the format has no
  // check over that byte, as in a header's unused field) the right text. None may crash,
  // and the checksummed formats must catch every flip inside the compressed data.
  const std::string text = sample_text(200);
  const std::string data = compress(format(), text);
  int caught = 0;
  for (std::size_t at = 0; at < data.size(); ++at) {
    std::string damaged = data;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x55);
    try {
      const std::string result = decode_all(tested(), damaged, 512, 4096);
      EXPECT_EQ(result, text) << "a flip at " << at << " went unnoticed and changed the text";
    } catch (const boost::system::system_error& error) {
      EXPECT_EQ(&error.code().category(), &linecount::decompress_category()) << error.what();
      ++caught;
    }
  }
  EXPECT_GT(caught, static_cast<int>(data.size()) * 9 / 10);
}

TEST_P(DecoderTest, TrailingBytesAreAnError) {
  for (const std::string trailer : {"trailing text\n", "\n", "abc"}) {
    const std::string data = compress(format(), sample_text(100)) + trailer;
    const auto error = decode_error(tested(), data);
    ASSERT_TRUE(error.has_value()) << trailer;
    EXPECT_EQ(&error->category(), &linecount::decompress_category());
    // xz's library tells trailing bytes from damage only as "corrupt".
    if (format() != compression::xz) {
      EXPECT_EQ(*error, make_error_code(decompress_errc::trailing_garbage, format()))
          << "after " << trailer.size() << " bytes: " << error->message();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, DecoderTest,
                         ::testing::Values(gzip_isal, gzip_zlib, zstd, xz, bzip2, lz4),
                         test_name);

class GzipDecoder : public DecoderTest {};

TEST_P(GzipDecoder, ReadsBgzf) {
  const std::string text = sample_text(500);
  const std::string data = linecount::testing::bgzf(text) + linecount::testing::bgzf("more\n");
  EXPECT_EQ(decode_all(tested(), data, 4096, 4096), text + "more\n");
}

TEST_P(GzipDecoder, ChecksumAndLengthMismatches) {
  const std::string data = compress(compression::gzip, sample_text(100));
  const auto checksum = make_error_code(decompress_errc::checksum, compression::gzip);
  std::string bad_crc = data;
  bad_crc[data.size() - 8] = static_cast<char>(bad_crc[data.size() - 8] ^ 1);
  EXPECT_EQ(decode_error(tested(), bad_crc), checksum);
  std::string bad_length = data;
  bad_length[data.size() - 4] = static_cast<char>(bad_length[data.size() - 4] ^ 1);
  EXPECT_EQ(decode_error(tested(), bad_length), checksum);
  EXPECT_EQ(checksum.message(), "checksum mismatch in compressed data (gzip)");
}

TEST_P(GzipDecoder, ReadsBgzfInPiecesOfOneByte) {
  const std::string text = sample_text(50);
  const std::string data = linecount::testing::bgzf(text) + linecount::testing::bgzf("more\n");
  EXPECT_EQ(decode_all(tested(), data, 1, 4096), text + "more\n");
}

// Headers with every optional part, split at every byte: each part may end anywhere in a
// piece of input (ISA-L itself reads a header only when it comes whole).
TEST_P(GzipDecoder, FullHeadersInPiecesOfOneByte) {
  using linecount::testing::gzip_with_full_header;
  const std::string text = sample_text(30);
  const std::string data = gzip_with_full_header(text) + gzip_with_full_header("last\n");
  EXPECT_EQ(decode_all(tested(), data, 1, 4096), text + "last\n");
  EXPECT_EQ(decode_all(tested(), data, 3, 7), text + "last\n");
  EXPECT_EQ(decode_all(tested(), data, data.size(), 1 << 16), text + "last\n");
}

TEST_P(GzipDecoder, FullHeaderCutAnywhereIsAnUnexpectedEnd) {
  const std::string data = linecount::testing::gzip_with_full_header(sample_text(5));
  const auto truncated = make_error_code(decompress_errc::truncated, compression::gzip);
  for (std::size_t size = 1; size < data.size(); ++size) {
    for (const std::size_t piece : {std::size_t{1}, std::size_t{16}}) {
      const auto error = decode_error(tested(), data.substr(0, size), piece);
      ASSERT_TRUE(error.has_value()) << "cut at " << size << " of " << data.size();
      EXPECT_EQ(*error, truncated) << "cut at " << size << ": " << error->message();
    }
  }
}

TEST_P(GzipDecoder, BadHeadersAreCorrupt) {
  const std::string data = linecount::testing::gzip_with_full_header(sample_text(5));
  const auto corrupt = make_error_code(decompress_errc::corrupt, compression::gzip);
  const std::size_t header_crc_at = data.find("midnight") + 9;
  std::string bad_header_crc = data;
  bad_header_crc[header_crc_at] = static_cast<char>(bad_header_crc[header_crc_at] ^ 1);
  std::string reserved_flag = data;
  reserved_flag[3] = static_cast<char>(reserved_flag[3] | 0x20);
  std::string not_deflate = data;
  not_deflate[2] = 7;
  for (const auto& [what, bad] : {std::pair{"header CRC", bad_header_crc},
                                  std::pair{"reserved flag", reserved_flag},
                                  std::pair{"method", not_deflate}}) {
    for (const std::size_t piece : {std::size_t{1}, std::size_t{4096}})
      EXPECT_EQ(decode_error(tested(), bad, piece), corrupt) << what << ", pieces of " << piece;
  }
}

INSTANTIATE_TEST_SUITE_P(Implementations, GzipDecoder, ::testing::Values(gzip_isal, gzip_zlib),
                         test_name);

// ISA-L is what inflates gzip wherever it is installed; the build found its header, and
// scripts/setup.sh installs it with its library.
TEST(IsalLibrary, LoadsWhereItsHeaderWasFound) {
#if __has_include(<isa-l/igzip_lib.h>)
  EXPECT_NE(decoders::load_isal(), nullptr);
  EXPECT_EQ(decoders::load_isal(), decoders::load_isal()) << "loaded once";
#else
  EXPECT_EQ(decoders::load_isal(), nullptr);
#endif
}

TEST(ZstdDecoder, ContentChecksumMismatch) {
  std::string data = compress(compression::zstd, sample_text(100));
  data[data.size() - 1] = static_cast<char>(data[data.size() - 1] ^ 1);  // the checksum
  EXPECT_EQ(decode_error(zstd, data),
            make_error_code(decompress_errc::checksum, compression::zstd));
}

TEST(Lz4Decoder, ContentChecksumMismatch) {
  std::string data = compress(compression::lz4, sample_text(100));
  data[data.size() - 1] = static_cast<char>(data[data.size() - 1] ^ 1);
  EXPECT_EQ(decode_error(lz4, data),
            make_error_code(decompress_errc::checksum, compression::lz4));
}

TEST(DecompressErrors, MessagesInGzipsWords) {
  using linecount::make_error_code;
  EXPECT_EQ(make_error_code(decompress_errc::truncated, compression::gzip).message(),
            "unexpected end of compressed data (gzip)");
  EXPECT_EQ(make_error_code(decompress_errc::corrupt, compression::zstd).message(),
            "corrupt compressed data (zstd)");
  EXPECT_EQ(make_error_code(decompress_errc::trailing_garbage, compression::bzip2).message(),
            "trailing garbage after compressed data (bzip2)");
  EXPECT_EQ(make_error_code(decompress_errc::needs_more_memory, compression::xz).message(),
            "compressed data needs too much memory (xz)");
}

}  // namespace
