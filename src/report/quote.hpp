#pragma once
// Quoting of file names the way GNU coreutils quotes them (gnulib's quotearg), so that
// messages and odd names look exactly as users of wc expect, in the current locale.
//
//   quote_name("notes.txt")  -> notes.txt           (GNU quotef: only when needed)
//   quote_name("a b")        -> 'a b'
//   quote_name("it's")       -> "it's"
//   quote_name("a\nb")       -> 'a'$'\n''b'
//   quote_always("x")        -> 'x'                  (GNU quoteaf)
//
// Printable multibyte characters of the current locale (after setlocale) are kept; control
// characters, invalid bytes and unprintable characters become $'...' escapes.

#include <string>
#include <string_view>

namespace linecount {

/// GNU `quotef`: shell-escape quoting, applied only when the name needs it (also for ':').
[[nodiscard]] std::string quote_name(std::string_view name);

/// GNU `quoteaf`: shell-escape quoting, always applied.
[[nodiscard]] std::string quote_always(std::string_view name);

/// A name as printed on standard output by wc: as it is, unless it contains a newline, which
/// would break the one-record-per-line format; then quote_name().
[[nodiscard]] std::string name_for_output(std::string_view name);

/// name_for_output() appended to `out` (no copy of a name that needs no quoting).
void append_name_for_output(std::string& out, std::string_view name);

/// A name as printed on a terminal: as name_for_output(), but also quote_name()d when it
/// holds anything that does not print in the current locale (C0 and C1 controls, ESC, DEL,
/// invalid bytes), which could move the cursor, recolour the screen or set the clipboard
/// of whoever reads it. GNU ls does the same on a terminal; wc does not.
void append_name_for_terminal(std::string& out, std::string_view name);

/// `text` with every character that does not print in the current locale written as a C
/// escape (`\n`, `\t`, `\033`, ...) and backslashes doubled: safe to echo inside a one-line
/// message (an argument linecount rejects, say).
[[nodiscard]] std::string escape_unprintable(std::string_view text);

/// GNU `quote`: the locale's quotation marks (‘…’ in UTF-8 locales, '…' otherwise), as in
/// argument errors ("invalid argument ‘x’ for ‘--total’").
[[nodiscard]] std::string quote_locale(std::string_view text);

}  // namespace linecount
