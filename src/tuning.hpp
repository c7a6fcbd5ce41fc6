#pragma once
// The sizes that shape how linecount reads a file (the reasons are measured ones: see the
// docs/performance.md).

#include <cstddef>
#include <cstdint>

namespace linecount::app {

/// Every file in flight has a buffer this large for its first chunk: it holds a whole small
/// file, so a small file costs one trip to a read thread.
inline constexpr std::size_t first_chunk_size = std::size_t{16} * 1024;
/// A file that fills its first chunk reads on in chunks this large, if one of the few large
/// buffers is free (otherwise in its first-chunk buffer): memory stays bounded however
/// many files are in flight.
inline constexpr std::size_t large_chunk_size = std::size_t{128} * 1024;
inline constexpr std::size_t large_buffers = 32;
/// The rest of a regular file at least this large is counted in ranges on the pool (see
/// plan_ranges()) instead of in chunks.
inline constexpr std::uint64_t split_threshold = std::uint64_t{1} << 20;

}  // namespace linecount::app
