// recursive_operands: reading ahead stays within its budget of entries.

#include "walk.hpp"

#include "linecount/read_pool.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using linecount::app::argument_operands;
using linecount::app::recursive_operands;
using linecount::testing::temp_dir;
namespace fs = std::filesystem;

TEST(Walk, ReadingAheadStopsAtItsBudget) {
  // 1,200 directories of 10 entries each (9 files and the next directory): 12,000 entries,
  // far more than the budget. The walk hands out one file and is asked for nothing more;
  // reading ahead goes on by itself until the budget stops it, and then the io_context has
  // nothing left to do.
  temp_dir dir;
  constexpr int directories = 1200;
  for (int top = 0; top < 40; ++top) {
    std::string path = dir / ("t" + std::to_string(top));
    for (int depth = 0; depth < directories / 40; ++depth) {
      if (depth > 0) path += "/d";
      fs::create_directory(path);
      for (int f = 0; f < 9; ++f) {
        const int fd = ::open((path + "/f" + std::to_string(f)).c_str(),
                              O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        ASSERT_GE(fd, 0);
        ::close(fd);
      }
    }
  }
  boost::asio::io_context io;
  linecount::read_pool pool{io, 2};
  recursive_operands walk{std::make_unique<argument_operands>(std::vector<std::string>{dir.path().string()}),
                          pool};
  auto first = boost::asio::co_spawn(io, walk.next(), boost::asio::use_future);
  io.run();
  const auto taken = first.get();
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->what, linecount::app::operand::kind::file);
  // What was read ahead: within the budget, give or take the listings that were on their
  // way when it was reached (at most reads_ahead_at_once of 10 entries each).
  EXPECT_GT(walk.directories_started(), 100U);
  EXPECT_LE(walk.held_entries(), recursive_operands::read_ahead_entries +
                                     10 * recursive_operands::reads_ahead_at_once);
  EXPECT_LT(walk.directories_started(), static_cast<std::size_t>(directories));
}

}  // namespace
