import Glibc
import Support

/// Reading JPEG and PNG files, told apart by their first bytes rather than their name.
///
/// What counts as an error: anything that is not a complete, well-formed image. In particular
/// libjpeg-turbo's *warnings* (a truncated file, "corrupt JPEG data: extraneous bytes") are
/// errors here, because a half-grey frame silently fed to the pipeline is worse than a
/// rejected one. libpng's simplified API reports truncation as an error on its own; its
/// warnings (a bad ancillary chunk) are not errors, as the pixels are intact.
///
/// Limits: images wider or taller than `maxSide`, or with more than `maxPixels` pixels, are
/// refused before any pixel memory is allocated, so a crafted header cannot make the process
/// allocate gigabytes; files over `maxFileBytes` are refused before being read.
///
/// EXIF orientation is not applied: pixels come back in stored order.
public enum ImageFile {
    /// The largest width or height accepted.
    public static let maxSide = 30_000
    /// The largest pixel count accepted (200 megapixels, 600 MB as RGB).
    public static let maxPixels = 200_000_000
    /// The largest file accepted.
    public static let maxFileBytes = 1 << 30

    /// Which channels `read` returns.
    public enum Layout: Sendable, Equatable {
        /// Always 3-channel RGB. Grey is replicated; PNG alpha (and palette transparency) is
        /// composited onto white, so transparent areas look as they do on a web page.
        case rgb
        /// As stored, within what `Image` holds: grey JPEG and PNG give 1 channel, colour gives
        /// 3, PNG with alpha or palette transparency gives 4 (grey+alpha becomes RGBA).
        case asStored
    }

    /// The container format, recognised from the file's magic bytes.
    public enum Format: Sendable, Equatable {
        case jpeg, png
    }

    /// Decodes the JPEG or PNG file at `path`; 16-bit PNG channels are reduced to 8 bits.
    ///
    /// With `workingSide` (the working resolution of the image stages), the image comes back
    /// reduced so that its longer side is between `workingSide` and about twice that, never
    /// enlarged: a JPEG is decoded inside the DCT at the smallest libjpeg-turbo scale (1/2, 1/4,
    /// 1/8) that keeps the longer side ≥ `workingSide`; a PNG is decoded whole, then reduced
    /// once by the largest integer box factor that does the same. Normalised coordinates stay
    /// valid at any of these sizes.
    public static func read(_ path: String, layout: Layout = .rgb, workingSide: Int? = nil) throws(PointillistError) -> Image {
        let bytes = try readBytes(path, limit: nil)
        switch try format(of: bytes, path: path) {
        case .jpeg: return try JPEGDecoder(path: path).decode(bytes, layout: layout, workingSide: workingSide)
        case .png:
            let image = try PNGDecoder.decode(bytes, path: path, layout: layout)
            guard let workingSide, workingSide > 0 else { return image }
            return image.boxReduced(by: max(1, max(image.width, image.height) / workingSide))
        }
    }

    /// The values of a class-index mask: a grey image of 8 bits, or 16-bit values.
    public enum ClassValues: Sendable {
        case eightBit(Image)
        case sixteenBit(width: Int, height: Int, values: [UInt16])

        public var width: Int {
            switch self {
            case .eightBit(let image): image.width
            case .sixteenBit(let width, _, _): width
            }
        }

        /// Each value through `table` (indexed by value: a class number per mask value), row by row.
        public func mapped(through table: [Int32]) -> [Int32] {
            switch self {
            case .eightBit(let image): image.pixels.map { table[Int($0)] }
            case .sixteenBit(_, _, let values): values.map { table[Int($0)] }
            }
        }
    }

    /// A class-index mask: the values of a grey PNG as stored, 8 or 16 bits each (`read`
    /// would bring 16-bit values down to 8 bits). Colour, palette and JPEG files are errors.
    public static func readClassValues(_ path: String) throws(PointillistError) -> ClassValues {
        let bytes = try readBytes(path, limit: nil)
        guard try format(of: bytes, path: path) == .png else {
            throw PointillistError(file: path, reason: "a class-index mask must be a PNG (JPEG compression changes the values)")
        }
        return try PNGDecoder.decodeGreyValues(bytes, path: path)
    }

    /// An 8-bit class-index mask as a one-channel image of its stored values (`readClassValues`:
    /// 1-, 2- and 4-bit values kept; colour, palette and transparent files refused); a 16-bit
    /// mask is an error here, for the readers that hold one byte per pixel.
    public static func readEightBitClassMask(_ path: String) throws(PointillistError) -> Image {
        switch try readClassValues(path) {
        case .eightBit(let image): return image
        case .sixteenBit:
            throw PointillistError(file: path, reason: "a 16-bit class mask: this reads 8-bit masks (class values 0–255)")
        }
    }

    /// The width and height stored in the header of the image at `path`, reading only as much
    /// of the file as it takes to reach them (for a PNG 24 bytes, for a JPEG its segments up
    /// to the frame header). It checks the header only: a file truncated after it still has
    /// a size, though `read` refuses it.
    public static func readSize(_ path: String) throws(PointillistError) -> (width: Int, height: Int) {
        var prefix = try readBytes(path, limit: 64 << 10)
        switch try format(of: prefix, path: path) {
        case .png:
            return try PNGDecoder.size(fromHeader: prefix, path: path)
        case .jpeg:
            while true {
                switch try JPEGHeader.size(in: prefix, path: path) {
                case .found(let width, let height):
                    return try checkedSize(width: width, height: height, path: path)
                case .needsBytes(let count):
                    // Large EXIF or ICC segments can push the frame header past the first
                    // read; read again far enough (the file ending first is reported below).
                    let larger = try readBytes(path, limit: count + (64 << 10))
                    guard larger.count > prefix.count else {
                        throw PointillistError(file: path, reason: "truncated or corrupt JPEG: no frame header before the end of the file")
                    }
                    prefix = larger
                }
            }
        }
    }

