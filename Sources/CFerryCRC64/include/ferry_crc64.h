// CRC-64/NVME (the CRC Azure Storage calls CRC64 and S3 calls CRC64NVME):
// reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all-ones.
// Written in C because Ferry checksums every byte it moves: slice-by-8 tables keep the
// checksum far cheaper than the network (several GB/s per core; 12-24 GB/s with carry-less
// multiplication), and combine() lets the
// whole-file CRC be derived from per-block CRCs without reading the file twice.
#ifndef FERRY_CRC64_H
#define FERRY_CRC64_H
#include <stddef.h>
#include <stdint.h>

/// Continues `crc` (a finished CRC of the bytes before; 0 for none) over `length` bytes.
uint64_t ferry_crc64_update(uint64_t crc, const void *data, size_t length);

/// The same through one implementation (tests compare each with a bitwise reference); a path the
/// CPU lacks, or a length below its minimum, falls back to the tables.
enum { FERRY_CRC64_TABLE = 0, FERRY_CRC64_CLMUL = 1, FERRY_CRC64_WIDE_CLMUL = 2 };
uint64_t ferry_crc64_update_using(int path, uint64_t crc, const void *data, size_t length);

/// The CRC of A‖B given crc(A), crc(B) and B's length in bytes.
uint64_t ferry_crc64_combine(uint64_t crc_a, uint64_t crc_b, uint64_t length_b);

#endif
