#include "cli/operands.hpp"

#include "io/retry_on_eintr.hpp"
#include "report/quote.hpp"
#include "report/output.hpp"
#include "tuning.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <unistd.h>

namespace linecount::app {
using tuning::list_chunk_size;

argument_operands::argument_operands(std::vector<std::string> names) : names_(std::move(names)) {}

// Only ever asked when ready() has nothing: with no names at all, the one operand is
// standard input, as for wc.
boost::asio::awaitable<std::optional<operand>> argument_operands::next() {
  if (names_.empty()) {
    if (next_++ == 0) co_return operand{operand::kind::implicit_stdin};
    co_return std::nullopt;
  }
  co_return ready();
}

// Names are moved out, not copied: each is the path of its file from here on. "" and "-"
// are classified here, as wc does before it opens anything.
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
  spare_names_.reserve(tuning::spare_names_kept);
  // One chunk plus the longest name that can straddle two chunks: the parser never grows.
  parser_.reserve(list_chunk_size + PATH_MAX);
}

std::unique_ptr<files0_operands> files0_operands::open(const std::string& name,
                                                      boost::asio::io_context& io,
                                                      read_pool& pool) {
  // The list is read as it streams in (read_policy::available): names are counted as they
  // come, not once the writer closes it.
  if (name == "-")
    return std::make_unique<files0_operands>(
        pooled_file::borrow(io.get_executor(), pool, STDIN_FILENO, read_policy::available),
        name);
  const int fd =
      retry_on_eintr([&name] { return ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY); });
  if (fd < 0) {
    report(fmt::format("cannot open {} for reading: {}", quote_always(name),
                       error_text(errno)));
    return nullptr;
  }
  return std::make_unique<files0_operands>(
      pooled_file::adopt(io.get_executor(), pool, fd, read_policy::available), name);
}

void files0_operands::give_back(std::string&& name) noexcept {
  // A name moved away (a result waiting for --keep-order) leaves only inline storage: no use.
  if (spare_names_.size() < tuning::spare_names_kept &&
      name.capacity() > std::string{}.capacity() &&
      name.capacity() <= tuning::spare_name_capacity_kept)
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

// The names the list holds so far; when they run out, the next chunk of the list. The
// scheduler lets only one lane wait here at a time.
boost::asio::awaitable<std::optional<operand>> files0_operands::next() {
  for (;;) {
    if (auto entry = take_entry()) co_return classify(std::move(*entry));
    if (list_ended_) co_return std::nullopt;
    std::span<const std::byte> chunk;
    try {
      chunk = co_await chunks_.next();
    } catch (const boost::system::system_error& error) {  // GNU wc's words for it
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

// GNU wc's rules for the names of a --files0-from list: "" is invalid (reported with its
// place in the list), and "-" means standard input unless the list itself is read from it.
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
