#pragma once
// Whether this build runs under a sanitizer's runtime (the tests and linecount are built
// alike): its shadow memory and allocator then dwarf a program's own memory, so absolute
// memory bounds hold only without one.

namespace linecount::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool under_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool under_sanitizer = true;
#else
inline constexpr bool under_sanitizer = false;
#endif
#else
inline constexpr bool under_sanitizer = false;
#endif

}  // namespace linecount::testing
