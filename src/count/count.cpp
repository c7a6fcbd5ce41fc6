#include "linecount/count.hpp"

#include "count/kernels/kernels.hpp"
#include "count/kernels/x86_features.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace linecount {
namespace {

// The kernels in order of preference; the first this CPU supports is used. Each is compiled
// with its own target flags (src/CMakeLists.txt), so only its check guards the call.
bool always() noexcept { return true; }

#if defined(__x86_64__) || defined(__i386__)
bool has_avx512bw() noexcept { return kernels::cpu_features().avx512bw; }
bool has_avx2() noexcept { return kernels::cpu_features().avx2; }
bool has_sse2() noexcept { return kernels::cpu_features().sse2; }
#endif

constexpr std::array all_kernels{
#if defined(__x86_64__) || defined(__i386__)
    newline_kernel{"avx512bw", has_avx512bw, kernels::count_avx512bw},
    newline_kernel{"avx2", has_avx2, kernels::count_avx2},
    newline_kernel{"sse2", has_sse2, kernels::count_sse2},
#endif
#if defined(__aarch64__)
    newline_kernel{"neon", always, kernels::count_neon},
#endif
    newline_kernel{"scalar", always, kernels::count_scalar},
};

// LINECOUNT_KERNEL names a kernel to use instead (for tests and benchmarks); one this CPU
// cannot run is refused (kernel_selection_error()), never run.
const newline_kernel* forced_kernel() noexcept {
  const char* wanted = std::getenv("LINECOUNT_KERNEL");  // NOLINT(concurrency-mt-unsafe): read-only
  if (wanted == nullptr || *wanted == '\0') return nullptr;
  const auto* found = std::find_if(all_kernels.begin(), all_kernels.end(), [&](const auto& kernel) {
    return kernel.name == wanted && kernel.supported();
  });
  return found == all_kernels.end() ? nullptr : found;
}

const newline_kernel& choose_kernel() noexcept {
  if (const auto* forced = forced_kernel()) return *forced;
  // The scalar kernel, last, is always supported.
  return *std::find_if(all_kernels.begin(), all_kernels.end(),
                       [](const auto& kernel) { return kernel.supported(); });
}

}  // namespace

std::span<const newline_kernel> newline_kernels() noexcept { return all_kernels; }

const newline_kernel& active_newline_kernel() noexcept {
  static const newline_kernel& chosen = choose_kernel();  // once, not per file
  return chosen;
}

std::uint64_t count_newlines(std::span<const std::byte> bytes) noexcept {
  return active_newline_kernel().count(bytes.data(), bytes.size());
}

std::string kernel_selection_error() {
  const char* wanted = std::getenv("LINECOUNT_KERNEL");  // NOLINT(concurrency-mt-unsafe): read-only
  if (wanted == nullptr || *wanted == '\0' || forced_kernel() != nullptr) return {};
  std::string names;
  for (const auto& kernel : all_kernels) {
    if (!kernel.supported()) continue;
    names += names.empty() ? "" : ", ";
    names += kernel.name;
  }
  return "LINECOUNT_KERNEL: '" + std::string(wanted) +
         "' is not a counting kernel this CPU supports (supported: " + names + ")";
}

}  // namespace linecount
