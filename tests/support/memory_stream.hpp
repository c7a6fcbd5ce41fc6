#pragma once
// A test double for Asio's AsyncReadStream, over memory.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

namespace linecount::testing {

namespace asio = boost::asio;

// An AsyncReadStream over memory: hands out at most `max_read` bytes a read, completes
// through the io_context like a real stream, and can fail once `fail_at` bytes have gone.
class memory_stream {
 public:
  using executor_type = asio::any_io_executor;

  memory_stream(executor_type ex, std::string data, std::size_t max_read,
                std::optional<std::size_t> fail_at = std::nullopt)
      : ex_(std::move(ex)), data_(std::move(data)), max_read_(max_read), fail_at_(fail_at) {}

  executor_type get_executor() const { return ex_; }
  int reads() const { return reads_; }

  template <typename Token>
  auto async_read_some(const asio::mutable_buffer& buffer, Token&& token) {
    return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, asio::mutable_buffer target) {
          ++reads_;
          boost::system::error_code error;
          std::size_t size = 0;
          if (fail_at_ && position_ >= *fail_at_) {
            error.assign(EIO, boost::system::system_category());
          } else if (position_ == data_.size()) {
            error = asio::error::eof;
          } else {
            std::size_t limit = std::min({target.size(), max_read_, data_.size() - position_});
            if (fail_at_) limit = std::min(limit, *fail_at_ - position_);
            std::memcpy(target.data(), data_.data() + position_, limit);
            position_ += limit;
            size = limit;
          }
          asio::post(ex_, asio::append(std::move(handler), error, size));
        },
        token, buffer);
  }

 private:
  executor_type ex_;
  std::string data_;
  std::size_t max_read_;
  std::optional<std::size_t> fail_at_;
  std::size_t position_ = 0;
  int reads_ = 0;
};

}  // namespace linecount::testing