    /// The format of `bytes`, from the JPEG (FF D8 FF) or PNG (89 'PNG' CR LF 1A LF) signature.
    public static func format(of bytes: [UInt8], path: String) throws(PointillistError) -> Format {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: pngSignature) { return .png }
        guard !bytes.isEmpty else { throw PointillistError(file: path, reason: "empty file") }
        if bytes.count < pngSignature.count, pngSignature.starts(with: bytes) || [0xFF, 0xD8, 0xFF].starts(with: bytes) {
            throw PointillistError(file: path, reason: "truncated file: only \(bytes.count) bytes")
        }
        let start = bytes.prefix(8).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }
        throw PointillistError(file: path, reason: "not a JPEG or PNG file (starts with \(start.joined(separator: " ")))")
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// `width` × `height` if within the limits, otherwise an error naming the limit.
    static func checkedSize(width: Int, height: Int, path: String) throws(PointillistError) -> (width: Int, height: Int) {
        guard width > 0, height > 0 else {
            throw PointillistError(file: path, reason: "invalid dimensions \(width)×\(height)")
        }
        guard width <= maxSide, height <= maxSide, width * height <= maxPixels else {
            throw PointillistError(
                file: path,
                reason: "image too large: \(width)×\(height) exceeds the limit of \(maxSide) pixels a side and \(maxPixels / 1_000_000) megapixels")
        }
        return (width, height)
    }

    /// The file's bytes, or its first `limit` bytes; files over `maxFileBytes` are refused.
    static func readBytes(_ path: String, limit: Int?) throws(PointillistError) -> [UInt8] {
        try FileSystem.readBytes(path, limit: limit, maxFileBytes: maxFileBytes)
    }
}

/// Finding the frame header (SOFn) of a JPEG by walking its marker segments.
enum JPEGHeader {
    enum Result {
        case found(width: Int, height: Int)
        /// The header lies beyond the bytes given; read at least this many.
        case needsBytes(Int)
    }

    /// What the marker walk finds at byte `i` (after SOI): 0xFF fill, a segment without a
    /// length (TEM, RST0–7), the start of the image data or its end, a segment with its code
    /// and length, something that is no marker, or the end of the bytes given.
    enum Step {
        case fill, standalone, imageData, notAMarker
        case segment(code: UInt8, length: Int)
        case needsBytes(Int)
    }

    static func step(_ bytes: [UInt8], at i: Int) -> Step {
        guard i + 1 < bytes.count else { return .needsBytes(i + 2) }
        guard bytes[i] == 0xFF else { return .notAMarker }
        let code = bytes[i + 1]
        if code == 0xFF { return .fill }
        if code == 0x01 || (0xD0...0xD7).contains(code) { return .standalone }
        if code == 0xD9 || code == 0xDA { return .imageData }
        guard i + 3 < bytes.count else { return .needsBytes(i + 4) }
        return .segment(code: code, length: Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]))
    }

    /// Whether an APP14 segment saying "Adobe" comes before the image data: its CMYK inks
    /// are stored inverted.
    static func hasAdobeMarker(_ bytes: [UInt8]) -> Bool {
        var i = 2
        while true {
            switch step(bytes, at: i) {
            case .fill: i += 1
            case .standalone: i += 2
            case .imageData, .notAMarker, .needsBytes: return false
            case .segment(let code, let length):
                if code == 0xEE, i + 9 <= bytes.count, bytes[(i + 4)..<(i + 9)].elementsEqual("Adobe".utf8) { return true }
                guard length >= 2 else { return false }
                i += 2 + length
            }
        }
    }

    static func size(in bytes: [UInt8], path: String) throws(PointillistError) -> Result {
        var i = 2  // After SOI.
        while true {
            switch step(bytes, at: i) {
            case .needsBytes(let count): return .needsBytes(count)
            case .notAMarker: throw PointillistError(file: path, reason: "corrupt JPEG: expected a marker at byte \(i)")
            case .fill: i += 1
            case .standalone: i += 2
            case .imageData: throw PointillistError(file: path, reason: "corrupt JPEG: no frame header before the image data")
            case .segment(let code, let length):
                guard length >= 2 else { throw PointillistError(file: path, reason: "corrupt JPEG: segment length \(length) at byte \(i)") }
                // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
                if (0xC0...0xCF).contains(code), code != 0xC4, code != 0xC8, code != 0xCC {
                    guard length >= 8 else { throw PointillistError(file: path, reason: "corrupt JPEG: frame header too short") }
                    guard i + 10 < bytes.count else { return .needsBytes(i + 11) }
                    let height = Int(bytes[i + 5]) << 8 | Int(bytes[i + 6])
                    let width = Int(bytes[i + 7]) << 8 | Int(bytes[i + 8])
                    return .found(width: width, height: height)
                }
                i += 2 + length
            }
        }
    }
}
