// Slice-by-8 CRC-64/NVME and zlib-style CRC combination over GF(2).
#include "ferry_crc64.h"
#include <pthread.h>
#include <string.h>

#define POLY 0x9A6C9329AC4BC9B5ULL

static uint64_t table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_tables(void) {
    for (int n = 0; n < 256; n++) {
        uint64_t crc = (uint64_t)n;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ POLY : crc >> 1;
        table[0][n] = crc;
    }
    for (int n = 0; n < 256; n++) {
        uint64_t crc = table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = table[0][crc & 0xff] ^ (crc >> 8);
            table[k][n] = crc;
        }
    }
}

uint64_t ferry_crc64_update(uint64_t crc, const void *data, size_t length) {
    pthread_once(&table_once, build_tables);
    const unsigned char *p = (const unsigned char *)data;
    crc = ~crc;
    while (length && ((uintptr_t)p & 7)) {
        crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
        length--;
    }
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8); // little-endian hosts only (x86_64, arm64)
        crc ^= word;
        crc = table[7][crc & 0xff] ^ table[6][(crc >> 8) & 0xff] ^
              table[5][(crc >> 16) & 0xff] ^ table[4][(crc >> 24) & 0xff] ^
              table[3][(crc >> 32) & 0xff] ^ table[2][(crc >> 40) & 0xff] ^
              table[1][(crc >> 48) & 0xff] ^ table[0][crc >> 56];
        p += 8;
        length -= 8;
    }
    while (length--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

// Multiplies a 64x64 GF(2) matrix by a vector.
static uint64_t gf2_times(const uint64_t *matrix, uint64_t vector) {
    uint64_t sum = 0;
    for (int i = 0; vector; i++, vector >>= 1)
        if (vector & 1) sum ^= matrix[i];
    return sum;
}

static void gf2_square(uint64_t *square, const uint64_t *matrix) {
    for (int n = 0; n < 64; n++) square[n] = gf2_times(matrix, matrix[n]);
}

uint64_t ferry_crc64_combine(uint64_t crc_a, uint64_t crc_b, uint64_t length_b) {
    if (length_b == 0) return crc_a;
    uint64_t even[64], odd[64];
    // Operator for one zero bit.
    odd[0] = POLY;
    uint64_t row = 1;
    for (int n = 1; n < 64; n++) { odd[n] = row; row <<= 1; }
    gf2_square(even, odd); // two zero bits
    gf2_square(odd, even); // four zero bits
    // Apply length_b zero bytes to crc_a (the init/xorout terms cancel between A and B).
    do {
        gf2_square(even, odd);
        if (length_b & 1) crc_a = gf2_times(even, crc_a);
        length_b >>= 1;
        if (length_b == 0) break;
        gf2_square(odd, even);
        if (length_b & 1) crc_a = gf2_times(odd, crc_a);
        length_b >>= 1;
    } while (length_b);
    return crc_a ^ crc_b;
}
