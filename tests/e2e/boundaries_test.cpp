// Counts at the edges of linecount's reading paths, compared with a count of the bytes
// written: the first chunk of a file (16 KiB), the large chunks after it (128 KiB), the size
// from which the rest of a file is counted in ranges (1 MiB), the reads of a range (256 KiB)
// and the splits between ranges (on multiples of 4 MiB in the file), with one, two and three
// read threads (a file is split into at most one range per thread).
#include "linecount/range_count.hpp"
#include "tuning.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace linecount::testing;
using linecount::tuning::first_chunk_size;
using linecount::tuning::large_chunk_size;
using linecount::tuning::split_threshold;
constexpr std::size_t range_split = linecount::tuning::min_range_size;  // ranges are split on its multiples

constexpr std::size_t kib = 1024;
constexpr std::size_t mib = 1024 * kib;

struct sample {
  std::string path;
  std::uint64_t newlines = 0;
  bool unterminated = false;  ///< the last byte is not a newline
};

// Random bytes, about one in 40 a newline, and newlines on both sides of every boundary.
std::string content(std::size_t size, std::uint64_t seed, const std::vector<std::size_t>& edges) {
  std::mt19937_64 random{seed};
  std::string bytes(size, '\0');
  for (auto& byte : bytes) {
    const auto value = random();
    byte = value % 40 == 0 ? '\n' : static_cast<char>(value >> 8);
  }
  for (const std::size_t edge : edges) {
    for (const std::size_t at : {edge - 1, edge}) {
      if (at < size) bytes[at] = '\n';
    }
  }
  return bytes;
}

std::vector<sample> write_samples(const temp_dir& dir) {
  const std::vector<std::size_t> edges = {
      first_chunk_size,                     // the first chunk
      first_chunk_size + large_chunk_size,  // the first large chunk
      split_threshold,                      // counted in ranges from here
      range_split,                          // the split of two ranges
      range_split + linecount::tuning::range_read_size,
      range_split + first_chunk_size,
      2 * range_split,
      2 * range_split + first_chunk_size,
  };
  std::vector<sample> samples;
  std::uint64_t seed = 20261201;
  for (const std::size_t edge : edges) {
    for (const std::size_t size : {edge - 1, edge, edge + 1}) {
      const std::string bytes = content(size, seed++, edges);
      sample made;
      made.path = dir.write("s" + std::to_string(size), bytes);
      made.newlines = static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
      made.unterminated = bytes.back() != '\n';
      samples.push_back(made);
    }
  }
  // Three ranges with three threads (as the plan that linecount uses says), the last one
  // ending a byte past a whole read.
  const std::size_t three_ranges = 12 * mib + first_chunk_size + 1;
  EXPECT_EQ(linecount::plan_ranges(first_chunk_size, three_ranges, 3).size(), 3U);
  EXPECT_EQ(linecount::plan_ranges(first_chunk_size, three_ranges, 2).size(), 2U);
  const std::string bytes = content(three_ranges, seed, edges);
  samples.push_back({dir.write("s12m", bytes),
                     static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n')),
                     bytes.back() != '\n'});
  return samples;
}

std::vector<std::string> expected(const std::vector<sample>& samples, bool unterminated) {
  std::vector<std::string> lines;
  std::uint64_t total = 0;
  for (const auto& s : samples) {
    const std::uint64_t n = s.newlines + (unterminated && s.unterminated ? 1 : 0);
    total += n;
    lines.push_back(std::to_string(n) + " " + s.path);
  }
  lines.push_back(std::to_string(total) + " total");
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(Boundaries, CountsMatchAtEveryChunkWindowAndRangeEdge) {
  const temp_dir dir;
  const auto samples = write_samples(dir);
  for (const char* threads : {"--threads=1", "--threads=2", "--threads=3"}) {
    for (const bool unterminated : {false, true}) {
      std::vector<std::string> args = {threads};
      if (unterminated) args.emplace_back("--count-unterminated");
      for (const auto& s : samples) args.push_back(s.path);
      const auto result = run(args);
      EXPECT_EQ(result.exit_code, 0) << result.err;
      EXPECT_EQ(sorted_lines(result.out), expected(samples, unterminated))
          << threads << (unterminated ? " --count-unterminated" : "");
    }
  }
}

TEST(Boundaries, FewLargeBuffersStillCountEveryFileExactly) {
  // Far more medium files in flight than large buffers: the rest are read on in their
  // small first-chunk buffers, with the same counts.
  const temp_dir dir;
  std::vector<sample> samples;
  for (int i = 0; i < 96; ++i) {
    const std::size_t size = 200 * kib + static_cast<std::size_t>(i) * 977;
    const std::string bytes = content(size, 7000 + static_cast<std::uint64_t>(i), {first_chunk_size});
    samples.push_back({dir.write("m" + std::to_string(i), bytes),
                       static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n')),
                       bytes.back() != '\n'});
  }
  std::vector<std::string> args = {"--jobs=96"};
  for (const auto& s : samples) args.push_back(s.path);
  const auto result = run(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sorted_lines(result.out), expected(samples, false));
}

}  // namespace
