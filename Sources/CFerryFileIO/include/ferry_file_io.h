#ifndef FERRY_FILE_IO_H
#define FERRY_FILE_IO_H

#include <stdint.h>

/// Asks the kernel to start writing `length` bytes at `offset` of `fd` to disk, without waiting
/// (Linux `sync_file_range(SYNC_FILE_RANGE_WRITE)`). Returns 0, or -1 with errno set; on systems
/// without it, returns 0 and does nothing (the final fsync then does all the work).
int ferry_start_writeback(int fd, int64_t offset, int64_t length);

/// Gives `fd` disk blocks for its first `length` bytes now and makes it that long (Linux
/// `fallocate`; unwritten blocks read as zeros). Returns 0, or -1 with errno set: ENOSPC when they
/// do not fit, EOPNOTSUPP where the file system (or system) cannot preallocate.
int ferry_preallocate(int fd, int64_t length);

/// Caps the number of glibc malloc arenas (`mallopt(M_ARENA_MAX, count)`, which Swift does not
/// import). Returns 1 on success; 0 where there is no such setting (other C libraries).
int ferry_limit_malloc_arenas(int count);

#endif
