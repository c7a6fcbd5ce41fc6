#include "report/quote.hpp"

#include <cwchar>
#include <cwctype>
#include <langinfo.h>

namespace linecount {
namespace {

// One character of a name in the current locale: its bytes and whether it prints.
// An invalid or incomplete multibyte sequence is one unprintable byte at a time.
template <typename Visit>
void for_each_character(std::string_view name, Visit visit) {
  std::mbstate_t state{};
  std::size_t at = 0;
  while (at < name.size()) {
    const auto byte = static_cast<unsigned char>(name[at]);
    if (byte < 0x80) {
      visit(at, name.substr(at, 1), byte >= 0x20 && byte < 0x7f);
      ++at;
      continue;
    }
    wchar_t wide = 0;
    // With a state of its own, mbrtowc shares nothing between threads.
    const std::size_t length =
        std::mbrtowc(&wide, name.data() + at, name.size() - at, &state);  // NOLINT(concurrency-mt-unsafe)
    if (length == static_cast<std::size_t>(-1) || length == static_cast<std::size_t>(-2) ||
        length == 0) {
      state = std::mbstate_t{};
      visit(at, name.substr(at, 1), false);
      ++at;
      continue;
    }
    visit(at, name.substr(at, length), std::iswprint(static_cast<std::wint_t>(wide)) != 0);
    at += length;
  }
}

// What gnulib's shell quoting makes of one printable character.
struct shell_class {
  bool forces_quotes;  // the name cannot be left bare
  bool double_quote_safe;  // means the same inside "..." as outside (gnulib's "c and shell
                           // quote compatible"); a name with a ' and only such characters is
                           // written in double quotes
};

shell_class classify(char c, std::size_t position, std::size_t name_size, bool colon_is_special) {
  switch (c) {
    case '#':
    case '~':  // special only where the shell expands them: at the start of a word
      return position == 0 ? shell_class{true, true} : shell_class{false, false};
    case '{':
    case '}':  // brace expansion needs more than the brace alone
      return name_size == 1 ? shell_class{true, true} : shell_class{false, false};
    case ' ':
    case '\'':
      return {true, true};
    case '!': case '"': case '$': case '&': case '(': case ')': case '*': case ';':
    case '<': case '=': case '>': case '?': case '[': case '\\': case '^': case '`': case '|':
      return {true, false};
    case ':':
      return {colon_is_special, true};
    default:
      return {false, true};
  }
}

void append_escape(std::string& out, unsigned char byte) {
  static constexpr std::string_view letters = "abtnvfr";  // \a=7 ... \r=13
  out += '\\';
  if (byte >= '\a' && byte <= '\r') {
    out += letters[byte - '\a'];
    return;
  }
  out += static_cast<char>('0' + (byte >> 6));
  out += static_cast<char>('0' + ((byte >> 3) & 7));
  out += static_cast<char>('0' + (byte & 7));
}

bool needs_quotes(std::string_view name) {
  if (name.empty()) return true;
  bool needed = false;
  for_each_character(name, [&](std::size_t at, std::string_view bytes, bool printable) {
    if (!printable || (bytes.size() == 1 && classify(bytes[0], at, name.size(), true).forces_quotes))
      needed = true;
  });
  return needed;
}

bool has_unprintable(std::string_view name) {
  bool found = false;
  for_each_character(name, [&](std::size_t, std::string_view, bool printable) {
    found = found || !printable;
  });
  return found;
}

}  // namespace

std::string quote_always(std::string_view name) {
  bool has_single_quote = false;
  bool all_double_quote_safe = true;
  for_each_character(name, [&](std::size_t at, std::string_view bytes, bool printable) {
    if (!printable) {
      all_double_quote_safe = false;
    } else if (bytes.size() == 1) {
      has_single_quote = has_single_quote || bytes[0] == '\'';
      all_double_quote_safe =
          all_double_quote_safe && classify(bytes[0], at, name.size(), false).double_quote_safe;
    }
  });
  // An apostrophe in an otherwise tame name reads best as "it's".
  if (has_single_quote && all_double_quote_safe) return '"' + std::string(name) + '"';

  // 'text', with ' written as '\'' and unprintable bytes as $'\ooo' segments between.
  std::string out = "'";
  bool in_escape = false;
  for_each_character(name, [&](std::size_t, std::string_view bytes, bool printable) {
    if (!printable) {
      if (!in_escape) out += "'$'";
      in_escape = true;
      for (const char byte : bytes) append_escape(out, static_cast<unsigned char>(byte));
      return;
    }
    if (bytes == "'") {
      out += "'\\''";  // also ends a $'...' segment: the quote closes it
      in_escape = false;
      return;
    }
    if (in_escape) out += "''";
    in_escape = false;
    out += bytes;
  });
  out += '\'';
  return out;
}

std::string quote_name(std::string_view name) {
  return needs_quotes(name) ? quote_always(name) : std::string(name);
}

std::string name_for_output(std::string_view name) {
  std::string out;
  append_name_for_output(out, name);
  return out;
}

void append_name_for_output(std::string& out, std::string_view name) {
  if (name.find('\n') == std::string_view::npos) {
    out += name;
  } else {
    out += quote_name(name);
  }
}

void append_name_for_terminal(std::string& out, std::string_view name) {
  if (has_unprintable(name)) {  // a newline is unprintable too
    out += quote_name(name);
  } else {
    out += name;
  }
}

std::string escape_unprintable(std::string_view text) {
  std::string out;
  for_each_character(text, [&](std::size_t, std::string_view bytes, bool printable) {
    if (!printable) {
      for (const char byte : bytes) append_escape(out, static_cast<unsigned char>(byte));
    } else if (bytes == "\\") {
      out += "\\\\";
    } else {
      out += bytes;
    }
  });
  return out;
}

std::string quote_locale(std::string_view text) {
  // Used while parsing the command line, before any thread starts.
  const bool utf8 = std::string_view(::nl_langinfo(CODESET)) == "UTF-8";  // NOLINT(concurrency-mt-unsafe)
  std::string out = utf8 ? "\xe2\x80\x98" : "'";
  out += escape_unprintable(text);
  out += utf8 ? "\xe2\x80\x99" : "'";
  return out;
}

}  // namespace linecount
