// Formats are told by their magic numbers alone.

#include "support/compressors.hpp"

#include "linecount/compression.hpp"

#include <gtest/gtest.h>

#include <span>
#include <string>

namespace {

using linecount::compression;

compression detect(const std::string& head) {
  return linecount::detect_compression(std::as_bytes(std::span{head.data(), head.size()}));
}

TEST(DetectCompression, EachFormatByItsFirstBytes) {
  for (const compression format : {compression::gzip, compression::zstd, compression::xz,
                                   compression::bzip2, compression::lz4}) {
    const std::string data = linecount::testing::compress(format, "a line\n");
    EXPECT_EQ(detect(data), format) << linecount::compression_name(format);
    EXPECT_EQ(detect(data.substr(0, linecount::magic_size)), format);
    // Empty data compressed is still that format (bzip2's is the end-of-stream marker).
    EXPECT_EQ(detect(linecount::testing::compress(format, "")), format);
  }
  EXPECT_EQ(detect(linecount::testing::bgzf("x\n")), compression::gzip);
}

TEST(DetectCompression, AnythingElseIsNone) {
  EXPECT_EQ(detect(""), compression::none);
  EXPECT_EQ(detect("plain text\n"), compression::none);
  EXPECT_EQ(detect("BZh9 is how a bzip2 file starts\n"), compression::none);
  EXPECT_EQ(detect(std::string{"\x1f\x8b", 2}), compression::none);  // too short to tell
  EXPECT_EQ(detect(std::string{"\x1f\x8b\x07", 3}), compression::none);  // not deflate
  EXPECT_EQ(detect(std::string{"\xfd\x37\x7a\x58\x5a", 5}), compression::none);
  EXPECT_EQ(linecount::compression_name(compression::none), "");
}

}  // namespace
