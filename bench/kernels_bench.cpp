// Google Benchmark: bytes per second of every newline kernel this CPU supports, on buffers
// from L1-sized to larger than the caches. Run: build/release/bench/kernels_bench

#include "linecount/count.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

namespace {

std::vector<std::byte> text(std::size_t size) {
  std::mt19937 random{1};
  std::vector<std::byte> bytes(size);
  for (auto& b : bytes) b = random() % 80 == 0 ? std::byte{'\n'} : std::byte{'x'};
  return bytes;
}

void count_kernel(benchmark::State& state, const linecount::newline_kernel* kernel) {
  const auto bytes = text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(kernel->count(bytes.data(), bytes.size()));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

const bool registered = [] {
  for (const auto& kernel : linecount::newline_kernels()) {
    if (!kernel.supported()) continue;
    benchmark::RegisterBenchmark(std::string(kernel.name).c_str(), count_kernel, &kernel)
        ->Arg(4 << 10)
        ->Arg(256 << 10)
        ->Arg(16 << 20)
        ->Arg(256 << 20);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
