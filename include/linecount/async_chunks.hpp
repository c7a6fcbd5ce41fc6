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
//
// next() is an Asio asynchronous operation, not a coroutine: by default it returns a deferred
// operation, which an asio::awaitable coroutine co_awaits without allocating a frame for it
// (a file is read in one or two chunks, so a frame per chunk would be a good part of the cost
// of a small file). Any other completion token works too: next(token) completes with
// (error_code, std::span<const std::byte>).

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <utility>

namespace linecount {

/// Requirements on the stream: Asio's AsyncReadStream (`async_read_some(mutable_buffer, token)`
/// completing with `(error_code, std::size_t)`, end of stream reported as `asio::error::eof`).
/// Sockets, `posix::stream_descriptor` and linecount's `pooled_file` all qualify.
template <typename AsyncReadStream>
class async_chunks {
 public:
  using chunk_signature = void(boost::system::error_code, std::span<const std::byte>);

  /// `stream` and `buffer` must outlive the adapter; `buffer` must not be empty.
  async_chunks(AsyncReadStream& stream, std::span<std::byte> buffer)
      : stream_(&stream), buffer_(buffer) {
    if (buffer_.empty()) throw std::invalid_argument("async_chunks: empty buffer");
  }

  /// The next chunk; empty at end of stream. Awaited in a coroutine, a read error is thrown
  /// as boost::system::system_error. At most one next() may be outstanding at a time.
  template <typename CompletionToken = boost::asio::deferred_t>
  auto next(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, chunk_signature>(
        [this](auto handler) { this->start_next(std::move(handler)); }, token);
  }

  /// True once next() has reported the end of the stream or an error.
  [[nodiscard]] bool finished() const noexcept { return finished_; }

 private:
  template <typename Handler>
  void start_next(Handler handler) {
    const auto ex = boost::asio::get_associated_executor(handler, stream_->get_executor());
    if (finished_) {  // completes through the executor: never inside next() itself
      boost::asio::post(ex, boost::asio::append(std::move(handler), boost::system::error_code{},
                                                std::span<const std::byte>{}));
      return;
    }
    stream_->async_read_some(
        boost::asio::buffer(buffer_.data(), buffer_.size()),
        boost::asio::bind_executor(
            ex, [this, handler = std::move(handler)](const boost::system::error_code& error,
                                                     std::size_t size) mutable {
              if (error == boost::asio::error::eof || (!error && size == 0)) {
                finished_ = true;
                std::move(handler)(boost::system::error_code{}, std::span<const std::byte>{});
              } else if (error) {
                finished_ = true;
                std::move(handler)(error, std::span<const std::byte>{});
              } else {
                std::move(handler)(error, std::span<const std::byte>{buffer_.data(), size});
              }
            }));
  }

  AsyncReadStream* stream_;
  std::span<std::byte> buffer_;
  bool finished_ = false;
};

}  // namespace linecount
