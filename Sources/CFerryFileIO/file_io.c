// Linux file calls that Swift's Glibc module does not import (they need _GNU_SOURCE).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include "ferry_file_io.h"

int ferry_start_writeback(int fd, int64_t offset, int64_t length) {
#if defined(__linux__)
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)length;
    return 0;
#endif
}

int ferry_preallocate(int fd, int64_t length) {
#if defined(__linux__)
    return fallocate(fd, 0, 0, (off_t)length);
#else
    (void)fd; (void)length;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

#if defined(__GLIBC__)
#include <malloc.h>
int ferry_limit_malloc_arenas(int count) { return mallopt(M_ARENA_MAX, count); }
#else
int ferry_limit_malloc_arenas(int count) { (void)count; return 0; }
#endif
