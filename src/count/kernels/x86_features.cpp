#include "count/kernels/x86_features.hpp"

#if defined(__x86_64__) || defined(__i386__)

#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>  // glibc 2.33 and later
#define LINECOUNT_GLIBC_CPU_FEATURES 1
#else
#include <cpuid.h>
#endif

#include <cstdint>

namespace linecount::kernels {
namespace {

#ifdef LINECOUNT_GLIBC_CPU_FEATURES

// What the dynamic loader found at start (for glibc's own choice of string functions):
// "active" is supported by the processor and its register state saved by the OS. No CPUID
// of our own, which traps to the hypervisor in a virtual machine (about 10 µs each here).
x86_features detect() noexcept {
  x86_features found;
  found.sse2 = CPU_FEATURE_ACTIVE(SSE2);
  found.avx2 = CPU_FEATURE_ACTIVE(AVX2);
  found.avx512bw = CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512BW);
  return found;
}

#else

// XCR0: the register state the OS saves on a context switch. No target flag needed for it.
std::uint64_t enabled_state() noexcept {
  std::uint32_t low = 0;
  std::uint32_t high = 0;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (std::uint64_t{high} << 32) | low;
}

x86_features detect() noexcept {
  x86_features found;
  unsigned eax = 0;
  unsigned ebx = 0;
  unsigned ecx = 0;
  unsigned edx = 0;
  if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0) return found;
  const unsigned max_leaf = eax;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return found;
  found.sse2 = (edx & bit_SSE2) != 0;
  const bool os_saves = (ecx & bit_OSXSAVE) != 0;
  if (!os_saves || max_leaf < 7) return found;
  const std::uint64_t state = enabled_state();
  constexpr std::uint64_t sse_and_ymm = 0x6;     // XMM, YMM
  constexpr std::uint64_t zmm_and_masks = 0xe0;  // opmask, ZMM0-15 upper halves, ZMM16-31
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool ymm = (state & sse_and_ymm) == sse_and_ymm;
  found.avx2 = ymm && (ebx & bit_AVX2) != 0;
  found.avx512bw = ymm && (state & zmm_and_masks) == zmm_and_masks && (ebx & bit_AVX512F) != 0 &&
                   (ebx & bit_AVX512BW) != 0;
  return found;
}

#endif

}  // namespace

const x86_features& cpu_features() noexcept {
  static const x86_features features = detect();
  return features;
}

}  // namespace linecount::kernels

#endif
