#pragma once
// --include, --exclude and --exclude-dir: the names that the -r walk, and the operands, leave
// out. The rules are GNU grep's (3.8, whose matching is gnulib's exclude.c):
//
// - A pattern is an fnmatch(3) glob without FNM_PATHNAME or FNM_PERIOD ('*' matches a leading
//   '.', and a '/'), in the character set of the locale (LC_CTYPE: '?' is one character). A
//   pattern without '*', '?', '[' or ']' is compared as a string once its backslashes are
//   taken off, as gnulib does (so "a\" names the file "a\", which fnmatch would not match).
// - Files: the --include and --exclude patterns form one list in command-line order, and the
//   last one that matches a name decides (--include: counted, --exclude: left out). A name that
//   none matches is left out if the first of them is an --include: `--include='*.c'` counts
//   only the .c files, `--exclude='x*' --include='*.c'` counts x.c and y.h but not x.h.
// - Directories: a directory of the walk that any --exclude-dir matches is not entered (a
//   pattern's trailing slashes are ignored). --include and --exclude never apply to
//   directories.
// - In the walk, the base name is matched. An operand (named on the command line or in a
//   --files0-from list) is matched by --include and --exclude as a whole and at every part
//   that follows a '/' (`--exclude='s*'` leaves out t/sub/q.c), and never by --exclude-dir:
//   a directory named as an operand is always walked (grep would skip one that matches).

#include <string>
#include <vector>

namespace linecount::app {

class name_filters {
 public:
  /// Adds an --include pattern after those given before it.
  void include(std::string pattern);
  /// Adds an --exclude pattern after those given before it.
  void exclude(std::string pattern);
  /// Adds an --exclude-dir pattern.
  void exclude_directory(std::string pattern);

  /// Whether --include or --exclude was given.
  [[nodiscard]] bool filters_files() const noexcept { return !file_patterns_.empty(); }
  /// Whether --exclude-dir was given.
  [[nodiscard]] bool filters_directories() const noexcept { return !directory_patterns_.empty(); }

  /// Whether the walk leaves out a file whose base name is `name`.
  [[nodiscard]] bool skips_file(const char* name) const;
  /// Whether the walk leaves out (does not even read) a directory whose base name is `name`.
  [[nodiscard]] bool skips_directory(const char* name) const;
  /// Whether an operand named `name` is left out (if it turns out to be a file).
  [[nodiscard]] bool skips_operand(const std::string& name) const;

 private:
  struct glob_pattern {
    std::string text;      ///< the glob, or the string (unescaped) for a literal one
    bool literal = false;  ///< no wildcard: compared as a string
    bool include = false;  ///< --include (else --exclude or --exclude-dir)
  };
  static glob_pattern make(std::string text, bool include);
  // `name` whole, or (`anywhere`) also each part of it after a '/'.
  static bool matches(const glob_pattern& glob, const char* name, bool anywhere);
  [[nodiscard]] bool skips(const char* name, bool anywhere) const;

  std::vector<glob_pattern> file_patterns_;       // --include and --exclude, in order
  std::vector<glob_pattern> directory_patterns_;  // --exclude-dir
};

}  // namespace linecount::app
