#include "cli/operands.hpp"

#include "report/quote.hpp"
#include "report/output.hpp"

#include <fmt/format.h>

#include <climits>

namespace linecount::app {
namespace {

constexpr std::size_t list_chunk_size = std::size_t{1024} * 1024;
// Names given back are kept up to this many (about the files in flight) for reuse; a name
// longer than a path can be is let go, so spares never hold much more than names in flight.
constexpr std::size_t spare_names_kept = 1024;
constexpr std::size_t spare_name_capacity_kept = 4096;

}  // namespace

argument_operands::argument_operands(std::vector<std::string> names) : names_(std::move(names)) {}

boost::asio::awaitable<std::optional<operand>> argument_operands::next() {
  if (names_.empty()) {
    if (next_++ == 0) co_return operand{operand::kind::implicit_stdin};
    co_return std::nullopt;
  }
  co_return ready();
}

std::optional<operand> argument_operands::ready() {
  if (next_ >= names_.size()) return std::nullopt;
  operand taken{operand::kind::file, std::move(names_[next_++])};
  if (taken.text.empty()) {
    taken = operand::rejected("invalid zero-length file name", "", "invalid zero-length file name");
  } else if (taken.text == "-") {
    taken.what = operand::kind::named_stdin;
  }
  return taken;
}

files0_operands::files0_operands(pooled_file list, std::string list_name)
    : list_(std::move(list)),
      list_name_(std::move(list_name)),
      buffer_(std::make_unique_for_overwrite<std::byte[]>(list_chunk_size)),
      chunks_(list_, {buffer_.get(), list_chunk_size}) {
  spare_names_.reserve(spare_names_kept);
  parser_.reserve(list_chunk_size + PATH_MAX);
}

void files0_operands::give_back(std::string&& name) noexcept {
  // A name moved away (a result waiting for --keep-order) leaves only inline storage: no use.
  if (spare_names_.size() < spare_names_kept && name.capacity() > std::string{}.capacity() &&
      name.capacity() <= spare_name_capacity_kept)
    spare_names_.push_back(std::move(name));
}

std::optional<files0_entry> files0_operands::take_entry() {
  files0_entry entry;
  if (!spare_names_.empty()) {  // a name's memory again: no allocation for this one
    entry.name = std::move(spare_names_.back());
    spare_names_.pop_back();
  }
  if (!parser_.pop_into(entry)) {
    give_back(std::move(entry.name));
    return std::nullopt;
  }
  return entry;
}

std::optional<operand> files0_operands::ready() {
  if (auto entry = take_entry()) return classify(std::move(*entry));
  return std::nullopt;
}

boost::asio::awaitable<std::optional<operand>> files0_operands::next() {
  for (;;) {
    if (auto entry = take_entry()) co_return classify(std::move(*entry));
    if (list_ended_) co_return std::nullopt;
    std::span<const std::byte> chunk;
    try {
      chunk = co_await chunks_.next();
    } catch (const boost::system::system_error& error) {
      list_ended_ = true;
      throw fatal_error(fmt::format("{}: read error: {}", quote_name(list_name_),
                                    error_text(error.code().value())));
    }
    if (chunk.empty()) {
      list_ended_ = true;
      parser_.finish();
    } else {
      parser_.feed(chunk);
    }
  }
}

operand files0_operands::classify(files0_entry entry) const {
  if (entry.name.empty()) {
    return operand::rejected(fmt::format("{}:{}: invalid zero-length file name",
                                         quote_name(list_name_), entry.number),
                             "", "invalid zero-length file name");
  }
  if (entry.name == "-" && list_name_ == "-") {
    std::string complaint = fmt::format(
        "when reading file names from standard input, no file name of {} allowed",
        quote_always(entry.name));
    return operand::rejected(complaint, "-", complaint);
  }
  if (entry.name == "-") return operand{operand::kind::named_stdin, std::move(entry.name)};
  return operand{operand::kind::file, std::move(entry.name)};
}

}  // namespace linecount::app
