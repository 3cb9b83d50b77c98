import Foundation
import Support
import Testing

@testable import Imaging

@Suite struct ImageFileTests {
    @Test(arguments: [(Fixture.small, 640, 314), (Fixture.large, 768, 490)])
    func decodesRealJPEGFrames(path: String, width: Int, height: Int) throws {
        let image = try ImageFile.read(path)
        #expect(image.width == width && image.height == height && image.channels == 3)
        #expect(image.pixels.count == width * height * 3)
        let stats = statistics(image)
        for mean in stats.means { #expect(mean > 20 && mean < 235, "channel means \(stats.means)") }
        #expect(stats.deviation > 15, "a real photo has contrast")
        // The last rows are decoded too (a decoder that stopped early leaves them flat).
        let lastRow = image.pixels[(height - 1) * width * 3..<height * width * 3]
        #expect(Set(lastRow).count > 10)
        // Asking for the stored layout of a colour JPEG gives the same RGB pixels.
        #expect(try ImageFile.read(path, layout: .asStored) == image)
        let size = try ImageFile.readSize(path)
        #expect(size.width == width && size.height == height)
    }

    @Test func sniffsTheFormatNotTheExtension() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let jpeg = try dir.write(Fixture.bytes(Fixture.small), to: "frame.png")
        #expect(try ImageFile.read(jpeg) == ImageFile.read(Fixture.small))
        let png = dir.file("picture.jpg")
        try PNGFile.write(Image(width: 3, height: 2, channels: 3, fill: 77), to: png)
        #expect(try ImageFile.read(png) == Image(width: 3, height: 2, channels: 3, fill: 77))
        #expect(try ImageFile.format(of: Fixture.bytes(png), path: png) == .png)
    }

    @Test(arguments: [1, 3, 4])
    func pngWrittenByPNGFileReadsBackIdentical(channels: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let image = Image(width: 37, height: 23, channels: channels, pixels: noise(count: 37 * 23 * channels, seed: UInt64(channels)))
        let path = dir.file("round.png")
        try PNGFile.write(image, to: path)
        #expect(try ImageFile.read(path, layout: .asStored) == image)
        let size = try ImageFile.readSize(path)
        #expect(size.width == 37 && size.height == 23)
        let rgb = try ImageFile.read(path)
        #expect(rgb.channels == 3)
        if channels == 1 {
            #expect(rgb == image.converted(toChannels: 3), "grey is replicated")
        }
        if channels == 3 { #expect(rgb == image) }
    }

    @Test func rgbLayoutCompositesAlphaOntoWhite() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Opaque red, fully transparent blue, half-transparent black.
        let image = Image(width: 3, height: 1, channels: 4, pixels: [255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0, 128])
        let path = dir.file("alpha.png")
        try PNGFile.write(image, to: path)
        let rgb = try ImageFile.read(path)
        #expect(Array(rgb.pixels[0..<6]) == [255, 0, 0, 255, 255, 255])
        // Half black over white: a mid grey (libpng blends in linear light, hence not 127).
        let grey = rgb.pixels[6...]
        #expect(Set(grey).count == 1 && grey.allSatisfy { $0 > 100 && $0 < 200 }, "\(Array(grey))")
    }

    @Test func jpegConvertedToPNGReadsBackEqual() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let decoded = try ImageFile.read(Fixture.large)
        let path = dir.file("large.png")
        try PNGFile.write(decoded, to: path)
        #expect(try ImageFile.read(path) == decoded)
        #expect(try ImageFile.readSize(path) == (768, 490))
    }

    /// Decoding the same bytes twice gives the same pixels (no state kept between calls).
    @Test func decodingIsDeterministic() throws {
        #expect(try ImageFile.read(Fixture.small) == ImageFile.read(Fixture.small))
    }
}

@Suite struct BadImageTests {
    /// Checks that both `read` and `readSize` (when `sizeToo`) fail naming `path` and `words`.
    func expectRejected(_ path: String, _ words: String, sizeToo: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = imageError { () throws(PointillistError) in try ImageFile.read(path) }
        #expect(error?.file == path, sourceLocation: sourceLocation)
        #expect(error?.reason.contains(words) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.description.hasPrefix(path) == true, sourceLocation: sourceLocation)
        guard sizeToo else { return }
        let sizeError = imageError { () throws(PointillistError) in try ImageFile.readSize(path) }
        #expect(sizeError?.file == path, sourceLocation: sourceLocation)
        #expect(sizeError?.reason.contains(words) == true, "\(String(describing: sizeError))", sourceLocation: sourceLocation)
    }

