#pragma once
// -z: counting the lines of a compressed file's decompressed data. The file's bytes go
// through a decompressing_stream (decoding on the read pool) and async_chunks, as a plain
// file's go through async_chunks alone.
//
// At most one compressed file per pool thread started at first (one per core) is decoded at
// a time: decoding is CPU work, so more would only take turns on the cores, and each decoder
// holds a window of its own (up to 128 MiB for zstd's largest), so this also bounds memory.
// The others wait for a slot, while the lanes go on counting plain files.

#include "io/buffer_pool.hpp"
#include "io/wake_signal.hpp"
#include "linecount/compression.hpp"
#include "linecount/pooled_file.hpp"
#include "linecount/read_pool.hpp"
#include "report/progress.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace linecount::app {

/// What the decompressed data held.
struct decompressed_tally {
  std::uint64_t lines = 0;
  std::byte last{'\n'};  ///< the last decompressed byte; '\n' if there were none
};

class decompressed_counter {
 public:
  decompressed_counter(read_pool& pool, progress_meter& progress);

  /// Counts the decompressed data of `file`, whose first bytes, `head`, were read already
  /// (they told its `format`). A bad stream is thrown as boost::system::system_error.
  boost::asio::awaitable<decompressed_tally> count(pooled_file& file, compression format,
                                                   std::span<const std::byte> head);

 private:
  class slot;

  read_pool& pool_;
  progress_meter& progress_;
  unsigned free_slots_;
  wake_signal slot_freed_;
  buffer_pool inputs_;
  buffer_pool outputs_;
};

}  // namespace linecount::app
