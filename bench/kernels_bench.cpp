// Google Benchmark: bytes per second of every newline kernel this CPU supports, on buffers
// from L1-sized to larger than the caches, starting on a page boundary (as linecount's read
// buffers do) or 16 bytes past one (as operator new's large blocks do).
// Run: build/bench/bench/kernels_bench

#include "linecount/count.hpp"

#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <string>

namespace {

constexpr std::size_t page = 4096;

struct page_delete {
  void operator()(std::byte* bytes) const noexcept {
    ::operator delete[](bytes, std::align_val_t{page});
  }
};

// `size` bytes of ~80-byte lines, `offset` bytes past a page boundary.
std::unique_ptr<std::byte[], page_delete> text(std::size_t size, std::size_t offset) {
  std::unique_ptr<std::byte[], page_delete> bytes{
      static_cast<std::byte*>(::operator new[](size + offset, std::align_val_t{page}))};
  std::mt19937 random{1};
  for (std::size_t at = offset; at < size + offset; ++at)
    bytes[at] = random() % 80 == 0 ? std::byte{'\n'} : std::byte{'x'};
  return bytes;
}

// Arguments: size, then the offset from a page boundary.
void count_kernel(benchmark::State& state, const linecount::newline_kernel* kernel) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto offset = static_cast<std::size_t>(state.range(1));
  const auto bytes = text(size, offset);
  for (auto _ : state) {
    benchmark::DoNotOptimize(kernel->count(bytes.get() + offset, size));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

const bool registered = [] {
  for (const auto& kernel : linecount::newline_kernels()) {
    if (!kernel.supported()) continue;
    benchmark::RegisterBenchmark(std::string(kernel.name).c_str(), count_kernel, &kernel)
        ->ArgsProduct({{4 << 10, 256 << 10, 16 << 20, 256 << 20}, {0, 16}});
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
