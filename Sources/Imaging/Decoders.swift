import CPNG
import CTurboJPEG
import Support

/// A libjpeg-turbo decompressor handle, for one file; freed when the decoder goes.
final class JPEGDecoder {
    let path: String
    let handle: tjhandle?

    init(path: String) {
        self.path = path
        handle = tjInitDecompress()
    }

    deinit {
        if let handle { tjDestroy(handle) }
    }

    /// Decodes a complete JPEG file held in `bytes`. Warnings are errors (see `ImageFile`).
    ///
    /// With `workingSide`, the image is decoded inside the DCT at the smallest of libjpeg-turbo's
    /// scales 1/1, 1/2, 1/4, 1/8 whose longer side is still at least `workingSide` (a fraction
    /// of the cost and memory of a full decode; see `ImageFile.read`).
    func decode(_ bytes: [UInt8], layout: ImageFile.Layout, workingSide: Int? = nil) throws(PointillistError) -> Image {
        guard let handle else { throw PointillistError(file: path, reason: "cannot start the JPEG decoder: \(message(nil))") }
        var width: Int32 = 0
        var height: Int32 = 0
        var subsampling: Int32 = 0
        var colorspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { b in
            tjDecompressHeader3(handle, b.baseAddress, UInt(b.count), &width, &height, &subsampling, &colorspace)
        }
        guard headerStatus == 0 else { throw failure("cannot read the JPEG header") }
        // A file cut before its frame header is accepted as "tables only", with no size.
        guard width > 0, height > 0 else {
            throw PointillistError(file: path, reason: "truncated or corrupt JPEG: no frame header before the end of the file")
        }
        _ = try ImageFile.checkedSize(width: Int(width), height: Int(height), path: path)
        if let workingSide {
            let scale = JPEGDecoder.scale(width: Int(width), height: Int(height), workingSide: workingSide)
            width = Int32(scale.width)
            height = Int32(scale.height)
        }
        let size = (width: Int(width), height: Int(height))
        if colorspace == TJCS_CMYK.rawValue || colorspace == TJCS_YCCK.rawValue {
            return try decodeCMYK(bytes, size: size)
        }
        let grey = layout == .asStored && colorspace == TJCS_GRAY.rawValue
        let channels = grey ? 1 : 3
        let format = grey ? TJPF_GRAY : TJPF_RGB
        // The decoder writes every byte (or fails, and the pixels are dropped): no zeroing first.
        var status: Int32 = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: size.width * size.height * channels) { target, count in
            status = bytes.withUnsafeBufferPointer { source in
                tjDecompress2(
                    handle, source.baseAddress, UInt(source.count), target.baseAddress, width, width * Int32(channels), height,
                    format.rawValue, TJFLAG_STOPONWARNING)
            }
            count = target.count
        }
        guard status == 0 else {
            // With TJFLAG_STOPONWARNING a warning aborts decoding, leaving the rest of the
            // image blank, so it is an error too; the code only sharpens the wording.
            let kind = tjGetErrorCode(handle) == TJERR_WARNING.rawValue ? "corrupt or truncated JPEG" : "cannot decode JPEG"
            throw failure(kind)
        }
        return Image(width: size.width, height: size.height, channels: channels, pixels: pixels)
    }

    /// A CMYK (or YCCK) JPEG, as print workflows save photos, decoded to its inks and brought
    /// to RGB: each channel is (1 − ink)(1 − black). Files with Adobe's APP14 marker (nearly
    /// all) store the inks inverted, so there R = C·K / 255 on the stored values.
    func decodeCMYK(_ bytes: [UInt8], size: (width: Int, height: Int)) throws(PointillistError) -> Image {
        guard let handle else { throw PointillistError(file: path, reason: "cannot start the JPEG decoder: \(message(nil))") }
        var inks = [UInt8](repeating: 0, count: size.width * size.height * 4)
        let status = inks.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                tjDecompress2(
                    handle, source.baseAddress, UInt(source.count), target.baseAddress, Int32(size.width), Int32(size.width * 4),
                    Int32(size.height), TJPF_CMYK.rawValue, TJFLAG_STOPONWARNING)
            }
        }
        guard status == 0 else {
            throw failure(tjGetErrorCode(handle) == TJERR_WARNING.rawValue ? "corrupt or truncated JPEG" : "cannot decode JPEG")
        }
        let inverted = JPEGHeader.hasAdobeMarker(bytes)
        var pixels = [UInt8](repeating: 0, count: size.width * size.height * 3)
        for p in 0..<(size.width * size.height) {
            let k = Int(inverted ? inks[4 * p + 3] : 255 - inks[4 * p + 3])
            for c in 0..<3 {
                let ink = Int(inverted ? inks[4 * p + c] : 255 - inks[4 * p + c])
                pixels[3 * p + c] = UInt8((ink * k + 127) / 255)
            }
        }
        return Image(width: size.width, height: size.height, channels: 3, pixels: pixels)
    }

    /// The scaled size libjpeg-turbo gives for the smallest scale among 1/1, 1/2, 1/4 and 1/8
    /// (those it offers) whose longer side is at least `workingSide`.
    static func scale(width: Int, height: Int, workingSide: Int) -> (width: Int, height: Int) {
        var count: Int32 = 0
        var best = (width: width, height: height)
        guard let factors = tjGetScalingFactors(&count) else { return best }
        for i in 0..<Int(count) {
            let f = factors[i]
            guard f.num == 1, [1, 2, 4, 8].contains(f.denom) else { continue }
            // TJSCALED: ceil(dimension × num / denom).
            let w = (width * Int(f.num) + Int(f.denom) - 1) / Int(f.denom)
            let h = (height * Int(f.num) + Int(f.denom) - 1) / Int(f.denom)
            if max(w, h) >= workingSide, max(w, h) < max(best.width, best.height) { best = (w, h) }
        }
        return best
    }

    private func failure(_ what: String) -> PointillistError {
        PointillistError(file: path, reason: "\(what): \(message(handle))")
    }

    private func message(_ handle: tjhandle?) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown error" }
        return String(cString: text)
    }
}

