/* Preloaded into linecount (LD_PRELOAD) by fault tests: holds one system call on one file
 * until the test releases it, so that the test changes the file at a point it knows
 * linecount has reached, with no timing window. Set by the environment:
 *
 *   LINECOUNT_HOLD_CALL  open | read | fstat   which calls count (see below)
 *   LINECOUNT_HOLD_PATH  the file, as an absolute path
 *   LINECOUNT_HOLD_NTH   hold the Nth such call on that file (from 1)
 *   LINECOUNT_HOLD_WHEN  before | after        the call is made
 *   LINECOUNT_HOLD_DIR   a folder with two FIFOs: "held" (written here, one byte, when the
 *                        call is held) and "release" (read here: the call goes on)
 *
 * "open" is open/openat, and openat2 made through syscall(2) (matched by the path opened),
 * "read" is read, pread, preadv2 and readv, "fstat" is fstat (matched by what the
 * descriptor refers to). The handshake uses raw
 * system calls, so that nothing here goes through the functions it replaces or through a
 * sanitizer's interceptors. */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum call_kind { call_none, call_open, call_read, call_fstat };

static enum call_kind held_kind = call_none;
static const char* held_path;
static long held_nth;
static int hold_after;
static char held_fifo[PATH_MAX];
static char release_fifo[PATH_MAX];
static atomic_long matching_calls;

__attribute__((constructor)) static void read_settings(void) {
  const char* call = getenv("LINECOUNT_HOLD_CALL");
  const char* path = getenv("LINECOUNT_HOLD_PATH");
  const char* nth = getenv("LINECOUNT_HOLD_NTH");
  const char* when = getenv("LINECOUNT_HOLD_WHEN");
  const char* dir = getenv("LINECOUNT_HOLD_DIR");
  if (call == NULL || path == NULL || nth == NULL || when == NULL || dir == NULL) return;
  held_path = path;
  held_nth = atol(nth);
  hold_after = strcmp(when, "after") == 0;
  snprintf(held_fifo, sizeof held_fifo, "%s/held", dir);
  snprintf(release_fifo, sizeof release_fifo, "%s/release", dir);
  if (strcmp(call, "open") == 0) held_kind = call_open;
  if (strcmp(call, "read") == 0) held_kind = call_read;
  if (strcmp(call, "fstat") == 0) held_kind = call_fstat;
}

static void* real(const char* name) { return dlsym(RTLD_NEXT, name); }

/* Tells the test that the call is held, then waits for its release. */
static void handshake(void) {
  const int release = (int)syscall(SYS_openat, AT_FDCWD, release_fifo,
                                   O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  const int held = (int)syscall(SYS_openat, AT_FDCWD, held_fifo, O_WRONLY | O_CLOEXEC);
  if (release < 0 || held < 0) abort(); /* a test that set this up wrongly must not pass */
  const char byte = 'h';
  (void)syscall(SYS_write, held, &byte, 1);
  syscall(SYS_close, held);
  struct pollfd ready = {release, POLLIN, 0};
  char got = 0;
  for (;;) {
    if (syscall(SYS_poll, &ready, 1, -1) < 0) continue; /* EINTR */
    if (syscall(SYS_read, release, &got, 1) == 1) break;
  }
  syscall(SYS_close, release);
}

/* Whether this call, of `kind` on `path`, is the one to hold. */
static int is_held(enum call_kind kind, const char* path) {
  if (kind != held_kind || path == NULL || strcmp(path, held_path) != 0) return 0;
  return atomic_fetch_add(&matching_calls, 1) + 1 == held_nth;
}

static int path_of_fd(int fd, char* path, size_t size) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const long length = syscall(SYS_readlinkat, AT_FDCWD, link, path, size - 1);
  if (length < 0) return 0;
  path[length] = '\0';
  return 1;
}

static int fd_is_held(enum call_kind kind, int fd) {
  if (kind != held_kind) return 0;
  char path[PATH_MAX];
  return path_of_fd(fd, path, sizeof path) && is_held(kind, path);
}

/* The path an open names, made absolute for the comparison. */
static int path_opened(int dirfd, const char* name, char* path, size_t size) {
  if (name[0] == '/') {
    snprintf(path, size, "%s", name);
    return 1;
  }
  char base[PATH_MAX];
  if (dirfd == AT_FDCWD) {
    if (syscall(SYS_getcwd, base, sizeof base) < 0) return 0;
  } else if (!path_of_fd(dirfd, base, sizeof base)) {
    return 0;
  }
  return snprintf(path, size, "%s/%s", base, name) < (int)size;
}

