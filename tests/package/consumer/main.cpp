// count_lines FILE: prints the number of newlines in FILE, using the installed linecount::core.
// The file is read through linecount::pooled_file (blocking reads on a linecount::read_pool) and walked
// with linecount::async_chunks inside an Asio coroutine; linecount::count_newlines counts.
#include <linecount/async_chunks.hpp>
#include <linecount/count.hpp>
#include <linecount/pooled_file.hpp>
#include <linecount/read_pool.hpp>

#include <boost/asio/co_spawn.hpp>
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

boost::asio::awaitable<std::uint64_t> count_file(std::string path,
                                                 linecount::read_pool& pool) {
  auto executor = co_await boost::asio::this_coro::executor;
  linecount::pooled_file file{executor, pool, std::move(path)};
  std::vector<std::byte> buffer(64 * 1024);
  linecount::async_chunks chunks{file, std::span<std::byte>{buffer}};
  std::uint64_t lines = 0;
  for (auto chunk = co_await chunks.next(); !chunk.empty(); chunk = co_await chunks.next()) {
    lines += linecount::count_newlines(chunk);
  }
  co_return lines;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: count_lines FILE\n";
    return 2;
  }
  const std::string path = argv[1];

  boost::asio::io_context io;
  linecount::read_pool pool{io, 2};
  std::uint64_t lines = 0;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, count_file(path, pool),
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
