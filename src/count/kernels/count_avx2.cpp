// AVX2 kernel: 128 bytes a step in four independent per-byte counters, summed with vpsadbw
// every 255 steps.

#include "count/kernels/kernels.hpp"

#include <immintrin.h>

namespace linecount::kernels {

std::uint64_t count_avx2(const std::byte* data, std::size_t size) noexcept {
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i zero = _mm256_setzero_si256();
  std::uint64_t total = 0;
  std::size_t at = 0;
  while (size - at >= 128) {
    __m256i a = zero;
    __m256i b = zero;
    __m256i c = zero;
    __m256i d = zero;
    const std::size_t steps = (size - at) / 128 < 255 ? (size - at) / 128 : 255;
    for (std::size_t step = 0; step < steps; ++step, at += 128) {
      const auto* p = reinterpret_cast<const __m256i*>(data + at);
      a = _mm256_sub_epi8(a, _mm256_cmpeq_epi8(_mm256_loadu_si256(p), newline));
      b = _mm256_sub_epi8(b, _mm256_cmpeq_epi8(_mm256_loadu_si256(p + 1), newline));
      c = _mm256_sub_epi8(c, _mm256_cmpeq_epi8(_mm256_loadu_si256(p + 2), newline));
      d = _mm256_sub_epi8(d, _mm256_cmpeq_epi8(_mm256_loadu_si256(p + 3), newline));
    }
    const __m256i sums = _mm256_add_epi64(
        _mm256_add_epi64(_mm256_sad_epu8(a, zero), _mm256_sad_epu8(b, zero)),
        _mm256_add_epi64(_mm256_sad_epu8(c, zero), _mm256_sad_epu8(d, zero)));
    const __m128i half = _mm_add_epi64(_mm256_castsi256_si128(sums),
                                       _mm256_extracti128_si256(sums, 1));
    total += static_cast<std::uint64_t>(_mm_cvtsi128_si64(half)) +
             static_cast<std::uint64_t>(_mm_extract_epi64(half, 1));
  }
  for (; size - at >= 32; at += 32) {
    const auto block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + at));
    const auto mask = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, newline)));
    total += static_cast<std::uint64_t>(__builtin_popcount(mask));
  }
  return total + count_scalar(data + at, size - at);  // the last 31 bytes or fewer
}

}  // namespace linecount::kernels
