// A file costs no heap allocation: linecount's allocations, counted by a library preloaded
// into it, do not grow with the number of files (sanitizer builds replace the allocator and
// have no such count).

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#ifdef LINECOUNT_ALLOCATION_COUNTER
namespace {

using namespace linecount::testing;

// The allocations of one linecount run over the first `files` of `names`.
unsigned long allocations_for(const temp_dir& dir, const std::vector<std::string>& names,
                              std::size_t files, const std::string& tag) {
  std::string list;
  for (std::size_t i = 0; i < files; ++i) list += names[i] + '\0';
  const auto list_path = dir.write("list-" + tag, list);
  const auto count_path = (dir.path() / ("allocations-" + tag)).string();
  invocation what;
  // At most 16 lanes and exactly two read threads: a lane or a thread costs a few allocations
  // when it starts, and how many start depends on how fast the files finish.
  what.args = {"--jobs=16", "--threads=2", "--files0-from=" + list_path, "--total=only"};
  what.env = {"LD_PRELOAD=" LINECOUNT_ALLOCATION_COUNTER, "LINECOUNT_ALLOCATIONS_OUT=" + count_path};
  const auto result = run(what);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, std::to_string(files) + "\n");
  unsigned long count = 0;
  std::ifstream{count_path} >> count;
  return count;
}

TEST(Allocations, AFileCostsNoHeapAllocation) {
  temp_dir dir;
  std::vector<std::string> names;
  // Names too long for std::string's inline storage: each would cost an allocation if it
  // were not put into the memory of a name already printed.
  for (int i = 0; i < 6000; ++i)
    names.push_back(dir.write("a-file-with-a-long-name-" + std::to_string(i) + ".txt", "one line\n"));
  const auto few = allocations_for(dir, names, 1000, "few");
  const auto many = allocations_for(dir, names, 6000, "many");
  ASSERT_GT(few, 0U) << "the counter was not preloaded";
  ASSERT_GT(many, 0U) << "the counter was not preloaded";
  // 5,000 files more, not one allocation more for every 20 of them (measured: the same
  // count, give or take the lanes started; spawning a coroutine per file made 15,000 more).
  EXPECT_LT(many, few + 250) << few << " allocations for 1,000 files, " << many << " for 6,000";
}

}  // namespace
#endif
