#include "training.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MULTIVERSION
#endif

// eˣ = 2ⁿ · eʳ with n = round(x / ln 2) and |r| ≤ ln 2 / 2; eʳ by a degree-6 polynomial
// (Taylor coefficients), 2ⁿ built in the exponent bits. No branches and no calls, so the
// loops that use it vectorise.
static inline float exp_branchless(float x) {
    const float lo = -87.3f, hi = 88.7f;
    float clamped = x < lo ? lo : (x > hi ? hi : x);
    float n = __builtin_roundevenf(clamped * 1.44269504088896341f);
    float r = clamped - n * 0.693145751953125f;  // ln 2, high part (exact in float)
    r = r - n * 1.42860682030941723212e-6f;     // ln 2, low part
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    // 2ⁿ for n in [−126, 127] through the exponent field; n = 128 (x near 88.7) as 2 · 2¹²⁷.
    int32_t k = (int32_t)n;  // n is in [−126, 128]: x was clamped first (a NaN input gives NaN below)
    int32_t half = k > 127 ? 1 : 0;
    uint32_t bits = (uint32_t)(k - half + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    float result = p * scale * (half ? 2.0f : 1.0f);
    result = x < lo ? 0.0f : result;
    return x > hi ? INFINITY : result;
}

float training_exp(float x) { return exp_branchless(x); }

MULTIVERSION float training_softmax_rows(float *logits, const int32_t *labels, long batch, long classes, long *correct) {
#pragma clang fp reassociate(on)
    const float inverse_batch = 1.0f / (float)batch;
    float loss = 0;
    long right = 0;
    for (long r = 0; r < batch; r++) {
        float *row = logits + r * classes;
        // The first largest logit (a NaN row keeps index 0 and gives a NaN loss, not a hang).
        float maximum = row[0];
        long best = 0;
        for (long c = 1; c < classes; c++) {
            if (row[c] > maximum) {
                maximum = row[c];
                best = c;
            }
        }
        float sum = 0;
        for (long c = 0; c < classes; c++) {
            float e = exp_branchless(row[c] - maximum);
            row[c] = e;
            sum += e;
        }
        long label = labels[r];
        if (best == label) right++;
        loss -= logf(row[label] / sum);
        const float factor = inverse_batch / sum;
        for (long c = 0; c < classes; c++) row[c] *= factor;
        row[label] -= inverse_batch;
    }
    *correct = right;
    return loss;
}

MULTIVERSION void training_adam(float *parameters, const float *gradients, float *m, float *v, long count, float beta1,
                                float beta2, float rate, float epsilon, float c1, float c2, float decay) {
    const float inverse_c1 = 1.0f / c1, inverse_c2 = 1.0f / c2;
    for (long i = 0; i < count; i++) {
        float g = gradients[i];
        float mi = beta1 * m[i] + (1 - beta1) * g;
        float vi = beta2 * v[i] + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        parameters[i] -= rate * ((mi * inverse_c1) / (sqrtf(vi * inverse_c2) + epsilon) + decay * parameters[i]);
    }
}
