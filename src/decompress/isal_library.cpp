#include "decompress/isal_library.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <optional>
#include <string_view>

namespace linecount::decoders {
#if __has_include(<isa-l/igzip_lib.h>)
namespace {

template <typename Function>
bool find(void* library, const char* name, Function*& function) {
  // POSIX guarantees that a dlsym() result converts to a function pointer.
  function = reinterpret_cast<Function*>(dlsym(library, name));  // NOLINT
  return function != nullptr;
}

std::optional<isal_library> open_isal() {
  // LINECOUNT_ISAL=off: zlib inflates gzip (for tests, and a way out should loading fail).
  const char* setting = std::getenv("LINECOUNT_ISAL");  // NOLINT(concurrency-mt-unsafe): read-only
  if (setting != nullptr && std::string_view{setting} == "off") return std::nullopt;
  // libisal.so.2: the soname of ISA-L 2.x, whose header this file was compiled against.
  void* library = dlopen("libisal.so.2", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return std::nullopt;
  isal_library functions{};
  if (!find(library, "isal_inflate_init", functions.inflate_init) ||
      !find(library, "isal_inflate_reset", functions.inflate_reset) ||
      !find(library, "isal_inflate", functions.inflate)) {
    dlclose(library);
    return std::nullopt;
  }
  return functions;  // the library stays loaded for the rest of the process
}

}  // namespace

const isal_library* load_isal() noexcept {
  static const std::optional<isal_library> library = open_isal();  // once, thread-safe
  return library ? &*library : nullptr;
}
#else
const isal_library* load_isal() noexcept { return nullptr; }
#endif

}  // namespace linecount::decoders
