/* Preloaded into linecount (LD_PRELOAD) by the test that a file costs no heap allocation:
 * counts every allocation the process makes and, at exit, writes the count to the file
 * named by LINECOUNT_ALLOCATIONS_OUT. Forwards to glibc's own allocator. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t count, size_t size);
extern void* __libc_realloc(void* old, size_t size);
extern void* __libc_memalign(size_t alignment, size_t size);

static atomic_ulong allocations;

static void counted(void) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); }

void* malloc(size_t size) {
  counted();
  return __libc_malloc(size);
}

void* calloc(size_t count, size_t size) {
  counted();
  return __libc_calloc(count, size);
}

void* realloc(void* old, size_t size) {
  counted();
  return __libc_realloc(old, size);
}

void* memalign(size_t alignment, size_t size) {
  counted();
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void** result, size_t alignment, size_t size) {
  void* memory = memalign(alignment, size);
  if (memory == NULL && size != 0) return ENOMEM;
  *result = memory;
  return 0;
}

__attribute__((destructor)) static void write_count(void) {
  const char* path = getenv("LINECOUNT_ALLOCATIONS_OUT");
  if (path == NULL) return;
  const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  char text[32];
  const int length = snprintf(text, sizeof text, "%lu\n", atomic_load(&allocations));
  if (length > 0) (void)!write(fd, text, (size_t)length);
  close(fd);
}
