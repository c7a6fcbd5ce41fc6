#pragma once
// Intel ISA-L's inflate, loaded at run time (dlopen) the first time a gzip file is decoded.
// It inflates 2.3 times as fast as zlib here (docs/performance.md), but Debian ships it only
// as a shared library, and the linecount program is a static PIE because start-up is most
// of a one-file run: loading ISA-L only when a gzip file comes keeps both.

struct inflate_state;  // <isa-l/igzip_lib.h>

namespace linecount::decoders {

struct isal_library {
  void (*inflate_init)(inflate_state*);
  void (*inflate_reset)(inflate_state*);
  int (*inflate)(inflate_state*);
};

/// ISA-L's inflate, loaded once for the whole process; nullptr where libisal.so.2 cannot be
/// loaded, linecount was built without ISA-L's header, or the environment has
/// LINECOUNT_ISAL=off: gzip is then inflated by zlib.
[[nodiscard]] const isal_library* load_isal() noexcept;

}  // namespace linecount::decoders
