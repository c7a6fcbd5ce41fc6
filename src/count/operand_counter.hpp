#pragma once
// What the scheduler hands each operand to: count/file_count.hpp implements it, and the
// scheduler's unit tests hold one of their own.

#include "cli/operands.hpp"
#include "report/file_result.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>

namespace linecount::app {

/// What counts one operand (count/file_count.hpp). Called for every kind of operand,
/// rejected ones included; each call completes with that operand's result.
class operand_counter {
 public:
  virtual boost::asio::awaitable<file_result> count(operand op, std::uint64_t index) = 0;

 protected:
  ~operand_counter() = default;
};

}  // namespace linecount::app
