#include "linecount/async_chunks.hpp"

#include "support/memory_stream.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
using linecount::testing::memory_stream;

struct pulled {
  std::vector<std::string> chunks;
  std::optional<int> error;  // errno value thrown by next(), if any
  bool empty_after_end = false;
};

// Pulls every chunk with next() until the end or an error, then asks once more.
asio::awaitable<pulled> pull_all(memory_stream& stream, std::size_t buffer_size) {
  std::vector<std::byte> buffer(buffer_size);
  linecount::async_chunks<memory_stream> chunks{stream, buffer};
  pulled result;
  try {
    for (;;) {
      const auto chunk = co_await chunks.next();
      if (chunk.empty()) break;
      result.chunks.emplace_back(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    }
  } catch (const boost::system::system_error& error) {
    result.error = error.code().value();
  }
  const auto again = co_await chunks.next();
  result.empty_after_end = again.empty() && chunks.finished();
  co_return result;
}

pulled run_pull(std::string data, std::size_t buffer_size, std::size_t max_read,
                std::optional<std::size_t> fail_at = std::nullopt) {
  asio::io_context io;
  memory_stream stream{io.get_executor(), std::move(data), max_read, fail_at};
  auto future = asio::co_spawn(io, pull_all(stream, buffer_size), asio::use_future);
  io.run();
  return future.get();
}

std::string joined(const std::vector<std::string>& chunks) {
  std::string all;
  for (const auto& chunk : chunks) all += chunk;
  return all;
}

TEST(AsyncChunks, EmptyStreamEndsAtOnce) {
  const auto result = run_pull("", 8, 8);
  EXPECT_TRUE(result.chunks.empty());
  EXPECT_FALSE(result.error);
  EXPECT_TRUE(result.empty_after_end);
}

TEST(AsyncChunks, ExactlyOneChunk) {
  const auto result = run_pull("12345678", 8, 8);
  ASSERT_EQ(result.chunks.size(), 1U);
  EXPECT_EQ(result.chunks[0], "12345678");
  EXPECT_TRUE(result.empty_after_end);
}

TEST(AsyncChunks, ChunksFollowTheBufferSize) {
  const auto result = run_pull("abcdefghij", 4, 100);
  EXPECT_EQ(result.chunks, (std::vector<std::string>{"abcd", "efgh", "ij"}));
}

TEST(AsyncChunks, ShortReadsAreChunksToo) {
  const auto result = run_pull("abcdefghij", 8, 3);
  EXPECT_EQ(result.chunks, (std::vector<std::string>{"abc", "def", "ghi", "j"}));
}

TEST(AsyncChunks, EveryBoundaryKeepsEveryByte) {
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>(i % 7 == 0 ? '\n' : 'a' + i % 26);
  for (std::size_t buffer = 1; buffer <= 40; ++buffer)
    for (std::size_t max_read : {std::size_t{1}, std::size_t{5}, std::size_t{64}})
      EXPECT_EQ(joined(run_pull(data, buffer, max_read).chunks), data)
          << "buffer " << buffer << " max_read " << max_read;
}

TEST(AsyncChunks, ReadErrorSurfacesAtNext) {
  const auto result = run_pull("abcdefghij", 4, 100, 6);
  EXPECT_EQ(result.chunks, (std::vector<std::string>{"abcd", "ef"}));
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error, EIO);
  EXPECT_TRUE(result.empty_after_end);  // a failed iterator stays finished
}

TEST(AsyncChunks, ErrorBeforeAnyData) {
  const auto result = run_pull("abc", 4, 100, 0);
  EXPECT_TRUE(result.chunks.empty());
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error, EIO);
}

TEST(AsyncChunks, StartsNothingUntilAsked) {
  asio::io_context io;
  memory_stream stream{io.get_executor(), "data", 4};
  std::vector<std::byte> buffer(4);
  linecount::async_chunks<memory_stream> chunks{stream, buffer};
  io.run();
  EXPECT_EQ(stream.reads(), 0);
  EXPECT_FALSE(chunks.finished());
}

TEST(AsyncChunks, RejectsAnEmptyBuffer) {
  asio::io_context io;
  memory_stream stream{io.get_executor(), "data", 4};
  EXPECT_THROW((linecount::async_chunks<memory_stream>{stream, {}}), std::invalid_argument);
}

}  // namespace
