#pragma once
// The pipeline of one file: open it on the read pool, pull its chunks through async_chunks
// (the first into a small buffer, the rest into a large one if the file goes on), count the
// newlines of each, and make its result. With -z, a file whose first bytes are a compressed
// format's magic number is counted by decompressed_counter instead. A large regular file, once its first chunk shows
// its size, is counted in ranges in parallel instead (linecount/range_count.hpp).

#include "count/decompressed_count.hpp"
#include "count/operand_counter.hpp"
#include "io/buffer_pool.hpp"
#include "linecount/read_pool.hpp"
#include "report/progress.hpp"

namespace linecount::app {

/// How files are counted.
struct count_options {
  bool count_unterminated = false;  ///< a last line without '\n' counts (--count-unterminated)
  bool decompress = false;          ///< compressed files count their decompressed data (-z)
};

class file_counter final : public operand_counter {
 public:
  file_counter(read_pool& pool, progress_meter& progress, count_options options);

  /// A file or standard input is read and counted; an operand rejected before counting
  /// (an invalid name, a directory of the walk that failed) gets its failure as result.
  boost::asio::awaitable<file_result> count(operand op, std::uint64_t index) override;

 private:
  read_pool& pool_;
  progress_meter& progress_;
  const count_options options_;
  // First-chunk buffers are leased per file, not owned per lane: a lane whose file is counted
  // in ranges, or reads on in a large buffer, holds none while it waits.
  buffer_pool first_chunks_;
  buffer_pool large_;
  decompressed_counter decompressed_;
};

}  // namespace linecount::app
