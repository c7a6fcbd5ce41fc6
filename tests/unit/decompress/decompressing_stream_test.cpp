// decompressing_stream: an AsyncReadStream of decompressed bytes over any AsyncReadStream,
// decoding on the read pool's threads.

#include "support/compressors.hpp"
#include "support/memory_stream.hpp"

#include "linecount/async_chunks.hpp"
#include "linecount/decoder.hpp"
#include "linecount/decompressing_stream.hpp"
#include "linecount/read_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using linecount::compression;
using linecount::testing::memory_stream;
using plain_stream = linecount::decompressing_stream<memory_stream>;

struct pulled {
  std::string text;
  std::size_t chunks = 0;
  std::optional<boost::system::error_code> error;
};

// Pulls every decompressed chunk through async_chunks, as linecount counts them.
asio::awaitable<pulled> pull_all(plain_stream& stream, std::size_t buffer_size) {
  std::vector<std::byte> buffer(buffer_size);
  linecount::async_chunks<plain_stream> chunks{stream, buffer};
  pulled result;
  try {
    for (;;) {
      const auto chunk = co_await chunks.next();
      if (chunk.empty()) break;
      result.text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());  // NOLINT
      ++result.chunks;
    }
  } catch (const boost::system::system_error& error) {
    result.error = error.code();
  }
  co_return result;
}

std::string sample_text(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) text += "line " + std::to_string(i) + " of the log\n";
  return text;
}

class DecompressingStream : public ::testing::Test {
 protected:
  // Decodes `data` read `max_read` bytes at a time, its first `head` bytes handed over as
  // already read, into chunks of `out_size`.
  pulled decode(compression format, const std::string& data, std::size_t max_read,
                std::size_t head = 0, std::size_t out_size = 4096,
                std::optional<std::size_t> fail_at = std::nullopt) {
    memory_stream raw{io_.get_executor(), data.substr(head), max_read, fail_at};
    std::vector<std::byte> input(65536);
    plain_stream stream{raw, pool_, linecount::make_decoder(format), input,
                        std::as_bytes(std::span{data.data(), head})};
    EXPECT_EQ(stream.format(), format);
    auto future = asio::co_spawn(io_, pull_all(stream, out_size), asio::use_future);
    io_.run();
    io_.restart();
    return future.get();
  }

  asio::io_context io_;
  linecount::read_pool pool_{io_, 2};
};

TEST_F(DecompressingStream, YieldsTheDecompressedBytes) {
  const std::string text = sample_text(20'000);
  for (const compression format : {compression::gzip, compression::zstd, compression::xz,
                                   compression::bzip2, compression::lz4}) {
    const std::string data = linecount::testing::compress(format, text);
    const pulled all = decode(format, data, 65536);
    EXPECT_FALSE(all.error) << all.error->message();
    EXPECT_EQ(all.text, text) << linecount::compression_name(format);
    // Small reads of the compressed stream, its head read before, small chunks out.
    const pulled pieces = decode(format, data, 100, 10, 1000);
    EXPECT_FALSE(pieces.error) << pieces.error->message();
    EXPECT_EQ(pieces.text, text) << linecount::compression_name(format);
    EXPECT_GE(pieces.chunks, text.size() / 1000);
  }
}

TEST_F(DecompressingStream, ConcatenatedStreamsOneByteAtATime) {
  const std::string text = sample_text(300);
  for (const compression format : {compression::gzip, compression::zstd, compression::xz,
                                   compression::bzip2, compression::lz4}) {
    const std::string one = linecount::testing::compress(format, text);
    const pulled result = decode(format, one + one + one, 1, 10, 777);
    EXPECT_FALSE(result.error) << result.error->message();
    EXPECT_EQ(result.text, text + text + text) << linecount::compression_name(format);
  }
}

TEST_F(DecompressingStream, AReadErrorOfTheStreamBelowComesThrough) {
  const std::string data = linecount::testing::compress(compression::gzip, sample_text(50'000));
  const pulled result = decode(compression::gzip, data, 4096, 0, 4096, data.size() / 2);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error, boost::system::error_code(EIO, boost::system::system_category()));
}

TEST_F(DecompressingStream, BadDataIsAnErrorOfItsFormat) {
  const std::string data = linecount::testing::compress(compression::zstd, sample_text(50'000));
  const pulled cut = decode(compression::zstd, data.substr(0, data.size() - 100), 4096);
  ASSERT_TRUE(cut.error);
  EXPECT_EQ(cut.error->message(), "unexpected end of compressed data (zstd)");
  const pulled trailing = decode(compression::gzip,
                                 linecount::testing::compress(compression::gzip, "a\n") + "x\n",
                                 4096);
  ASSERT_TRUE(trailing.error);
  EXPECT_EQ(trailing.error->message(), "trailing garbage after compressed data (gzip)");
}

// A decoder that copies its input and notes the threads it ran on.
class copying_decoder final : public linecount::decoder {
 public:
  explicit copying_decoder(std::set<std::thread::id>& threads) : threads_(threads) {}
  progress decode(std::span<const std::byte> input, std::span<std::byte> output,
                  bool /*input_ends*/) override {
    threads_.insert(std::this_thread::get_id());  // one decode at a time: no race
    const std::size_t size = std::min(input.size(), output.size());
    std::copy_n(input.begin(), size, output.begin());
    return {size, size};
  }
  [[nodiscard]] compression format() const noexcept override { return compression::gzip; }

 private:
  std::set<std::thread::id>& threads_;
};

TEST_F(DecompressingStream, DecodesOnThePoolNeverOnTheCallersThread) {
  std::set<std::thread::id> threads;
  const std::string data = sample_text(10'000);
  memory_stream raw{io_.get_executor(), data, 1000};
  std::vector<std::byte> input(65536);
  plain_stream stream{raw, pool_, std::make_unique<copying_decoder>(threads), input};
  auto future = asio::co_spawn(io_, pull_all(stream, 4096), asio::use_future);
  io_.run();
  const pulled result = future.get();
  EXPECT_EQ(result.text, data);
  ASSERT_FALSE(threads.empty());
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0U);
}

}  // namespace
