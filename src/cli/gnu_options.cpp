#include "cli/gnu_options.hpp"

#include "report/quote.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace linecount::app {
namespace {

const option_spec* find_short(std::span<const option_spec> specs, char name) {
  const auto found = std::find_if(specs.begin(), specs.end(),
                                  [name](const option_spec& spec) { return spec.short_name == name; });
  return found == specs.end() ? nullptr : &*found;
}

// getopt_long's rule: an exact name wins; otherwise the name must be the prefix of exactly one.
std::variant<const option_spec*, option_error> find_long(std::span<const option_spec> specs,
                                                         std::string_view name,
                                                         std::string_view as_written) {
  std::vector<const option_spec*> candidates;
  for (const auto& spec : specs) {
    if (spec.long_name == name) return &spec;
    if (spec.long_name.starts_with(name)) candidates.push_back(&spec);
  }
  // Echoed escaped (GNU getopt echoes it raw): a newline or ESC in it must not make a
  // second message or reach the terminal.
  if (candidates.empty())
    return option_error{fmt::format("unrecognized option '{}'", escape_unprintable(as_written))};
  if (candidates.size() > 1) {
    std::string message =
        fmt::format("option '{}' is ambiguous; possibilities:", escape_unprintable(as_written));
    for (const auto* spec : candidates) message += fmt::format(" '--{}'", spec->long_name);
    return option_error{std::move(message)};
  }
  return candidates.front();
}

// An option and its value as two arguments: CLI11 2.1 reads "--name=" (an empty value) as
// "--name" and takes the next argument as its value (found by the command-line fuzzer:
// `--files0-from= -- x` opened "--"). Given apart, every value is taken as it is.
void push_with_value(std::vector<std::string>& options, std::string_view name,
                     std::string_view value) {
  options.push_back(fmt::format("--{}", name));
  options.emplace_back(value);
}

}  // namespace

std::variant<std::vector<std::string>, option_error> canonicalize_options(
    std::span<const std::string> args, std::span<const option_spec> specs) {
  std::vector<std::string> options;
  std::vector<std::string> operands;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      operands.insert(operands.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                      args.end());
      break;
    }
    if (arg.starts_with("--")) {
      const auto equals = arg.find('=');
      constexpr auto none = std::string_view::npos;
      const std::string_view name = arg.substr(2, equals == none ? none : equals - 2);
      auto found = find_long(specs, name, arg);  // getopt quotes the whole argument
      if (auto* error = std::get_if<option_error>(&found)) return std::move(*error);
      const option_spec& spec = *std::get<const option_spec*>(found);
      if (!spec.takes_value) {
        if (equals != none)
          return option_error{
              fmt::format("option '--{}' doesn't allow an argument", spec.long_name)};
        options.push_back(fmt::format("--{}", spec.long_name));
      } else if (equals != none) {
        push_with_value(options, spec.long_name, arg.substr(equals + 1));
      } else if (i + 1 < args.size()) {
        push_with_value(options, spec.long_name, args[++i]);
      } else {
        return option_error{fmt::format("option '--{}' requires an argument", spec.long_name)};
      }
      continue;
    }
    if (arg.size() > 1 && arg.front() == '-') {
      // A cluster of short options: "-l", "-lj4", "-j" "4".
      for (std::size_t at = 1; at < arg.size(); ++at) {
        const option_spec* spec = find_short(specs, arg[at]);
        if (spec == nullptr)
          return option_error{
              fmt::format("invalid option -- '{}'", escape_unprintable(arg.substr(at, 1)))};
        if (!spec->takes_value) {
          options.push_back(fmt::format("--{}", spec->long_name));
          continue;
        }
        if (at + 1 < arg.size()) {
          push_with_value(options, spec->long_name, arg.substr(at + 1));
        } else if (i + 1 < args.size()) {
          push_with_value(options, spec->long_name, args[++i]);
        } else {
          return option_error{
              fmt::format("option requires an argument -- '{}'", escape_unprintable(arg.substr(at, 1)))};
        }
        break;
      }
      continue;
    }
    operands.emplace_back(arg);  // "-" and "" are operands too
  }
  options.emplace_back("--");
  options.insert(options.end(), std::make_move_iterator(operands.begin()),
                 std::make_move_iterator(operands.end()));
  return options;
}

}  // namespace linecount::app
