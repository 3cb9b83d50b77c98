#ifndef POINTILLIST_CPNG_SHIM_H
#define POINTILLIST_CPNG_SHIM_H
// Only libpng's simplified API (png_image_*) is used: it reports errors in the png_image
// struct instead of longjmp, which Swift cannot survive.
#include <png.h>

static inline png_uint_32 pointillist_png_image_version(void) { return PNG_IMAGE_VERSION; }
static inline png_uint_32 pointillist_png_format_gray(void) { return PNG_FORMAT_GRAY; }
static inline png_uint_32 pointillist_png_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline png_uint_32 pointillist_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
static inline png_uint_32 pointillist_png_format_linear_gray(void) { return PNG_FORMAT_LINEAR_Y; }
// An upper bound of the PNG file's size, so it can be written to memory in one pass.
static inline png_alloc_size_t pointillist_png_size_max(png_imagep image) { return PNG_IMAGE_PNG_SIZE_MAX(*image); }
static inline int pointillist_png_failed(png_imagep image) { return PNG_IMAGE_FAILED(*image); }
#endif
