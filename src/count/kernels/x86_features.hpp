#pragma once
// Which x86 instruction sets this CPU and the OS can run, found once: from what glibc's
// dynamic loader already detected (<sys/platform/x86.h>), or, without it, three CPUID
// leaves and XGETBV.
//
// Not __builtin_cpu_supports: libgcc's detection reads a dozen CPUID leaves at start-up, and
// under a hypervisor every CPUID traps, which made it a tenth of the run time of a one-file
// run.

#if defined(__x86_64__) || defined(__i386__)

namespace linecount::kernels {

struct x86_features {
  bool sse2 = false;
  bool avx2 = false;      ///< and the OS saves the YMM registers
  bool avx512bw = false;  ///< AVX-512F and BW, and the OS saves the ZMM and mask registers
};

/// Read on first use, then kept.
[[nodiscard]] const x86_features& cpu_features() noexcept;

}  // namespace linecount::kernels

#endif
