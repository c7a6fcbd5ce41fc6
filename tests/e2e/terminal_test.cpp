// Names that cannot take over a terminal. On a terminal (a pseudo-terminal made by
// util-linux's script, which copies everything written to it, raw, to its own output), a
// name holding control characters or bytes invalid in the locale is shell-escaped, as GNU
// ls does; through a pipe, records are exactly wc's; the --progress line never carries a
// raw control character.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace linecount::testing;
using namespace std::chrono_literals;

// A name that sets the clipboard of an xterm-like terminal (OSC 52), then rings the bell.
const std::string clipboard_name = "x\x1b]52;c;aGk=\a";
const std::string clipboard_escaped = "'x'$'\\033'']52;c;aGk='$'\\a'";

// linecount with `args` on a terminal, in `locale`; what the terminal got, with the
// terminal's "\r\n" for each newline turned back into "\n".
outcome on_a_terminal(const std::vector<std::string>& args, const std::string& locale,
                      const std::string& cwd) {
  std::string command = "exec '" + linecount_binary() + "'";
  for (const auto& arg : args) command += " '" + arg + "'";  // the names hold no '
  invocation what;
  what.binary = "script";
  what.args = {"--quiet", "--return", "--command", command, "/dev/null"};
  what.locale = locale;
  what.cwd = cwd;
  auto result = run(what);
  for (std::size_t at = 0; (at = result.out.find("\r\n", at)) != std::string::npos;)
    result.out.erase(at, 1);
  return result;
}

TEST(Terminal, NamesWithControlCharactersAreShellEscaped) {
  temp_dir dir;
  dir.write(clipboard_name, "1\n");
  dir.write("tab\there", "1\n2\n");
  dir.write("del\x7fhere", "1\n2\n3\n");
  dir.write("c1\xc2\x9bhere", "1\n2\n3\n4\n");  // U+009B, the one-byte CSI of 8-bit terminals
  dir.write("caf\xc3\xa9 au lait", "1\n");      // printable in UTF-8: as it is
  const auto result = on_a_terminal({"-k", clipboard_name, "tab\there", "del\x7fhere",
                                     "c1\xc2\x9bhere", "caf\xc3\xa9 au lait"},
                                    "C.UTF-8", dir.path().string());
  EXPECT_EQ(result.out, "1 " + clipboard_escaped + "\n" +
                            "2 'tab'$'\\t''here'\n"
                            "3 'del'$'\\177''here'\n"
                            "4 'c1'$'\\302\\233''here'\n"
                            "1 caf\xc3\xa9 au lait\n"
                            "11 total\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Terminal, BytesInvalidInTheLocaleAreShellEscaped) {
  temp_dir dir;
  dir.write("caf\xc3\xa9", "1\n");
  dir.write("latin1 \xe9t\xe9", "1\n2\n");
  // In C, every byte above 0x7f is invalid; in UTF-8, only the Latin-1 name is.
  auto result = on_a_terminal({"-k", "caf\xc3\xa9", "latin1 \xe9t\xe9"}, "C", dir.path().string());
  EXPECT_EQ(result.out, "1 'caf'$'\\303\\251'\n2 'latin1 '$'\\351''t'$'\\351'\n3 total\n");
  result = on_a_terminal({"-k", "caf\xc3\xa9", "latin1 \xe9t\xe9"}, "C.UTF-8", dir.path().string());
  EXPECT_EQ(result.out, "1 caf\xc3\xa9\n2 'latin1 '$'\\351''t'$'\\351'\n3 total\n");
}

TEST(Terminal, ThroughAPipeNamesAreAsWcPrintsThem) {
  temp_dir dir;
  const auto weird = dir.write(clipboard_name, "1\n");
  const auto tab = dir.write("tab\there", "1\n2\n");
  const auto result = run({"-k", weird, tab});
  EXPECT_EQ(result.out, "1 " + weird + "\n2 " + tab + "\n3 total\n");
  const auto wc = run_shell("wc -l '" + weird + "' '" + tab + "' | sed 's/^ *//'");
  EXPECT_EQ(result.out, wc.out);
}

TEST(Terminal, NullAndJsonRecordsAreUnchangedOnATerminal) {
  temp_dir dir;
  dir.write("tab\there", "1\n");
  auto result = on_a_terminal({"-0", "tab\there"}, "C.UTF-8", dir.path().string());
  EXPECT_EQ(result.out, (std::string{"1 tab\there\0", 11}));
  result = on_a_terminal({"--json", "tab\there"}, "C.UTF-8", dir.path().string());
  EXPECT_EQ(result.out, "{\"path\":\"tab\\there\",\"lines\":1}\n");
}

TEST(Terminal, TheProgressLineCarriesNoRawControlCharacter) {
  temp_dir dir;
  dir.write(clipboard_name, "1\n");
  held_fifo fifo{dir / "fifo"};
  const std::string command = "exec '" + linecount_binary() + "' --progress '" +
                              clipboard_name + "' '" + fifo.path() + "'";
  invocation what;
  what.binary = "script";
  what.args = {"--quiet", "--return", "--command", command, "/dev/null"};
  what.locale = "C.UTF-8";
  what.cwd = dir.path().string();
  session run{what};
  // The odd name's record, then the status line while the FIFO holds the run open.
  ASSERT_TRUE(run.read_until(clipboard_escaped + "\r\n"));
  ASSERT_TRUE(run.read_until("linecount: 1/2 files"));
  fifo.write("a\n");
  fifo.close();
  auto rest = run.finish();
  EXPECT_EQ(rest.exit_code, 0);
  // Everything the terminal got but the line's own erase ("\r" and ESC [ K), with the
  // terminal's "\r\n" read as "\n".
  std::string seen = rest.out;
  for (std::size_t at = 0; (at = seen.find("\r\x1b[K", at)) != std::string::npos;) seen.erase(at, 4);
  for (std::size_t at = 0; (at = seen.find("\r\n", at)) != std::string::npos;) seen.erase(at, 1);
  EXPECT_TRUE(std::none_of(seen.begin(), seen.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\n') || byte == 0x7f;
  })) << seen;
  EXPECT_NE(seen.find("1 " + fifo.path() + "\n"), std::string::npos) << seen;
}

}  // namespace
