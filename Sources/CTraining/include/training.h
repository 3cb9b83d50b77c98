// Element-wise kernels of the MLP's training step (Embedding's MLP and Adam): the softmax
// cross-entropy over a batch and the Adam update, in C so that one build carries AVX-512 and
// AVX2 versions beside the baseline x86-64 one, picked when the program starts (GCC/Clang
// function multiversioning), with an exponential that vectorises.
#ifndef TRAINING_H
#define TRAINING_H

#include <stdint.h>

/// Turns `batch` rows of `classes` logits, in place, into the gradient of the mean softmax
/// cross-entropy with respect to them ((softmax − one-hot) / batch). Returns the summed loss
/// (not yet divided by the batch) and sets `correct` to the rows whose first largest logit is
/// the label's.
float training_softmax_rows(float *logits, const int32_t *labels, long batch, long classes, long *correct);

/// One Adam step over `count` parameters with decoupled weight decay `decay`: `c1` and `c2` are
/// the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
void training_adam(float *parameters, const float *gradients, float *m, float *v, long count, float beta1, float beta2,
                   float rate, float epsilon, float c1, float c2, float decay);

/// eˣ as `training_softmax_rows` computes it, for tests (relative error below 3e-7 on
/// [−87, 88]; 0 below −87.3, +inf above 88.7).
float training_exp(float x);

#endif
