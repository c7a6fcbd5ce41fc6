#pragma once
// The scheduler's contract with the printer (report/results.hpp implements it): an operand
// holds a slot from the moment it is taken until its record is printed, and take() says how
// many records it printed, so how many slots are free again.

#include "report/file_result.hpp"

#include <cstddef>

namespace linecount::app {

/// Where results go, in the order operands finish.
class result_sink {
 public:
  /// Takes the result of one operand and returns how many results are printed by it: this
  /// one, none (it waits for an earlier one), or several (earlier ones that waited for it
  /// are printed with it). Each frees the slot of its operand.
  virtual std::size_t take(file_result& result) = 0;

 protected:
  ~result_sink() = default;
};

}  // namespace linecount::app
