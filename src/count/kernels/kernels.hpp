#pragma once
// The per-instruction-set kernels. Each lives in its own file compiled with its own target
// flags, and holds no inline or template code shared with other files: the linker must
// never pick an AVX-512 copy of a shared function for a CPU without AVX-512.

#include <cstddef>
#include <cstdint>

namespace linecount::kernels {

std::uint64_t count_scalar(const std::byte* data, std::size_t size) noexcept;

#if defined(__x86_64__) || defined(__i386__)
std::uint64_t count_sse2(const std::byte* data, std::size_t size) noexcept;
std::uint64_t count_avx2(const std::byte* data, std::size_t size) noexcept;
std::uint64_t count_avx512bw(const std::byte* data, std::size_t size) noexcept;
#endif

#if defined(__aarch64__)
std::uint64_t count_neon(const std::byte* data, std::size_t size) noexcept;
#endif

}  // namespace linecount::kernels
