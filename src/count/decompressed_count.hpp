#pragma once
// -z: counting the lines of a compressed file's decompressed data. The file's bytes go
// through a decompressing_stream (decoding on the read pool) and async_chunks, as a plain
// file's go through async_chunks alone.
//
// At most one compressed file per pool thread started at first (one per core) is decoded at
// a time: decoding is CPU work, so more would only take turns on the cores, and each decoder
// holds a window of its own (zstd: up to 128 MiB; xz: up to 256 MiB of decoder memory; gzip,
// bzip2, lz4: a few MiB at most), so this also bounds memory: the slots times that. The others
// wait for a slot, in the order they came, while the lanes go on counting plain files.

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

class decompressed_counter {
 public:
  decompressed_counter(read_pool& pool, progress_meter& progress);

  struct outcome {
    std::span<const std::byte> head;  ///< the file's first bytes, in the caller's buffer
    bool ended = false;               ///< the file ended within them
    compression format = compression::none;  ///< none: nothing counted, the caller counts
  };

  /// Looks at the first bytes of `file`: `first`, its first chunk, at the start of `buffer`,
  /// and more read into `buffer` after it if that is too short to hold a magic number
  /// (pooled_file fills a pipe's first chunk to its end or to the buffer's size, so in the
  /// program this read only finds the end; other streams may hand over less). If they tell a compressed format, counts the
  /// file's decompressed data into `lines`, and sets `last` to its last byte. A read error or bad compressed data is thrown as
  /// boost::system::system_error. One coroutine for both steps, called once per file: the
  /// frame of every file's count (file_count.cpp) then grows by one call's worth, and stays
  /// within the size Asio recycles (over it, each file costs a heap allocation).
  boost::asio::awaitable<outcome> count_if_compressed(pooled_file& file,
                                                      std::span<std::byte> buffer,
                                                      std::span<const std::byte> first,
                                                      std::uint64_t& lines, std::byte& last);

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
