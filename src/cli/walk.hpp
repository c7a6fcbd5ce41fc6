#pragma once
// -r: directory operands stand for every regular file below them.
//
// The walk hands out files in depth-first order, and within a directory in byte order of
// the names, so --keep-order output is the same from run to run. Directories are read on
// the read pool, and read ahead: as soon as a directory's listing is in, its subdirectories
// are read (in the order the walk will reach them, a few at a time) while the files before
// them are counted, so the counting never waits for a directory it could have had. Read
// ahead stops while the listings read and not yet reached hold a budget of entries (8,192):
// memory is bounded by that budget plus the listings on their way (16 at once),
// however many directories the tree has, and counting starts at once.
//
// Symbolic links met inside the walk are not followed (a link given as an operand is: it
// was named); other non-regular files in the tree (FIFOs, sockets, devices) are skipped.
// Entry types come from the directory itself (d_type); only where it does not say is an
// entry looked up. A directory that cannot be read is reported like any failed operand,
// and the walk goes on.
//
// --include, --exclude and --exclude-dir (cli/name_filters.hpp) apply as a directory is
// listed, by base name: a file left out is never looked up or opened, a directory left out
// never read (where d_type does not say, an entry is looked up unless both would leave it
// out), and neither takes room in the listing. Operands are not filtered here.

#include "cli/name_filters.hpp"
#include "cli/operands.hpp"
#include "io/wake_signal.hpp"

#include "linecount/read_pool.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

namespace linecount::app {

/// How far the walk reads ahead.
struct read_ahead_limits {
  /// Entries held in listings read ahead and not yet reached.
  std::size_t entries = 8192;
  /// Directories read at once. Enough to cover the hop to the pool and back: /usr/include
  /// plus /usr/share/doc (3,104 directories) on the 2-core AMD EPYC VM of
  /// docs/performance.md took 0.53 s with 1 at once, 0.42 s with 2, 0.27 s with 16 or 32,
  /// 0.40 s with 64 (the reads then crowd the files' reads out of the pool's queue).
  std::size_t at_once = 16;
};

class recursive_operands final : public operand_source {
 public:
  using read_ahead_limits = app::read_ahead_limits;

  recursive_operands(std::unique_ptr<operand_source> operands, read_pool& pool,
                     read_ahead_limits limits = {}, const name_filters& filters = {});
  boost::asio::awaitable<std::optional<operand>> next() override;
  std::optional<operand> ready() override;
  void give_back(std::string&& name) noexcept override { operands_->give_back(std::move(name)); }

  struct directory_read;
  /// A regular file or a subdirectory in a listing. Its name is in the listing's `names`
  /// (one allocation for a whole directory), and its first 8 bytes in `order`, which settles
  /// most comparisons of the sort without a look at the names.
  struct entry {
    std::uint64_t order = 0;  // the name's first 8 bytes, big-endian, zero-padded
    std::uint32_t name_at = 0;
    std::uint16_t name_size = 0;  // NAME_MAX is 255
    bool is_directory = false;
    std::shared_ptr<directory_read> subdirectory;  ///< for a directory, once sorted
  };
  /// One directory read: its regular files and subdirectories, sorted by name.
  struct listing {
    bool directory = false;  ///< false: the path is not a directory (left to be counted)
    int error = 0;           ///< errno if the path is a directory that could not be read
    std::string names;       ///< the entries' names, one after another
    std::vector<entry> entries;
    [[nodiscard]] std::string_view name(const entry& item) const noexcept {
      return std::string_view{names}.substr(item.name_at, item.name_size);
    }
  };
  /// A subdirectory of the walk: its path, its place in the walk, and its listing once read.
  struct directory_read {
    std::string path;
    // Its position in each directory from the operand down: the walk reaches directories
    // in the lexicographic order of these.
    std::vector<std::uint32_t> place;
    bool started = false;
    std::optional<listing> result;
  };

  /// Entries in listings read and not yet reached by the walk (for tests).
  [[nodiscard]] std::size_t held_entries() const noexcept { return held_entries_; }
  /// Directories whose reading has started (for tests).
  [[nodiscard]] std::size_t directories_started() const noexcept { return started_; }

  /// The blocking part. `follow`: stat() the path first, following a symbolic link (for
  /// operands); otherwise the path is known to be a directory of the walk. Entries that
  /// `filters` (if any) leave out are not listed.
  static listing read_directory(const std::string& path, bool follow,
                                const name_filters* filters = nullptr);
  /// The type of `name` in the open `directory`: `reported` (the directory's d_type), or,
  /// where that is DT_UNKNOWN, looked up: DT_REG, DT_DIR, DT_UNKNOWN if it is gone, or another
  /// type (the walk skips those).
  static unsigned char entry_type(int directory, const char* name, unsigned char reported);

 private:
  struct open_directory {
    std::string path;
    listing found;
    std::size_t next = 0;
  };

  boost::asio::awaitable<listing> read_on_pool(std::string path, bool follow);
  // Starts reading `read` on the pool; its listing arrives in complete().
  void start(const std::shared_ptr<directory_read>& read);
  void complete(const std::shared_ptr<directory_read>& read, listing found);
  // Queues the subdirectories of `found`, found at `place`, for reading ahead.
  void plan_ahead(const listing& found, const std::vector<std::uint32_t>& place);
  // Starts reads ahead while the budget allows.
  void read_ahead();
  // Enters the directory `read` (whose listing is in): true if it was read, false (and
  // `failed` set) if it could not be.
  bool enter(directory_read& read, std::optional<operand>& failed);

  std::unique_ptr<operand_source> operands_;
  read_pool* pool_;
  read_ahead_limits limits_;
  std::shared_ptr<const name_filters> filters_;  // null if there are none; shared with reads
  std::vector<open_directory> path_;  // the directories being walked, outermost first
  // Directories to read ahead, the one the walk reaches first on top, whatever order their
  // parents' listings came in; those already started are skipped.
  struct reached_later {
    bool operator()(const std::shared_ptr<directory_read>& a,
                    const std::shared_ptr<directory_read>& b) const noexcept {
      return a->place > b->place;
    }
  };
  std::priority_queue<std::shared_ptr<directory_read>, std::vector<std::shared_ptr<directory_read>>,
                      reached_later>
      ahead_;
  std::uint32_t operands_walked_ = 0;
  std::size_t reading_ = 0;        // reads on the pool now
  std::size_t started_ = 0;        // reads started so far
  std::size_t held_entries_ = 0;   // in listings read and not yet entered
  wake_signal read_done_;          // the walk waits here for a listing it has reached
};

}  // namespace linecount::app
