#pragma once
// Operands less those that --include and --exclude leave out (cli/name_filters.hpp), as GNU
// grep leaves them out: a name that the patterns leave out is dropped, without a record, if
// it opens and is not a directory. A name that does not open is counted all the same, which
// reports why; a directory is never left out by name. Standard input is never left out.
//
// Only a name the patterns leave out costs anything: it is opened (without blocking, even a
// FIFO that has no writer) and looked at on the read pool. Every other operand goes through
// as it came, ready() included.

#include "cli/name_filters.hpp"
#include "cli/operands.hpp"

#include "linecount/read_pool.hpp"

#include <memory>
#include <optional>
#include <string>

namespace linecount::app {

class filtered_operands final : public operand_source {
 public:
  filtered_operands(std::unique_ptr<operand_source> operands, name_filters filters,
                    read_pool& pool);
  boost::asio::awaitable<std::optional<operand>> next() override;
  std::optional<operand> ready() override;
  void give_back(std::string&& name) noexcept override { operands_->give_back(std::move(name)); }

  /// The blocking part: whether `path` opens (for reading, following links) and is not a
  /// directory.
  static bool opens_as_file(const std::string& path) noexcept;

 private:
  // Whether the patterns leave out `taken` by its name (it is then looked at on the pool).
  [[nodiscard]] bool named_out(const operand& taken) const;

  std::unique_ptr<operand_source> operands_;
  name_filters filters_;
  read_pool* pool_;
  std::optional<operand> held_;  // taken by ready() and left for next() to look at
};

}  // namespace linecount::app
