#pragma once
// Counting newline bytes: the one operation every path of linecount ends in.
//
// Several kernels do the counting, one per instruction set (AVX-512BW, AVX2, SSE2, NEON and
// a portable scalar one). The best one the CPU supports is chosen once, at first use;
// LINECOUNT_KERNEL=<name> in the environment forces one (for tests and benchmarks).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace linecount {

/// Number of '\n' bytes in `bytes`, with the active kernel. Binary-safe: CR, NUL and bytes
/// >= 0x80 are ordinary data, exactly as `wc -l` counts.
[[nodiscard]] std::uint64_t count_newlines(std::span<const std::byte> bytes) noexcept;

/// One implementation of newline counting.
struct newline_kernel {
  std::string_view name;
  bool (*supported)() noexcept;  ///< whether this CPU (and OS) can run it
  std::uint64_t (*count)(const std::byte* data, std::size_t size) noexcept;
};

/// Every kernel compiled into this build, best first; the last is "scalar", always supported.
[[nodiscard]] std::span<const newline_kernel> newline_kernels() noexcept;

/// The kernel count_newlines() uses. Chosen once: LINECOUNT_KERNEL if set and valid,
/// otherwise the best supported one.
[[nodiscard]] const newline_kernel& active_newline_kernel() noexcept;

/// Checks LINECOUNT_KERNEL: nothing if it is unset or names a supported kernel, otherwise a
/// message saying what is wrong (the program reports it and stops).
[[nodiscard]] std::string kernel_selection_error();

}  // namespace linecount
