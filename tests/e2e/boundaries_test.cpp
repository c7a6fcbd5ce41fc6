// Counts at the edges of linecount's reading paths, compared with a count of the bytes
// written: the first chunk of a file (16 KiB), the large chunks after it (128 KiB), the size
// from which the rest of a file is counted in ranges (1 MiB), the map windows (4 MiB, on
// multiples of 4 MiB in the file) and the splits between ranges, with one, two and three
// read threads (a file is split into at most one range per thread).
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
      16 * kib,              // the first chunk
      16 * kib + 128 * kib,  // the first large chunk
      mib,                   // counted in ranges from here
      4 * mib,               // a window boundary, and the split of two 8 MiB ranges
      4 * mib + 16 * kib,
      8 * mib,
      8 * mib + 16 * kib,
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
  // Three ranges with three threads, the last one ending a byte into a window.
  const std::string bytes = content(12 * mib + 1, seed, edges);
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
    const std::string bytes = content(size, 7000 + static_cast<std::uint64_t>(i), {16 * kib});
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