/// PNG decoding through libpng's simplified API, which reports errors in the `png_image`
/// struct instead of longjmp-ing through Swift frames.
enum PNGDecoder {
    /// Decodes a complete PNG file held in `bytes`.
    static func decode(_ bytes: [UInt8], path: String, layout: ImageFile.Layout) throws(PointillistError) -> Image {
        try reading(bytes, path: path) { (png, size) throws(PointillistError) in try decode(&png, size: size, path: path, layout: layout) }
    }

    /// Begins reading `bytes` with libpng's simplified API, checks the size, and hands the
    /// reader to `body`, freeing it after.
    static func reading<T>(
        _ bytes: [UInt8], path: String, _ body: (inout png_image, (width: Int, height: Int)) throws(PointillistError) -> T
    ) throws(PointillistError) -> T {
        var png = png_image()
        png.version = pointillist_png_image_version()
        defer { png_image_free(&png) }
        let begun = bytes.withUnsafeBytes { raw in png_image_begin_read_from_memory(&png, raw.baseAddress, raw.count) }
        guard begun != 0 else { throw failure(&png, path: path, what: "cannot read the PNG header") }
        return try body(&png, try ImageFile.checkedSize(width: Int(png.width), height: Int(png.height), path: path))
    }

    static func decode(
        _ png: inout png_image, size: (width: Int, height: Int), path: String, layout: ImageFile.Layout
    ) throws(PointillistError) -> Image {
        let stored = png.format
        let hasAlpha = stored & PNG_FORMAT_FLAG_ALPHA != 0
        let hasColour = stored & PNG_FORMAT_FLAG_COLOR != 0
        let channels: Int
        switch layout {
        case .rgb: channels = 3
        case .asStored: channels = hasAlpha ? 4 : hasColour ? 3 : 1
        }
        png.format =
            channels == 1 ? pointillist_png_format_gray() : channels == 3 ? pointillist_png_format_rgb() : pointillist_png_format_rgba()
        var pixels = [UInt8](repeating: 0, count: size.width * size.height * channels)
        // Only used when alpha is removed (`.rgb` from an image with alpha).
        var white = png_color(red: 255, green: 255, blue: 255)
        let finished = pixels.withUnsafeMutableBytes { target in
            png_image_finish_read(&png, &white, target.baseAddress, Int32(size.width * channels), nil)
        }
        guard finished != 0 else { throw failure(&png, path: path, what: "cannot decode PNG") }
        return Image(width: size.width, height: size.height, channels: channels, pixels: pixels)
    }

