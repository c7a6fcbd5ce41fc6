#pragma once
// -r: directory operands stand for every regular file below them.
//
// The walk is streamed: each directory is read (on the read pool, in one hop) only when
// the walk reaches it, so counting starts at once and memory holds only the directories on
// the current path. Within a directory, entries are taken in byte order of their names, so
// --keep-order output is the same from run to run. Symbolic links met inside the walk are
// not followed (a link given as an operand is: it was named); other non-regular files in
// the tree (FIFOs, sockets, devices) are skipped. A directory that cannot be read is
// reported like any failed operand, and the walk goes on.

#include "operands.hpp"

#include "linecount/read_pool.hpp"

#include <memory>
#include <string>
#include <vector>

namespace linecount::app {

class recursive_operands final : public operand_source {
 public:
  recursive_operands(std::unique_ptr<operand_source> operands,
                     read_pool& pool);
  boost::asio::awaitable<std::optional<operand>> next() override;
  std::optional<operand> ready() override;
  void give_back(std::string&& name) noexcept override { operands_->give_back(std::move(name)); }

  struct entry {
    std::string name;
    bool directory = false;  ///< else a regular file
  };
  /// One directory read: its regular files and subdirectories, sorted by name.
  struct listing {
    bool directory = false;  ///< false: the path is not a directory (left to be counted)
    int error = 0;           ///< errno if the path is a directory that could not be read
    std::vector<entry> entries;
  };

  /// The blocking part. `follow`: stat() the path first, following a symbolic link (for
  /// operands); otherwise the path is known to be a directory of the walk.
  static listing read_directory(const std::string& path, bool follow);

 private:
  struct open_directory {
    std::string path;
    std::vector<entry> entries;
    std::size_t next = 0;
  };

  boost::asio::awaitable<listing> read_on_pool(std::string path, bool follow);

  std::unique_ptr<operand_source> operands_;
  read_pool* pool_;
  std::vector<open_directory> path_;  // the directories being walked, outermost first
};

}  // namespace linecount::app
