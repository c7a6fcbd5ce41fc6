#pragma once
// Where the names to count come from: the command line, or a --files0-from list read as it
// streams in (so counting starts before the list is complete, in bounded memory).

#include "linecount/async_chunks.hpp"
#include "cli/files0_list.hpp"
#include "linecount/pooled_file.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace linecount::app {

struct operand {
  enum class kind {
    file,            ///< a path
    named_stdin,     ///< "-" given as an operand
    implicit_stdin,  ///< no operands at all
    invalid,         ///< rejected before counting; `text` is the whole diagnostic
    unreadable,      ///< a path that failed before counting (a directory of the walk); `error`
  };

  explicit operand(kind what_kind, std::string path_or_diagnostic = {}, int errno_value = 0)
      : what(what_kind), text(std::move(path_or_diagnostic)), error(errno_value) {}

  /// A name rejected before counting: `diagnostic` for standard error, `name` and `reason`
  /// apart for --json.
  static operand rejected(std::string diagnostic, std::string name, std::string reason) {
    operand result{kind::invalid, std::move(diagnostic)};
    result.name = std::move(name);
    result.reason = std::move(reason);
    return result;
  }

  kind what = kind::file;
  std::string text;    ///< the path, or the diagnostic for `invalid`
  int error = 0;       ///< for `unreadable`: the errno value
  std::string name;    ///< for `invalid`: the name as given ("" for a zero-length one)
  std::string reason;  ///< for `invalid`: the complaint without the name, for --json
};

class operand_source {
 public:
  virtual ~operand_source() = default;
  /// The next operand, or nothing at the end. Throws a fatal_error if the list is unreadable.
  virtual boost::asio::awaitable<std::optional<operand>> next() = 0;

  /// The next operand if it is at hand without waiting for anything; nothing means "ask
  /// next()", not "no more". Saves a coroutine per operand where names are already known.
  virtual std::optional<operand> ready() { return std::nullopt; }

  /// A name done with, whose memory a source may reuse for a later name.
  virtual void give_back(std::string&& /*name*/) noexcept {}
};

/// An error that stops linecount from taking more operands ("F: read error: ...").
struct fatal_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The operands of the command line; none means standard input.
class argument_operands final : public operand_source {
 public:
  explicit argument_operands(std::vector<std::string> names);
  boost::asio::awaitable<std::optional<operand>> next() override;
  std::optional<operand> ready() override;

 private:
  std::vector<std::string> names_;
  std::size_t next_ = 0;
};

/// The names of a --files0-from list, read through the pool as they are needed.
class files0_operands final : public operand_source {
 public:
  /// `list` is the opened list; `list_name` is F as given ("-" for standard input).
  files0_operands(pooled_file list, std::string list_name);

  /// Opens the list named `name` ("-": standard input) for reading through `pool`; on
  /// failure, reports GNU wc's message ("cannot open 'F' for reading: ...") and returns null.
  static std::unique_ptr<files0_operands> open(const std::string& name,
                                               boost::asio::io_context& io, read_pool& pool);
  boost::asio::awaitable<std::optional<operand>> next() override;
  std::optional<operand> ready() override;
  void give_back(std::string&& name) noexcept override;

 private:
  [[nodiscard]] operand classify(files0_entry entry) const;
  [[nodiscard]] std::optional<files0_entry> take_entry();

  pooled_file list_;
  std::string list_name_;
  std::unique_ptr<std::byte[]> buffer_;  // not zeroed: a short list touches few pages
  async_chunks<pooled_file> chunks_;
  files0_list parser_;
  bool list_ended_ = false;
  std::vector<std::string> spare_names_;  // given back, reused for the next names
};

}  // namespace linecount::app
