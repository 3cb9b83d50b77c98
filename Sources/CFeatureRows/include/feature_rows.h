// Row kernels of the feature tables (Embedding's WindowTables): the per-pixel work over a whole
// image, in C so that one build carries an AVX2 version beside the baseline x86-64 one and picks
// between them when the program starts (GCC/Clang function multiversioning).
#ifndef FEATURE_ROWS_H
#define FEATURE_ROWS_H

#include <stdint.h>

/// CIE L*a*b* of `count` pixels of `channels` bytes (one: grey), into three rows. `linear` is
/// the 256-entry sRGB-to-linear table, `cube_root` the 16386-entry table of CIE's f(t) at
/// t = i / 16384, interpolated linearly. The same operations, in the same order and without
/// fused multiply-adds, as Embedding's scalar `ColourSpace.fastLab`, so results are identical.
void feature_rows_lab(const uint8_t *pixels, long count, long channels, const float *linear, const float *cube_root,
                      float *l, float *a, float *b);

/// L*², gradient magnitude and the structure tensor's gx², gy², gx·gy of one row from central
/// differences (the border pixel repeated outside): five rows of `count` at `out`.
void feature_rows_quantities(const float *row, const float *up, const float *down, long count, float *out);

/// Adds one row, summed `pooling` pixels at a time in single precision, to one plane of a row of
/// cells' sums (one double per cell).
void feature_rows_pool(const float *row, long count, long pooling, double *cells);

/// Turns one row of cell sums (eight planes of `cells_count` doubles: L*, a*, b*, then the five
/// of `feature_rows_quantities`) into means over rows_in_cell × the cell's columns, and adds
/// them, summed along the row, to the table row `above`: the table row `row` (cells_count + 1
/// entries of eight doubles side by side, the first zero).
void feature_rows_accumulate(const double *cells, long cells_count, long rows_in_cell, long image_width, long pooling,
                             const double *above, double *row);

#endif
