#include "mapped_window.hpp"

#include "linecount/count.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <span>
#include <sys/mman.h>
#include <unistd.h>

namespace linecount::detail {
namespace {

// The window the current thread is counting. initial-exec: a signal handler must not be
// the first to touch thread-local storage that would be allocated lazily.
[[gnu::tls_model("initial-exec")]] thread_local const std::byte* window_begin = nullptr;
[[gnu::tls_model("initial-exec")]] thread_local const std::byte* window_end = nullptr;
[[gnu::tls_model("initial-exec")]] thread_local volatile std::sig_atomic_t window_lost = 0;

struct sigaction previous_action {};
std::size_t page_size = 4096;
// The page cache's huge pages (a multiple of every page size in use).
constexpr std::uint64_t huge_page_size = std::uint64_t{2} << 20;

extern "C" void on_sigbus(int signal, siginfo_t* info, void* context) {
  const auto* address = static_cast<const std::byte*>(info->si_addr);
  if (signal == SIGBUS && info->si_code > 0 && address >= window_begin &&
      address < window_end) {
    const auto page = reinterpret_cast<std::uintptr_t>(address) & ~(page_size - 1);
    // mmap is async-signal-safe in practice (a plain system call); zeros hold no newline.
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the page the kernel named in si_addr
    void* zeros = ::mmap(reinterpret_cast<void*>(page), page_size, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (zeros != MAP_FAILED) {
      window_lost = 1;
      return;
    }
  }
  // Not ours: hand it to whatever handled SIGBUS before.
  if ((previous_action.sa_flags & SA_SIGINFO) != 0 && previous_action.sa_sigaction != nullptr) {
    previous_action.sa_sigaction(signal, info, context);
  } else if (previous_action.sa_handler == SIG_DFL) {
    // The default action: the faulting access repeats and is fatal; a SIGBUS sent by kill()
    // is delivered again once this handler returns.
    struct sigaction fatal {};
    fatal.sa_handler = SIG_DFL;
    (void)::sigaction(SIGBUS, &fatal, nullptr);
    if (info->si_code <= 0) (void)::raise(SIGBUS);
  } else if (previous_action.sa_handler != SIG_IGN) {
    previous_action.sa_handler(signal);
  }
}

void install_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    page_size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, &previous_action);
  });
}

}  // namespace

void* map_aligned(int fd, std::uint64_t offset, std::size_t length,
                  std::size_t alignment) noexcept {
  void* map = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(offset));
  if (map == MAP_FAILED || reinterpret_cast<std::uintptr_t>(map) % alignment == 0) return map;
  // The kernel put it elsewhere: place it on a boundary by hand, inside a stretch of address
  // space reserved for the purpose, and give back the rest of the stretch.
  ::munmap(map, length);
  const std::size_t reserved = length + alignment;
  void* area = ::mmap(nullptr, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                      -1, 0);
  if (area == MAP_FAILED)
    return ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(offset));
  auto* const area_begin = static_cast<std::byte*>(area);
  const std::size_t past = reinterpret_cast<std::uintptr_t>(area) % alignment;
  std::byte* const start = area_begin + (past == 0 ? 0 : alignment - past);
  void* placed =
      ::mmap(start, length, PROT_READ, MAP_SHARED | MAP_FIXED, fd, static_cast<off_t>(offset));
  if (placed == MAP_FAILED) {
    ::munmap(area, reserved);
    return ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(offset));
  }
  std::byte* const end = start + length;
  std::byte* const area_end = area_begin + reserved;
  if (start > area_begin) ::munmap(area_begin, static_cast<std::size_t>(start - area_begin));
  if (area_end > end) ::munmap(end, static_cast<std::size_t>(area_end - end));
  return placed;
}

std::optional<window_count> count_mapped_window(int fd, std::uint64_t offset,
                                                std::size_t length) noexcept {
  if (length == 0) return window_count{};
  install_handler();
  // Mapped from a huge-page boundary of the file (the bytes before `offset` are mapped, not
  // read) to an address on such a boundary: only then can the page cache's huge pages be
  // mapped whole, with one fault for 2 MiB instead of one per 64 KiB.
  const std::uint64_t aligned = offset & ~(huge_page_size - 1);
  const auto skip = static_cast<std::size_t>(offset - aligned);
  const std::size_t mapped_length = skip + length;
  // (A map shorter than a huge page cannot hold one: anywhere will do for it.)
  void* map = map_aligned(fd, aligned, mapped_length,
                          mapped_length >= huge_page_size ? huge_page_size : page_size);
  if (map == MAP_FAILED) return std::nullopt;
  const auto* begin = static_cast<const std::byte*>(map);
  window_lost = 0;
  window_begin = begin;
  window_end = begin + mapped_length;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  const std::uint64_t lines = count_newlines(std::span{begin + skip, length});
  const std::byte last = begin[skip + length - 1];
  std::atomic_signal_fence(std::memory_order_seq_cst);
  window_begin = nullptr;
  window_end = nullptr;
  const bool lost = window_lost != 0;
  ::munmap(map, mapped_length);
  if (lost) return std::nullopt;
  return window_count{lines, last};
}

}  // namespace linecount::detail
