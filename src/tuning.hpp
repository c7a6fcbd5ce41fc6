#pragma once
// Every number that tunes linecount, in one place, each with the measurement or reason
// behind it. docs/performance.md has the tables; the machine is named there with each
// figure (mostly a 2-core AMD EPYC VM, some on a 2-core Intel Xeon VM).

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace linecount::tuning {

// ---- How much runs at once (cli/command_line.cpp) ----

/// --jobs by default: files open and in flight at once. Enough to keep every read thread
/// the pool may grow to busy on cold storage (the cold rows of docs/performance.md run with
/// it), while memory and descriptors stay bounded (first-chunk buffers are leased per file).
inline constexpr unsigned default_jobs = 256;
/// Read threads the pool may grow to by default (or twice the cores, if more): cold storage
/// wants many reads in flight, cached files one thread per core.
inline constexpr unsigned default_thread_ceiling = 16;

// ---- Reading one file (count/file_count.cpp) ----

/// Every file in flight has a buffer this large for its first chunk: it holds a whole small
/// file, so a small file costs one trip to a read thread.
inline constexpr std::size_t first_chunk_size = std::size_t{16} * 1024;
/// A file that fills its first chunk reads on in chunks this large, if one of the few large
/// buffers is free (otherwise in its first-chunk buffer): memory stays bounded however many
/// files are in flight. 128 and 256 KiB are the fastest reads in the probe; larger ones spill
/// out of L2 before they are counted.
inline constexpr std::size_t large_chunk_size = std::size_t{128} * 1024;
inline constexpr std::size_t large_buffers = 32;
/// The rest of a regular file at least this large is counted in ranges on the pool (see
/// plan_ranges()) instead of in chunks.
inline constexpr std::uint64_t split_threshold = std::uint64_t{1} << 20;

// ---- Compressed files, -z (count/decompressed_count.cpp) ----

/// Compressed bytes are read in chunks this large: at 4:1 (gzip -6, zstd -3 on logs) one
/// chunk decodes to about one decompressed chunk.
inline constexpr std::size_t compressed_chunk_size = std::size_t{1024} * 1024;
/// Each decode job fills this much decompressed data, then it is counted on the home thread.
/// Each job and each read costs two thread wake-ups, which on the AMD EPYC VM of
/// docs/performance.md took a fifth of the CPU time with 256 KiB chunks (perf:
/// pvm_irq_enable under pthread_cond_signal). Against 1 MiB decoded from 256 KiB read,
/// 4 MiB from 1 MiB made 1 GiB of logs 0.92 times as long as zstd, 0.94 as gzip, and 64
/// gzip files of 16 MiB 0.92 (farm-bench, 11 and 5 pairs); 4 MiB from 256 KiB was 6% slower,
/// 8 MiB from 2 MiB 3% faster, inside the noise. Two files decode at once: 10 MiB.
inline constexpr std::size_t decompressed_chunk_size = std::size_t{4096} * 1024;

// ---- Ranges of a large file (io/range_count.cpp) ----

/// Each pread of a range reads this much (128 and 256 KiB are the fastest in the probe;
/// larger buffers spill out of L2). Ranges start on multiples of it, so every read but a
/// range's last is whole and page-aligned.
inline constexpr std::size_t range_read_size = std::size_t{256} * 1024;
/// A file is split into ranges of at least this many bytes (a smaller range costs more in
/// hand-over than a second core saves).
inline constexpr std::uint64_t min_range_size = std::uint64_t{4} << 20;

// ---- Buffers (io/buffer_pool.hpp) ----

/// The first block of buffers is of ordinary pages, this large: a run over a few files then
/// zeroes no 2 MiB huge page (a first touch of a huge page costs ~0.3 ms). Later blocks are
/// huge pages: in a VM with shadow paging, the first touch of each 4 KiB page cost ~14 µs.
inline constexpr std::size_t first_buffer_block = std::size_t{256} * 1024;

// ---- The read pool (io/read_pool.cpp) ----

/// Quick jobs (reads that know they are at the end) run in one round of the home thread, up
/// to about this many (~2 ms of cached small files) before other ready handlers get a turn.
inline constexpr std::size_t quick_jobs_per_round = 256;
/// A batch of completions older than this goes home even though more jobs are on their way.
inline constexpr auto batch_age_limit = std::chrono::milliseconds{1};
/// How often the watch thread looks while jobs are outstanding, and how many ticks without a
/// job taken from a non-empty queue count as stuck (every thread blocked in a read that may
/// never end: FIFOs, terminals), which adds a thread.
inline constexpr auto watch_tick = std::chrono::milliseconds{10};
inline constexpr unsigned stalled_ticks_to_grow = 5;
/// Cold reads that raise the target by one thread, and cached reads in a row that lower it.
inline constexpr unsigned cold_reads_per_step = 4;
inline constexpr unsigned warm_reads_per_step = 1024;
/// A first read that took longer than this waited for storage: longer than a read from the
/// page cache takes, shorter than a trip to storage.
inline constexpr std::chrono::microseconds cold_read_time{50};
/// The reads home_should_try() leaves to the home thread, at the start of a run. Not more:
/// sharing a long run of cached files with the pool threads was slower (100,000 files took
/// 1.09 times as long with every other one read at home, 1.77 times with all of them).
inline constexpr std::uint64_t home_only_reads = 256;
/// After a read the home thread tried would have waited, the reads it leaves to the pool.
inline constexpr unsigned home_pause_after_a_wait = 64;

/// Job memory kept for reuse on the home thread, by size in units of this many bytes, for
/// jobs of up to job_size_classes units (larger ones use operator new each time).
inline constexpr std::size_t job_block = 64;
inline constexpr std::size_t job_size_classes = 16;

// ---- Opening in batches (io/open_batch.cpp) ----

/// The most files opened with one io_uring submission (and descriptors closed with one).
inline constexpr std::size_t open_batch_files = 32;
/// A batch of at most 32 opens from the kernel's caches takes well under 0.2 ms; one that
/// takes this long met a file system whose open waits, and the thread's next jobs are then
/// taken one at a time (so too after a batch whose names were mostly not in the caches).
inline constexpr auto slow_open_batch = std::chrono::milliseconds{2};
inline constexpr unsigned open_batches_paused = 256;

// ---- The -r walk (cli/walk.cpp) ----

/// Each getdents64 call reads up to this much of a directory (about 1,000 entries): most
/// directories take one call and the one that says the end.
inline constexpr std::size_t directory_read_size = std::size_t{32} * 1024;

/// The most room reserved up front for one directory's listing, from its st_size: an ext4
/// directory that once held millions of entries keeps its size.
inline constexpr std::size_t most_reserved_entries = std::size_t{1} << 17U;
inline constexpr std::size_t most_reserved_name_bytes = std::size_t{2} << 20U;

// ---- The --files0-from list (cli/operands.cpp) ----

/// The list is read in chunks this large: a list of 100,000 names (~2 MiB) costs two reads.
inline constexpr std::size_t list_chunk_size = std::size_t{1024} * 1024;
/// Names given back are kept up to this many (about the files in flight) for reuse, so a
/// long list costs no allocation per name; a name longer than a path can be is let go, so
/// spares never hold much more than the names in flight.
inline constexpr std::size_t spare_names_kept = 1024;
inline constexpr std::size_t spare_name_capacity_kept = 4096;

// ---- Output (report/) ----

/// Records are written in blocks of about this much (one write(2) per 64 KiB, not per line),
/// or sooner, once the io_context has run the work that was ready: a record never waits.
inline constexpr std::size_t output_flush_threshold = std::size_t{64} * 1024;
/// How often --progress redraws its line.
inline constexpr auto progress_redraw_interval = std::chrono::milliseconds{200};

}  // namespace linecount::tuning
