// Slice-by-8 and carry-less-multiply (128- and 256-bit) CRC-64/NVME, and CRC combination over GF(2).
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

static uint64_t crc64_table_update(uint64_t crc, const void *data, size_t length) {
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

#if defined(__x86_64__)
#include <immintrin.h>

// Carry-less-multiply folding (PCLMULQDQ), for CPUs that have it: ~10x the table's speed.
// In the reflected domain a 128-bit little-endian load holds 128 message bits, highest degree
// first. Folding a register forward by D bits multiplies its high-degree half (low qword) by
// x^(D+63) mod P and its other half by x^(D-1) mod P (bit-reversed constants; the "-1" absorbs
// the one-bit shift of a reflected carry-less product). The sum is congruent mod P to the
// message it replaces, so the CRC of the last 16 bytes of register content equals the CRC of
// everything folded into it; the table finishes those 16 bytes and any tail.
#define K_127 0x21e9761e252621acULL // reversed x^127 mod P (fold by 128 bits)
#define K_191 0xeadc41fd2ba3d420ULL // reversed x^191 mod P
#define K_511 0x62242240ace5045aULL // reversed x^511 mod P (fold by 512 bits)
#define K_575 0x0c32cdb31e18a84aULL // reversed x^575 mod P

__attribute__((target("pclmul,sse2")))
static inline __m128i fold(__m128i reg, __m128i constants, __m128i next) {
    __m128i low = _mm_clmulepi64_si128(reg, constants, 0x00);  // reg.lo * constants.lo
    __m128i high = _mm_clmulepi64_si128(reg, constants, 0x11); // reg.hi * constants.hi
    return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

// Folds the remaining whole 16-byte pieces into `reg`, then lets the table finish the register's
// 16 bytes and the tail: both folding widths end here.
__attribute__((target("pclmul,sse2")))
static uint64_t finish_folding(__m128i reg, __m128i by128, const unsigned char *p, size_t length) {
    while (length >= 16) {
        reg = fold(reg, by128, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        length -= 16;
    }
    unsigned char last[16];
    _mm_storeu_si128((__m128i *)last, reg);
    uint64_t result = crc64_table_update(~0ULL, last, 16); // register 0 in, raw register out (negated twice)
    return crc64_table_update(result, p, length);
}

__attribute__((target("pclmul,sse2")))
static uint64_t crc64_clmul_update(uint64_t crc, const unsigned char *p, size_t length) {
    const __m128i by128 = _mm_set_epi64x((long long)K_127, (long long)K_191);
    const __m128i by512 = _mm_set_epi64x((long long)K_511, (long long)K_575);
    __m128i r0 = _mm_loadu_si128((const __m128i *)p);
    r0 = _mm_xor_si128(r0, _mm_set_epi64x(0, (long long)~crc)); // the register enters as the first 8 bytes
    p += 16;
    length -= 16;
    if (length >= 48 + 64) {
        __m128i r1 = _mm_loadu_si128((const __m128i *)p);
        __m128i r2 = _mm_loadu_si128((const __m128i *)(p + 16));
        __m128i r3 = _mm_loadu_si128((const __m128i *)(p + 32));
        p += 48;
        length -= 48;
        while (length >= 64) {
            r0 = fold(r0, by512, _mm_loadu_si128((const __m128i *)p));
            r1 = fold(r1, by512, _mm_loadu_si128((const __m128i *)(p + 16)));
            r2 = fold(r2, by512, _mm_loadu_si128((const __m128i *)(p + 32)));
            r3 = fold(r3, by512, _mm_loadu_si128((const __m128i *)(p + 48)));
            p += 64;
            length -= 64;
        }
        r0 = fold(r0, by128, r1);
        r0 = fold(r0, by128, r2);
        r0 = fold(r0, by128, r3);
    }
    return finish_folding(r0, by128, p, length);
}

#define K_1023 0x5f852fb61e8d92dcULL // reversed x^1023 mod P (fold by 1024 bits)
#define K_1087 0xa1ca681e733f9c40ULL // reversed x^1087 mod P

// The same folding on 256-bit registers (VPCLMULQDQ): each holds two 128-bit lanes, so four
// registers fold 128 bytes per step; at the end the eight lanes fold into one, in message order.
__attribute__((target("vpclmulqdq,avx2,pclmul")))
static uint64_t crc64_wide_clmul_update(uint64_t crc, const unsigned char *p, size_t length) {
    const __m256i by1024 = _mm256_set_epi64x((long long)K_1023, (long long)K_1087, (long long)K_1023, (long long)K_1087);
    __m256i r[4];
    for (int i = 0; i < 4; i++) r[i] = _mm256_loadu_si256((const __m256i *)(p + 32 * i));
    r[0] = _mm256_xor_si256(r[0], _mm256_set_epi64x(0, 0, 0, (long long)~crc));
    p += 128;
    length -= 128;
    while (length >= 128) {
        for (int i = 0; i < 4; i++) {
            __m256i low = _mm256_clmulepi64_epi128(r[i], by1024, 0x00);
            __m256i high = _mm256_clmulepi64_epi128(r[i], by1024, 0x11);
            r[i] = _mm256_xor_si256(_mm256_xor_si256(low, high), _mm256_loadu_si256((const __m256i *)(p + 32 * i)));
        }
        p += 128;
        length -= 128;
    }
    const __m128i by128 = _mm_set_epi64x((long long)K_127, (long long)K_191);
    __m128i folded = _mm256_castsi256_si128(r[0]);
    folded = fold(folded, by128, _mm256_extracti128_si256(r[0], 1));
    for (int i = 1; i < 4; i++) {
        folded = fold(folded, by128, _mm256_castsi256_si128(r[i]));
        folded = fold(folded, by128, _mm256_extracti128_si256(r[i], 1));
    }
    return finish_folding(folded, by128, p, length);
}

static int has_wide_clmul(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("avx2");
    return cached;
}

static int has_clmul(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    return cached;
}
#endif

uint64_t ferry_crc64_update(uint64_t crc, const void *data, size_t length) {
#if defined(__x86_64__)
    if (length >= 256 && has_wide_clmul()) return crc64_wide_clmul_update(crc, (const unsigned char *)data, length);
    if (length >= 64 && has_clmul()) return crc64_clmul_update(crc, (const unsigned char *)data, length);
#endif
    return crc64_table_update(crc, data, length);
}

uint64_t ferry_crc64_update_using(int path, uint64_t crc, const void *data, size_t length) {
#if defined(__x86_64__)
    if (path == FERRY_CRC64_WIDE_CLMUL && length >= 256 && has_wide_clmul())
        return crc64_wide_clmul_update(crc, (const unsigned char *)data, length);
    if (path == FERRY_CRC64_CLMUL && length >= 64 && has_clmul())
        return crc64_clmul_update(crc, (const unsigned char *)data, length);
#endif
    return crc64_table_update(crc, data, length);
}

// Combination works on polynomials mod P in the reflected bit order (x^0 is the top bit):
// crc(A||B) = crc(A) * x^(8 * len(B)) + crc(B), the init and final xor terms cancelling.
// x^(2^k) mod P is tabled once, so a combine costs one multiplication per set bit of the length
// (a 2 GiB download combines 256 block CRCs).

// a * b mod P, reflected.
static uint64_t multiply_mod_p(uint64_t a, uint64_t b) {
    uint64_t bit = (uint64_t)1 << 63, product = 0;
    while (a) {
        if (a & bit) {
            product ^= b;
            a &= ~bit;
        }
        bit >>= 1;
        b = (b & 1) ? (b >> 1) ^ POLY : b >> 1;
    }
    return product;
}

static uint64_t x_to_power_of_two[64];  // x^(2^k) mod P
static pthread_once_t powers_once = PTHREAD_ONCE_INIT;

static void build_powers(void) {
    uint64_t power = (uint64_t)1 << 62;  // x^1
    for (int k = 0; k < 64; k++) {
        x_to_power_of_two[k] = power;
        power = multiply_mod_p(power, power);
    }
}

uint64_t ferry_crc64_combine(uint64_t crc_a, uint64_t crc_b, uint64_t length_b) {
    if (length_b == 0) return crc_a;
    pthread_once(&powers_once, build_powers);
    // x^(8 * length_b): the bits of length_b, shifted by 3, pick the tabled powers.
    uint64_t shift = (uint64_t)1 << 63;  // x^0
    for (int k = 3; length_b && k < 64; k++, length_b >>= 1) {
        if (length_b & 1) shift = multiply_mod_p(x_to_power_of_two[k], shift);
    }
    return multiply_mod_p(shift, crc_a) ^ crc_b;
}
