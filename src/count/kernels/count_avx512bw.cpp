// AVX-512BW kernel: 256 bytes a step in four independent per-byte counters, summed with
// vpsadbw every 255 steps; the last bytes through a masked load, so no scalar tail.

#include "count/kernels/kernels.hpp"

#include <immintrin.h>

namespace linecount::kernels {

std::uint64_t count_avx512bw(const std::byte* data, std::size_t size) noexcept {
  const __m512i newline = _mm512_set1_epi8('\n');
  const __m512i zero = _mm512_setzero_si512();
  std::uint64_t total = 0;
  std::size_t at = 0;
  while (size - at >= 256) {
    __m512i a = zero;
    __m512i b = zero;
    __m512i c = zero;
    __m512i d = zero;
    const std::size_t steps = (size - at) / 256 < 255 ? (size - at) / 256 : 255;
    for (std::size_t step = 0; step < steps; ++step, at += 256) {
      const auto* p = data + at;
      // Compare into a mask, then subtract -1 from the counters where it is set.
      const __m512i all = _mm512_set1_epi8(-1);
      a = _mm512_mask_sub_epi8(a, _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), newline), a, all);
      b = _mm512_mask_sub_epi8(b, _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p + 64), newline), b, all);
      c = _mm512_mask_sub_epi8(c, _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p + 128), newline), c, all);
      d = _mm512_mask_sub_epi8(d, _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p + 192), newline), d, all);
    }
    const __m512i sums = _mm512_add_epi64(
        _mm512_add_epi64(_mm512_sad_epu8(a, zero), _mm512_sad_epu8(b, zero)),
        _mm512_add_epi64(_mm512_sad_epu8(c, zero), _mm512_sad_epu8(d, zero)));
    // Through memory: g++ 12's _mm512_reduce_add_epi64 trips -Wmaybe-uninitialized.
    alignas(64) std::uint64_t lanes[8];
    _mm512_store_si512(lanes, sums);
    total += lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
  }
  for (; at < size; at += 64) {
    const std::size_t left = size - at;
    const __mmask64 valid = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    const __m512i block = _mm512_maskz_loadu_epi8(valid, data + at);
    total += static_cast<std::uint64_t>(
        __builtin_popcountll(_mm512_mask_cmpeq_epi8_mask(valid, block, newline)));
  }
  return total;
}

}  // namespace linecount::kernels
