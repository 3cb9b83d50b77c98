#include "feature_rows.h"

// Results must match the Swift code bit for bit: no contraction into fused multiply-adds.
#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

enum { LAB_STEPS = 16384 };

static inline float lab_function(float t, const float *table) {
    float u = (t < 0 ? 0 : (t > 1 ? 1 : t)) * (float)LAB_STEPS;
    int i = (int)u;
    if (i > LAB_STEPS) i = LAB_STEPS;
    float low = table[i];
    return low + (table[i + 1] - low) * (u - (float)i);
}

static void lab_scalar(const uint8_t *restrict px, long from, long count, long channels, const float *restrict linear,
                       const float *restrict cube_root, float *restrict l, float *restrict a, float *restrict b) {
    long green = channels >= 3 ? 1 : 0, blue = channels >= 3 ? 2 : 0;
    for (long i = from; i < count; i++) {
        const uint8_t *p = px + i * channels;
        float rl = linear[p[0]], gl = linear[p[green]], bl = linear[p[blue]];
        // The white point's division folded into the matrix.
        float x = 0.4339499f * rl + 0.3762098f * gl + 0.1898403f * bl;
        float y = 0.2126729f * rl + 0.7151522f * gl + 0.0721750f * bl;
        float z = 0.0177566f * rl + 0.1094680f * gl + 0.8727755f * bl;
        float fx = lab_function(x, cube_root), fy = lab_function(y, cube_root), fz = lab_function(z, cube_root);
        l[i] = 116 * fy - 16;
        a[i] = 500 * (fx - fy);
        b[i] = 200 * (fy - fz);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static inline __m256 lab_function_avx2(__m256 t, const float *table) {
    __m256 u = _mm256_mul_ps(_mm256_min_ps(_mm256_max_ps(t, _mm256_setzero_ps()), _mm256_set1_ps(1)), _mm256_set1_ps(LAB_STEPS));
    __m256i i = _mm256_min_epi32(_mm256_cvttps_epi32(u), _mm256_set1_epi32(LAB_STEPS));
    __m256 low = _mm256_i32gather_ps(table, i, 4), high = _mm256_i32gather_ps(table + 1, i, 4);
    return _mm256_add_ps(low, _mm256_mul_ps(_mm256_sub_ps(high, low), _mm256_sub_ps(u, _mm256_cvtepi32_ps(i))));
}

__attribute__((target("avx2"))) static inline __m256 combine(__m256 c0, __m256 r, __m256 c1, __m256 g, __m256 c2, __m256 b) {
    return _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(c0, r), _mm256_mul_ps(c1, g)), _mm256_mul_ps(c2, b));
}

/// Eight pixels at a time: each pixel's bytes are read as one 32-bit word, so the loop stops
/// while a ninth pixel follows (the word of the eighth stays inside the row).
__attribute__((target("avx2"))) static long lab_avx2(const uint8_t *px, long count, long channels, const float *linear,
                                                     const float *cube_root, float *l, float *a, float *b) {
    if (channels < 3) return 0;
    const __m256i offsets = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int)channels));
    const __m256i byte = _mm256_set1_epi32(0xFF);
    long i = 0;
    for (; i + 9 <= count; i += 8) {
        __m256i words = _mm256_i32gather_epi32((const int *)(px + i * channels), offsets, 1);
        __m256 rl = _mm256_i32gather_ps(linear, _mm256_and_si256(words, byte), 4);
        __m256 gl = _mm256_i32gather_ps(linear, _mm256_and_si256(_mm256_srli_epi32(words, 8), byte), 4);
        __m256 bl = _mm256_i32gather_ps(linear, _mm256_and_si256(_mm256_srli_epi32(words, 16), byte), 4);
        __m256 x = combine(_mm256_set1_ps(0.4339499f), rl, _mm256_set1_ps(0.3762098f), gl, _mm256_set1_ps(0.1898403f), bl);
        __m256 y = combine(_mm256_set1_ps(0.2126729f), rl, _mm256_set1_ps(0.7151522f), gl, _mm256_set1_ps(0.0721750f), bl);
        __m256 z = combine(_mm256_set1_ps(0.0177566f), rl, _mm256_set1_ps(0.1094680f), gl, _mm256_set1_ps(0.8727755f), bl);
        __m256 fx = lab_function_avx2(x, cube_root), fy = lab_function_avx2(y, cube_root), fz = lab_function_avx2(z, cube_root);
        _mm256_storeu_ps(l + i, _mm256_sub_ps(_mm256_mul_ps(_mm256_set1_ps(116), fy), _mm256_set1_ps(16)));
        _mm256_storeu_ps(a + i, _mm256_mul_ps(_mm256_set1_ps(500), _mm256_sub_ps(fx, fy)));
        _mm256_storeu_ps(b + i, _mm256_mul_ps(_mm256_set1_ps(200), _mm256_sub_ps(fy, fz)));
    }
    return i;
}
#endif

void feature_rows_lab(const uint8_t *px, long count, long channels, const float *linear, const float *cube_root, float *l,
                      float *a, float *b) {
    long done = 0;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) done = lab_avx2(px, count, channels, linear, cube_root, l, a, b);
#endif
    lab_scalar(px, done, count, channels, linear, cube_root, l, a, b);
}

MULTIVERSION
void feature_rows_quantities(const float *restrict row, const float *restrict up, const float *restrict down, long n,
                             float *restrict out) {
    float *restrict ll = out, *restrict magnitude = out + n, *restrict xx = out + 2 * n, *restrict yy = out + 3 * n,
                    *restrict xy = out + 4 * n;
    for (long x = 0; x < n; x++) {
        long left = x > 0 ? x - 1 : 0, right = x + 1 < n ? x + 1 : n - 1;
        float gx = (row[right] - row[left]) * 0.5f;
        float gy = (down[x] - up[x]) * 0.5f;
        float gxx = gx * gx, gyy = gy * gy;
        ll[x] = row[x] * row[x];
        magnitude[x] = __builtin_sqrtf(gxx + gyy);
        xx[x] = gxx;
        yy[x] = gyy;
        xy[x] = gx * gy;
    }
}

MULTIVERSION
void feature_rows_pool(const float *restrict row, long n, long pooling, double *restrict cells) {
    if (pooling == 1) {
        for (long x = 0; x < n; x++) cells[x] += (double)row[x];
    } else if (pooling == 2) {
        long pairs = n / 2;
        for (long c = 0; c < pairs; c++) cells[c] += (double)(row[2 * c] + row[2 * c + 1]);
        if (n % 2) cells[pairs] += (double)row[n - 1];
    } else {
        for (long x = 0, c = 0; x < n; x += pooling, c++) {
            long end = x + pooling < n ? x + pooling : n;
            float s = 0;
            for (long i = x; i < end; i++) s += row[i];
            cells[c] += (double)s;
        }
    }
}

MULTIVERSION
void feature_rows_accumulate(const double *restrict cells, long w, long rows_in_cell, long image_width, long pooling,
                             const double *restrict above, double *restrict row) {
    double sums[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 8; k++) row[k] = 0;
    for (long cx = 0; cx < w; cx++) {
        long end = (cx + 1) * pooling < image_width ? (cx + 1) * pooling : image_width;
        // Cells hold 1, 2 or pooling² pixels; for powers of two the reciprocal is exact.
        double scale = 1 / (double)(rows_in_cell * (end - cx * pooling));
        const double *up = above + 8 * (cx + 1);
        double *out = row + 8 * (cx + 1);
        for (int k = 0; k < 8; k++) {
            sums[k] += cells[k * w + cx] * scale;
            out[k] = up[k] + sums[k];
        }
    }
}