static int open_held(int dirfd, const char* name) {
  if (held_kind != call_open) return 0;
  char path[PATH_MAX];
  return path_opened(dirfd, name, path, sizeof path) && is_held(call_open, path);
}

/* Runs `call` with the hold before or after it, keeping the call's errno. */
#define HELD_CALL(type, hold, call)      \
  do {                                   \
    const int held_here = (hold);        \
    if (held_here && !hold_after) handshake(); \
    const type result = (call);          \
    if (held_here && hold_after) {       \
      const int saved = errno;           \
      handshake();                       \
      errno = saved;                     \
    }                                    \
    return result;                       \
  } while (0)

static mode_t mode_argument(int flags, va_list args) {
  return (flags & (O_CREAT | __O_TMPFILE)) != 0 ? (mode_t)va_arg(args, int) : 0;
}

int open(const char* name, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  static int (*next)(const char*, int, ...);
  if (next == NULL) next = real("open");
  HELD_CALL(int, open_held(AT_FDCWD, name), next(name, flags, mode));
}

int open64(const char* name, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  static int (*next)(const char*, int, ...);
  if (next == NULL) next = real("open64");
  HELD_CALL(int, open_held(AT_FDCWD, name), next(name, flags, mode));
}

int openat(int dirfd, const char* name, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  static int (*next)(int, const char*, int, ...);
  if (next == NULL) next = real("openat");
  HELD_CALL(int, open_held(dirfd, name), next(dirfd, name, flags, mode));
}

int openat64(int dirfd, const char* name, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const mode_t mode = mode_argument(flags, args);
  va_end(args);
  static int (*next)(int, const char*, int, ...);
  if (next == NULL) next = real("openat64");
  HELD_CALL(int, open_held(dirfd, name), next(dirfd, name, flags, mode));
}

ssize_t read(int fd, void* data, size_t size) {
  static ssize_t (*next)(int, void*, size_t);
  if (next == NULL) next = real("read");
  HELD_CALL(ssize_t, fd_is_held(call_read, fd), next(fd, data, size));
}

ssize_t pread(int fd, void* data, size_t size, off_t offset) {
  static ssize_t (*next)(int, void*, size_t, off_t);
  if (next == NULL) next = real("pread");
  HELD_CALL(ssize_t, fd_is_held(call_read, fd), next(fd, data, size, offset));
}

ssize_t pread64(int fd, void* data, size_t size, off_t offset) {
  static ssize_t (*next)(int, void*, size_t, off_t);
  if (next == NULL) next = real("pread64");
  HELD_CALL(ssize_t, fd_is_held(call_read, fd), next(fd, data, size, offset));
}

ssize_t readv(int fd, const struct iovec* vector, int count) {
  static ssize_t (*next)(int, const struct iovec*, int);
  if (next == NULL) next = real("readv");
  HELD_CALL(ssize_t, fd_is_held(call_read, fd), next(fd, vector, count));
}

ssize_t preadv2(int fd, const struct iovec* vector, int count, off_t offset, int flags) {
  static ssize_t (*next)(int, const struct iovec*, int, off_t, int);
  if (next == NULL) next = real("preadv2");
  HELD_CALL(ssize_t, fd_is_held(call_read, fd), next(fd, vector, count, offset, flags));
}

int fstat(int fd, struct stat* status) {
  static int (*next)(int, struct stat*);
  if (next == NULL) next = real("fstat");
  HELD_CALL(int, fd_is_held(call_fstat, fd), next(fd, status));
}

int fstat64(int fd, struct stat64* status) {
  static int (*next)(int, struct stat64*);
  if (next == NULL) next = real("fstat64");
  HELD_CALL(int, fd_is_held(call_fstat, fd), next(fd, status));
}

/* glibc has no openat2() wrapper: linecount makes it through syscall(2). */
long syscall(long number, ...) {
  va_list args;
  va_start(args, number);
  long argument[6];
  for (int i = 0; i < 6; ++i) argument[i] = va_arg(args, long);
  va_end(args);
  static long (*next)(long, ...);
  if (next == NULL) next = real("syscall");
  const int held_open =
      number == SYS_openat2 && open_held((int)argument[0], (const char*)argument[1]);
  HELD_CALL(long, held_open,
            next(number, argument[0], argument[1], argument[2], argument[3], argument[4],
                 argument[5]));
}
