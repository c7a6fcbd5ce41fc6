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

std::optional<window_count> count_mapped_window(int fd, std::uint64_t offset,
                                                std::size_t length) noexcept {
  if (length == 0) return window_count{};
  install_handler();
  // Mapped from a huge-page boundary of the file (the bytes before `offset` are mapped, not
  // read): only a map whose file offset and address agree on that boundary can take the
  // page cache's huge pages whole, with one fault for 2 MiB instead of one per 64 KiB.
  const std::uint64_t aligned = offset & ~(huge_page_size - 1);
  const auto skip = static_cast<std::size_t>(offset - aligned);
  const std::size_t mapped_length = skip + length;
  void* map = ::mmap(nullptr, mapped_length, PROT_READ, MAP_SHARED, fd,
                     static_cast<off_t>(aligned));
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