    @Test func missingEmptyAndDirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        expectRejected(dir.file("absent.jpg"), "no such file")
        expectRejected(try dir.write([], to: "empty.jpg"), "empty file")
        expectRejected(dir.path, "is a directory")
    }

    @Test func notAnImage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = try dir.write(Array("In this image we can see a dog.\n".utf8), to: "caption.jpg")
        expectRejected(text, "not a JPEG or PNG file (starts with 49 6E 20 74")
        expectRejected(try dir.write([0xFF, 0xD8], to: "two.jpg"), "truncated file")
        expectRejected(try dir.write(Array(ImageFile.pngSignature.prefix(5)), to: "five.png"), "truncated file")
    }

    @Test func truncatedJPEGIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bytes = try Fixture.bytes(Fixture.large)
        // Half the entropy-coded data: libjpeg-turbo calls this a warning; it is an error here.
        let half = try dir.write(Array(bytes.prefix(bytes.count / 2)), to: "half.jpg")
        expectRejected(half, "Premature end of JPEG file", sizeToo: false)
        expectRejected(half, "corrupt or truncated JPEG", sizeToo: false)
        #expect(try ImageFile.readSize(half) == (768, 490), "the header alone is intact")
        // Only the last few bytes (part of the scan and the end marker) missing.
        let nearlyWhole = try dir.write(Array(bytes.dropLast(3)), to: "nearly.jpg")
        expectRejected(nearlyWhole, "corrupt or truncated JPEG", sizeToo: false)
        // Cut inside the headers: no frame header to be found.
        let headerOnly = try dir.write(Array(bytes.prefix(100)), to: "header.jpg")
        expectRejected(headerOnly, "no frame header before the end of the file")
        // Only the end-of-image marker missing: still truncated, still an error.
        expectRejected(try dir.write(Array(bytes.dropLast(2)), to: "noeoi.jpg"), "Premature end of JPEG file", sizeToo: false)
        // Bytes after the end-of-image marker are ignored, as every JPEG reader does.
        #expect(try ImageFile.read(try dir.write(bytes + [1, 2, 3], to: "trailing.jpg")) == ImageFile.read(Fixture.large))
    }

    @Test func corruptJPEGIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bytes = try Fixture.bytes(Fixture.small)
        // Keep everything up to the start of scan, then random bytes instead of the scan data.
        guard let scan = (0..<bytes.count - 1).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA }) else {
            Issue.record("no start-of-scan marker in the fixture")
            return
        }
        for seed in UInt64(1)...3 {
            let corrupt = Array(bytes.prefix(scan + 14)) + noise(count: bytes.count - scan - 14, seed: seed)
            let path = try dir.write(corrupt, to: "corrupt\(seed).jpg")
            expectRejected(path, "JPEG", sizeToo: false)
        }
        // Random bytes straight after the JPEG signature.
        expectRejected(try dir.write([0xFF, 0xD8, 0xFF] + noise(count: 4000, seed: 9), to: "noise.jpg"), "JPEG")
    }

    @Test func truncatedAndCorruptPNGAreErrors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = dir.file("source.png")
        try PNGFile.write(Image(width: 64, height: 64, channels: 3, pixels: noise(count: 64 * 64 * 3, seed: 4)), to: source)
        let bytes = try Fixture.bytes(source)
        expectRejected(try dir.write(Array(bytes.prefix(bytes.count / 2)), to: "half.png"), "cannot decode PNG", sizeToo: false)
        expectRejected(try dir.write(Array(bytes.prefix(20)), to: "short.png"), "PNG")
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0xFF  // Breaks the IDAT checksum.
        expectRejected(try dir.write(flipped, to: "flipped.png"), "cannot decode PNG", sizeToo: false)
    }

    @Test func absurdJPEGDimensionsAreRefusedBeforeDecoding() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var bytes = try Fixture.bytes(Fixture.small)
        guard let sof = (0..<bytes.count - 1).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 }) else {
            Issue.record("no SOF0 marker in the fixture")
            return
        }
        // 60000 × 60000: within JPEG's 16-bit fields, far beyond the cap.
        bytes.replaceSubrange(sof + 5..<sof + 9, with: [0xEA, 0x60, 0xEA, 0x60])
        expectRejected(try dir.write(bytes, to: "huge.jpg"), "image too large: 60000×60000")
        // 20000 × 20000 passes the side limit but not the pixel-count limit.
        bytes.replaceSubrange(sof + 5..<sof + 9, with: [0x4E, 0x20, 0x4E, 0x20])
        expectRejected(try dir.write(bytes, to: "wide.jpg"), "200 megapixels")
    }

    @Test func absurdPNGDimensionsAreRefusedBeforeDecoding() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = dir.file("small.png")
        try PNGFile.write(Image(width: 4, height: 4, channels: 3), to: source)
        var bytes = try Fixture.bytes(source)
        // IHDR data is bytes 16..<29; its CRC follows and must be recomputed over type + data.
        bytes.replaceSubrange(16..<24, with: bigEndian(40_000) + bigEndian(40_000))
        bytes.replaceSubrange(29..<33, with: bigEndian(crc32(bytes[12..<29])))
        expectRejected(try dir.write(bytes, to: "huge.png"), "image too large: 40000×40000")
    }
}
