#pragma once
// decompressing_stream: an AsyncReadStream that reads a compressed AsyncReadStream and yields
// its decompressed bytes, so that async_chunks pulls decompressed chunks exactly as it pulls
// raw ones:
//
//   linecount::decompressing_stream plain{file, pool, linecount::make_decoder(format), input};
//   linecount::async_chunks chunks{plain, output};
//
// Reading the compressed bytes is the underlying stream's business (pooled_file reads on the
// pool's threads); decoding is CPU work and runs as a job on the read pool, never on the
// caller's thread. Each async_read_some() decodes into the caller's buffer once (reading
// more compressed input first when the decoder needs it): memory stays at the two buffers
// plus the decoder's own state, however large the decompressed data. Bad data completes
// the read with a decompress_category() error; the end of the decompressed data with
// asio::error::eof.

#include "linecount/decoder.hpp"
#include "linecount/read_pool.hpp"
#include "linecount/run_on_pool.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace linecount {

template <typename AsyncReadStream>
class decompressing_stream {
 public:
  using executor_type = typename AsyncReadStream::executor_type;

  /// Reads `compressed` (which must outlive this) through `decoder`, with `input` (which must
  /// outlive this, and be large enough for the decoder to make progress: 64 KiB or more) as
  /// the buffer for compressed bytes. `already_read`: bytes the caller took from `compressed`
  /// first (to look at the magic number, say), copied into `input` and decoded first.
  decompressing_stream(AsyncReadStream& compressed, read_pool& pool,
                       std::unique_ptr<decoder> decoder, std::span<std::byte> input,
                       std::span<const std::byte> already_read = {})
      : compressed_(&compressed), pool_(&pool), decoder_(std::move(decoder)), input_(input) {
    if (!decoder_) throw std::invalid_argument("decompressing_stream: no decoder");
    if (already_read.size() > input_.size())
      throw std::invalid_argument("decompressing_stream: already_read exceeds the buffer");
    if (!already_read.empty()) std::memcpy(input_.data(), already_read.data(), already_read.size());
    pending_end_ = already_read.size();
  }

  [[nodiscard]] executor_type get_executor() const { return compressed_->get_executor(); }

  [[nodiscard]] compression format() const noexcept { return decoder_->format(); }

  /// Decompressed bytes into `buffer`: completes with (error_code, bytes), eof at the end.
  template <typename CompletionToken = boost::asio::deferred_t>
  auto async_read_some(const boost::asio::mutable_buffer& buffer, CompletionToken&& token = {}) {
    return boost::asio::async_compose<CompletionToken,
                                      void(boost::system::error_code, std::size_t)>(
        read_op{this, std::span{static_cast<std::byte*>(buffer.data()), buffer.size()}}, token,
        *compressed_);
  }

 private:
  // What a decode job hands back from the pool thread.
  struct decoded {
    boost::system::error_code error;
    decoder::progress step;
    std::size_t consumed;  // in all the job's decode calls
  };

  // The job: decode until something comes out, the input runs dry, or the data ends.
  struct decode_job {
    decoder* decoder_;
    std::span<const std::byte> input;
    std::span<std::byte> output;
    bool input_ends;

    std::tuple<decoded> operator()() const noexcept {
      decoded result{};
      try {
        std::span<const std::byte> left = input;
        for (;;) {
          const decoder::progress step = decoder_->decode(left, output, input_ends);
          left = left.subspan(step.consumed);
          result.consumed += step.consumed;
          result.step = step;
          if (step.produced > 0 || step.consumed == 0) break;
        }
      } catch (const boost::system::system_error& error) {
        result.error = error.code();
      } catch (const std::bad_alloc&) {
        result.error = make_error_code(boost::system::errc::not_enough_memory);
      } catch (...) {  // a decoder of the library's user may throw anything: not on a pool thread
        result.error = make_error_code(decompress_errc::corrupt, decoder_->format());
      }
      return std::tuple{result};
    }
  };

  struct read_op {
    decompressing_stream* self;
    std::span<std::byte> output;

    template <typename Self>
    void operator()(Self& op) {
      if (output.empty()) return op.complete({}, 0);
      self->advance(op, output);
    }
    // Compressed bytes came in.
    template <typename Self>
    void operator()(Self& op, const boost::system::error_code& error, std::size_t size) {
      if (error == boost::asio::error::eof || (!error && size == 0)) {
        self->input_ended_ = true;
      } else if (error) {
        self->finished_ = true;
        return op.complete(error, 0);
      }
      self->pending_end_ += size;
      self->needs_input_ = false;
      self->advance(op, output);
    }
    // A decode job is back.
    template <typename Self>
    void operator()(Self& op, decoded result) {
      self->pending_begin_ += result.consumed;
      if (result.error) {
        self->finished_ = true;
        return op.complete(result.error, 0);
      }
      if (result.step.produced > 0) {
        self->output_may_follow_ = result.step.produced == output.size();
        return op.complete({}, result.step.produced);
      }
      if (self->input_ended_) {  // nothing more comes out of all the input there is
        self->finished_ = true;
        if (self->pending_begin_ < self->pending_end_)  // bytes the decoder would not take
          return op.complete(make_error_code(decompress_errc::trailing_garbage, self->format()), 0);
        return op.complete(boost::asio::error::eof, 0);
      }
      self->needs_input_ = true;
      self->output_may_follow_ = false;
      self->advance(op, output);
    }
  };

  template <typename Op>
  void advance(Op& op, std::span<std::byte> output) {
    if (finished_) return op.complete(boost::asio::error::eof, 0);
    const bool have_input = pending_begin_ < pending_end_;
    if (!input_ended_ && (needs_input_ || (!have_input && !output_may_follow_))) {
      read_more(op);
      return;
    }
    decode_job job{decoder_.get(), input_.subspan(pending_begin_, pending_end_ - pending_begin_),
                   output, input_ended_};
    async_run_on_pool(*pool_, job, std::move(op));
  }

  template <typename Op>
  void read_more(Op& op) {
    // The bytes not yet decoded move to the front; the rest of the buffer takes new ones.
    const std::size_t kept = pending_end_ - pending_begin_;
    if (kept > 0 && pending_begin_ > 0)
      std::memmove(input_.data(), input_.data() + pending_begin_, kept);
    pending_begin_ = 0;
    pending_end_ = kept;
    if (kept == input_.size()) {  // a decoder that cannot use a whole buffer: not ours
      finished_ = true;
      return op.complete(make_error_code(decompress_errc::corrupt, decoder_->format()), 0);
    }
    compressed_->async_read_some(boost::asio::buffer(input_.data() + kept, input_.size() - kept),
                                 std::move(op));
  }

  AsyncReadStream* compressed_;
  read_pool* pool_;
  std::unique_ptr<decoder> decoder_;
  std::span<std::byte> input_;
  std::size_t pending_begin_ = 0;  // input_[pending_begin_, pending_end_): not decoded yet
  std::size_t pending_end_ = 0;
  bool input_ended_ = false;        // the compressed stream reported its end
  bool needs_input_ = false;        // the last decode took nothing and gave nothing
  bool output_may_follow_ = false;  // the last decode filled the caller's buffer
  bool finished_ = false;
};

}  // namespace linecount
