import CPNG
import Support

/// An 8-bit image in memory: rows top to bottom, pixels left to right, channels interleaved
/// (1 grey, 3 RGB, 4 RGBA).
public struct Image: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && [1, 3, 4].contains(channels) && pixels.count == width * height * channels)
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A blank image (every byte `fill`).
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels, pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    @inlinable public func offset(x: Int, y: Int) -> Int { (y * width + x) * channels }

    /// Trace coordinates are normalised to [0, 1] with the origin at the top-left corner; this
    /// is the one place they become pixels: (0, 0) is the top-left corner of the first pixel,
    /// (1, 1) the bottom-right corner of the last, so the pixel is `floor(x · width)`, clamped.
    @inlinable public func pixel(normalizedX x: Float, y: Float) -> (x: Int, y: Int) {
        (Image.pixelIndex(x, size: width), Image.pixelIndex(y, size: height))
    }

    /// `floor(v · size)` clamped to 0 ..< size, clamped before it becomes an integer: a
    /// coordinate far outside the image (kept by `--out-of-image keep`, 1e16) or NaN cannot trap.
    @inlinable public static func pixelIndex(_ v: Float, size: Int) -> Int {
        let scaled = (v * Float(size)).rounded(.down)
        guard scaled > 0 else { return 0 }  // also NaN
        return scaled < Float(size - 1) ? Int(scaled) : size - 1
    }
}

/// PNG files through libpng's simplified API.
public enum PNGFile {
    /// A 16-bit grey PNG of `values` (row by row), stored as linear data so that a reader gets
    /// the values back unchanged: class-index masks of more than 255 classes.
    public static func encodeGrey16(width: Int, height: Int, values: [UInt16]) throws(PointillistError) -> [UInt8] {
        precondition(width > 0 && height > 0 && values.count == width * height)
        return try values.withUnsafeBytes { raw in
            Result { () throws(PointillistError) in
                try write(raw, width: width, height: height, format: pointillist_png_format_linear_gray(), samplesPerRow: width)
            }
        }.get()
    }

    /// `image` as the bytes of an 8-bit grey, RGB or RGBA PNG file. Writing the file is the
    /// caller's (`FileSystem.writeAtomically`, in a module that can reach it): this module
    /// turns images into bytes and bytes into images.
    public static func encode(_ image: Image) throws(PointillistError) -> [UInt8] {
        let format =
            image.channels == 1
            ? pointillist_png_format_gray() : image.channels == 3 ? pointillist_png_format_rgb() : pointillist_png_format_rgba()
        return try image.pixels.withUnsafeBytes { raw in
            Result { () throws(PointillistError) in
                try write(raw, width: image.width, height: image.height, format: format, samplesPerRow: image.width * image.channels)
            }
        }.get()
    }

    /// The PNG file of `pixels` in libpng's `format`; the stride counts samples, not bytes.
    static func write(
        _ pixels: UnsafeRawBufferPointer, width: Int, height: Int, format: png_uint_32, samplesPerRow: Int
    ) throws(PointillistError) -> [UInt8] {
        var png = png_image()
        png.version = pointillist_png_image_version()
        png.width = png_uint_32(width)
        png.height = png_uint_32(height)
        png.format = format
        defer { png_image_free(&png) }
        var size = pointillist_png_size_max(&png)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let written = bytes.withUnsafeMutableBytes { out in
            png_image_write_to_memory(&png, out.baseAddress, &size, 0, pixels.baseAddress, Int32(samplesPerRow), nil)
        }
        guard written != 0, Int(size) <= bytes.count else {
            let reason = withUnsafeBytes(of: png.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw PointillistError(file: "(memory)", reason: "cannot encode PNG: \(reason)")
        }
        bytes.removeSubrange(Int(size)...)
        return bytes
    }
}