    /// The values of a grey PNG as stored, 8 or 16 bits each (16-bit data is read as linear,
    /// so libpng passes it through unchanged): class-index masks. A colour or palette PNG is
    /// an error, since its class indices cannot be read back from colours.
    static func decodeGreyValues(_ bytes: [UInt8], path: String) throws(PointillistError) -> ImageFile.ClassValues {
        // IHDR: bit depth at byte 24, colour type at byte 25.
        guard bytes.count > 25, bytes[12..<16].elementsEqual("IHDR".utf8) else {
            throw PointillistError(file: path, reason: "corrupt PNG: the first chunk is not IHDR")
        }
        let (depth, colourType) = (bytes[24], bytes[25])
        guard colourType == 0 else {
            throw PointillistError(
                file: path,
                reason: colourType == 3
                    ? "a palette PNG: its class indices cannot be read as stored; save the mask as 8- or 16-bit grey, one class value per pixel"
                    : "a colour PNG: a class-index mask must be 8- or 16-bit grey, one class value per pixel")
        }
        if hasTransparencyChunk(bytes) {
            throw PointillistError(
                file: path,
                reason: "a grey PNG with a transparency chunk (tRNS): its values would come back composited; save the mask without transparency")
        }
        if depth < 8 {
            // libpng widens 1-, 2- and 4-bit grey to 8 bits by scaling (1 → 255): scaled back,
            // the stored values are the classes.
            var image = try decode(bytes, path: path, layout: .asStored)
            let step = UInt8(255 / ((1 << Int(depth)) - 1))
            for i in image.pixels.indices { image.pixels[i] /= step }
            return .eightBit(image)
        }
        guard depth == 16 else { return .eightBit(try decode(bytes, path: path, layout: .asStored)) }
        return try reading(bytes, path: path) { (png, size) throws(PointillistError) in
            png.format = pointillist_png_format_linear_gray()
            var values = [UInt16](repeating: 0, count: size.width * size.height)
            let finished = values.withUnsafeMutableBytes { target in
                png_image_finish_read(&png, nil, target.baseAddress, Int32(size.width), nil)  // the stride counts samples, not bytes
            }
            guard finished != 0 else { throw failure(&png, path: path, what: "cannot decode PNG") }
            return .sixteenBit(width: size.width, height: size.height, values: values)
        }
    }

    /// Whether a tRNS chunk comes before the image data (chunks: 4-byte length, 4-byte type,
    /// data, 4-byte CRC, from byte 8).
    static func hasTransparencyChunk(_ bytes: [UInt8]) -> Bool {
        var at = 8
        while at + 8 <= bytes.count {
            let length = bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = bytes[at + 4..<at + 8]
            if type.elementsEqual("tRNS".utf8) { return true }
            if type.elementsEqual("IDAT".utf8) { return false }
            at += 12 + length
        }
        return false
    }

    /// Width and height from the IHDR chunk, which the PNG format puts first.
    static func size(fromHeader bytes: [UInt8], path: String) throws(PointillistError) -> (width: Int, height: Int) {
        guard bytes.count >= 24 else { throw PointillistError(file: path, reason: "truncated PNG: the file ends inside the header") }
        guard bytes[12..<16].elementsEqual("IHDR".utf8) else {
            throw PointillistError(file: path, reason: "corrupt PNG: the first chunk is not IHDR")
        }
        func bigEndian(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return try ImageFile.checkedSize(width: bigEndian(16), height: bigEndian(20), path: path)
    }

    private static func failure(_ png: inout png_image, path: String, what: String) -> PointillistError {
        let message = withUnsafeBytes(of: png.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return PointillistError(file: path, reason: "\(what): \(message.isEmpty ? "unknown error" : message)")
    }
}
