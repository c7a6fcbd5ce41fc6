#pragma once
// async_chunks: Python's aiter()/anext() for an Asio byte stream.
//
//   linecount::async_chunks chunks{stream, buffer};
//   for (auto chunk = co_await chunks.next(); !chunk.empty(); chunk = co_await chunks.next())
//     use(chunk);
//
// `next()` is the anext() of C++: it resumes with the next chunk read into the caller's buffer,
// or with an empty span at end of stream (StopAsyncIteration). A read error is thrown as
// boost::system::system_error from the co_await that asked for the chunk. Each chunk stays valid
// until the following call to next(). The adapter starts nothing until the first next() (lazy,
// like an async generator) and, after the end or an error, keeps returning the empty span.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <span>
#include <stdexcept>

namespace linecount {

/// Requirements on the stream: Asio's AsyncReadStream (`async_read_some(mutable_buffer, token)`
/// completing with `(error_code, std::size_t)`, end of stream reported as `asio::error::eof`).
/// Sockets, `posix::stream_descriptor` and linecount's `pooled_file` all qualify.
template <typename AsyncReadStream>
class async_chunks {
 public:
  /// `stream` and `buffer` must outlive the adapter; `buffer` must not be empty.
  async_chunks(AsyncReadStream& stream, std::span<std::byte> buffer)
      : stream_(&stream), buffer_(buffer) {
    if (buffer_.empty()) throw std::invalid_argument("async_chunks: empty buffer");
  }

  /// The next chunk; empty at end of stream. Throws boost::system::system_error on a read error.
  boost::asio::awaitable<std::span<const std::byte>> next() {
    if (finished_) co_return std::span<const std::byte>{};
    // A named local, not a binding straight from co_await: g++ 12 miscompiles the latter.
    auto result = co_await stream_->async_read_some(
        boost::asio::buffer(buffer_.data(), buffer_.size()),
        boost::asio::as_tuple(boost::asio::use_awaitable));
    const auto [error, size] = result;
    if (error == boost::asio::error::eof || (!error && size == 0)) {
      finished_ = true;
      co_return std::span<const std::byte>{};
    }
    if (error) {
      finished_ = true;
      throw boost::system::system_error(error);
    }
    co_return std::span<const std::byte>{buffer_.data(), size};
  }

  /// True once next() has reported the end of the stream or an error.
  [[nodiscard]] bool finished() const noexcept { return finished_; }

 private:
  AsyncReadStream* stream_;
  std::span<std::byte> buffer_;
  bool finished_ = false;
};

}  // namespace linecount
