// count_lines [-z] FILE: prints the number of newlines in FILE, using the installed linecount::core.
// The file is read through linecount::pooled_file (blocking reads on a linecount::read_pool) and walked
// with linecount::async_chunks inside an Asio coroutine; linecount::count_newlines counts. With -z,
// a compressed FILE (told by its first bytes) is read through linecount::decompressing_stream.
#include <linecount/async_chunks.hpp>
#include <linecount/compression.hpp>
#include <linecount/count.hpp>
#include <linecount/decoder.hpp>
#include <linecount/decompressing_stream.hpp>
#include <linecount/pooled_file.hpp>
#include <linecount/read_pool.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <iostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace {

template <typename Stream>
boost::asio::awaitable<std::uint64_t> count_stream(Stream& stream) {
  std::vector<std::byte> buffer(64 * 1024);
  linecount::async_chunks chunks{stream, std::span<std::byte>{buffer}};
  std::uint64_t lines = 0;
  for (auto chunk = co_await chunks.next(); !chunk.empty(); chunk = co_await chunks.next()) {
    lines += linecount::count_newlines(chunk);
  }
  co_return lines;
}

boost::asio::awaitable<std::uint64_t> count_file(std::string path, bool decompress,
                                                 linecount::read_pool& pool) {
  auto executor = co_await boost::asio::this_coro::executor;
  linecount::pooled_file file{executor, pool, std::move(path)};
  if (!decompress) co_return co_await count_stream(file);
  // The first bytes tell the format; they are handed on, not read again.
  std::vector<std::byte> input(256 * 1024);
  std::size_t head = 0;
  while (head < linecount::magic_size) {
    auto [error, size] = co_await file.async_read_some(
        boost::asio::buffer(input.data() + head, input.size() - head),
        boost::asio::as_tuple(boost::asio::deferred));
    if (error == boost::asio::error::eof) break;
    if (error) throw boost::system::system_error(error);
    head += size;
  }
  const std::span<const std::byte> first{input.data(), head};
  const linecount::compression format = linecount::detect_compression(first);
  if (format == linecount::compression::none) {
    std::uint64_t lines = linecount::count_newlines(first);
    co_return lines + co_await count_stream(file);
  }
  std::vector<std::byte> compressed(256 * 1024);
  linecount::decompressing_stream plain{file, pool, linecount::make_decoder(format),
                                        std::span<std::byte>{compressed}, first};
  co_return co_await count_stream(plain);
}

}  // namespace

int main(int argc, char** argv) {
  const bool decompress = argc == 3 && std::string{argv[1]} == "-z";
  if (argc != 2 && !decompress) {
    std::cerr << "usage: count_lines [-z] FILE\n";
    return 2;
  }
  const std::string path = argv[argc - 1];

  boost::asio::io_context io;
  linecount::read_pool pool{io, 2};
  std::uint64_t lines = 0;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, count_file(path, decompress, pool),
                        [&](std::exception_ptr error, std::uint64_t result) {
                          failure = std::move(error);
                          lines = result;
                        });
  io.run();

  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const boost::system::system_error& error) {
      std::cerr << "count_lines: " << path << ": " << error.code().message() << '\n';
      return 1;
    } catch (const std::exception& error) {
      std::cerr << "count_lines: " << path << ": " << error.what() << '\n';
      return 1;
    }
  }
  std::cout << lines << '\n';
  return 0;
}
