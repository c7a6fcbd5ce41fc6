#include "count/decompressed_count.hpp"

#include "linecount/async_chunks.hpp"
#include "linecount/count.hpp"
#include "linecount/decoder.hpp"
#include "linecount/decompressing_stream.hpp"
#include "tuning.hpp"

#include <algorithm>

namespace linecount::app {

namespace asio = boost::asio;

// A slot held for one file's decoding, with its two buffers; given back however the file
// ends (an exception thrown through the coroutine included).
class decompressed_counter::slot {
 public:
  explicit slot(decompressed_counter& owner)
      : owner_(owner), input_(owner.inputs_), output_(owner.outputs_) {
    --owner_.free_slots_;
  }
  slot(const slot&) = delete;
  slot& operator=(const slot&) = delete;
  slot(slot&&) = delete;
  slot& operator=(slot&&) = delete;
  ~slot() {
    ++owner_.free_slots_;
    owner_.slot_freed_.notify();
  }

  [[nodiscard]] std::span<std::byte> input() const noexcept { return input_.get(); }
  [[nodiscard]] std::span<std::byte> output() const noexcept { return output_.get(); }

 private:
  decompressed_counter& owner_;
  buffer_lease input_;
  buffer_lease output_;
};

decompressed_counter::decompressed_counter(read_pool& pool, progress_meter& progress)
    : pool_(pool),
      progress_(progress),
      free_slots_(std::max(1U, pool.initial_threads())),
      slot_freed_(pool.home()),
      inputs_(tuning::compressed_chunk_size, free_slots_),
      outputs_(tuning::decompressed_chunk_size, free_slots_) {}

asio::awaitable<decompressed_tally> decompressed_counter::count(
    pooled_file& file, compression format, std::span<const std::byte> head) {
  while (free_slots_ == 0) co_await slot_freed_.wait();
  const slot held{*this};
  decompressing_stream<pooled_file> plain{file, pool_, make_decoder(format), held.input(), head};
  async_chunks<decompressing_stream<pooled_file>> chunks{plain, held.output()};
  decompressed_tally tally;
  for (;;) {
    const auto chunk = co_await chunks.next();
    if (chunk.empty()) break;
    tally.lines += count_newlines(chunk);
    tally.last = chunk.back();
    progress_.bytes_counted(chunk.size());
  }
  co_return tally;
}

}  // namespace linecount::app
