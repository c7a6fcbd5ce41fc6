#include "count/decompressed_count.hpp"

#include "linecount/async_chunks.hpp"
#include "linecount/count.hpp"
#include "linecount/decoder.hpp"
#include "linecount/decompressing_stream.hpp"
#include "tuning.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

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

asio::awaitable<decompressed_counter::outcome> decompressed_counter::count_if_compressed(
    pooled_file& file, std::span<std::byte> buffer, std::span<const std::byte> first,
    std::uint64_t& lines, std::byte& last) {
  outcome result;
  std::size_t have = first.size();
  while (have > 0 && have < magic_size) {
    const auto [read_error, size] = co_await file.async_read_some(
        asio::buffer(buffer.data() + have, buffer.size() - have), asio::as_tuple(asio::deferred));
    if (read_error == asio::error::eof || (!read_error && size == 0)) {
      result.ended = true;
      break;
    }
    if (read_error) throw boost::system::system_error(read_error);
    have += size;
  }
  result.head = buffer.first(have);
  result.format = detect_compression(result.head);
  if (result.format == compression::none) co_return result;

  while (free_slots_ == 0) co_await slot_freed_.wait();
  const slot held{*this};
  decompressing_stream<pooled_file> plain{file, pool_, make_decoder(result.format),
                                          held.input(), result.head};
  async_chunks<decompressing_stream<pooled_file>> chunks{plain, held.output()};
  for (;;) {
    const auto chunk = co_await chunks.next();
    if (chunk.empty()) break;
    lines += count_newlines(chunk);
    last = chunk.back();
    progress_.bytes_counted(chunk.size());
  }
  co_return result;
}

}  // namespace linecount::app
