import CTurboJPEG
import Foundation
import Testing

@testable import Imaging

/// Grey JPEGs, made here with libjpeg-turbo's encoder since no real grey frame is at hand.
@Suite struct GreyJPEGTests {
    @Test func greyJPEGKeepsOneChannelWhenAskedAndReplicatesOtherwise() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let grey = try ImageFile.read(Fixture.large).converted(toChannels: 1)
        let path = try dir.write(encodeJPEG(grey), to: "grey.jpg")
        let stored = try ImageFile.read(path, layout: .asStored)
        #expect(stored.channels == 1 && stored.width == 768 && stored.height == 490)
        // Lossy, but close to the source at quality 95.
        let error = zip(stored.pixels, grey.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
        #expect(Double(error) / Double(grey.pixels.count) < 3)
        #expect(try ImageFile.read(path) == stored.converted(toChannels: 3))
        #expect(try ImageFile.readSize(path) == (768, 490))
    }
}

@Suite struct ConcurrentDecodingTests {
    /// Each call owns its decoder, so reads in parallel give the same pixels as one at a time.
    @Test func parallelReadsAgree() async throws {
        let expected = try ImageFile.read(Fixture.small)
        let results = try await withThrowingTaskGroup(of: Image.self) { group in
            for _ in 0..<16 { group.addTask { try ImageFile.read(Fixture.small) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16 && results.allSatisfy { $0 == expected })
    }
}

/// CMYK JPEGs, as print workflows save photos: read as RGB.
@Suite struct CMYKJPEGTests {
    /// The photo fixture as inverted inks (Adobe's convention, which libjpeg-turbo's encoder
    /// marks with APP14 "Adobe" for CMYK): no black, each ink the colour's own value.
    @Test func aCMYKPhotoReadsAsItsColours() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let photo = try ImageFile.read(Fixture.large)
        var inks = [UInt8](repeating: 255, count: photo.width * photo.height * 4)
        for p in 0..<(photo.width * photo.height) {
            for c in 0..<3 { inks[4 * p + c] = photo.pixels[3 * p + c] }
        }
        let handle = try #require(tjInitCompress())
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = inks.withUnsafeBufferPointer { b in
            tjCompress2(
                handle, b.baseAddress, Int32(photo.width), Int32(photo.width * 4), Int32(photo.height), TJPF_CMYK.rawValue, &output, &size,
                Int32(TJSAMP_444.rawValue), 95, 0)
        }
        defer { tjFree(output) }
        try #require(status == 0)
        let bytes = Array(UnsafeBufferPointer(start: try #require(output), count: Int(size)))
        #expect(JPEGHeader.hasAdobeMarker(bytes))
        let path = try dir.write(bytes, to: "cmyk.jpg")
        let read = try ImageFile.read(path)
        #expect(read.channels == 3 && read.width == photo.width && read.height == photo.height)
        let error = zip(read.pixels, photo.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
        #expect(Double(error) / Double(photo.pixels.count) < 3)
        // At a working resolution too (decoded at a DCT scale).
        let reduced = try ImageFile.read(path, workingSide: 200)
        #expect(reduced.channels == 3 && reduced.width == (photo.width + 1) / 2)
    }

    /// A CMYK JPEG written by another encoder (Pillow 13, from red, green, blue and white
    /// stripes): the colours Pillow reads back.
    @Test func anotherEncodersCMYKFileReadsAsItsColours() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bytes = try #require(
            Data(
                base64Encoded:
                    "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/8AAFAgAEAAgBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9cK/Hevx3r9/K/kHr+qiuoorqK/mnr+qiiv7SK/sgr6gorwev4j6/iPor+Qev6qK6iiuor+aev6qKK/tIr+yCvqCiv//Z"
            ))
        let image = try ImageFile.read(try dir.write(Array(bytes), to: "pillow.jpg"))
        let expected: [[Int]] = [[220, 30, 30], [30, 200, 40], [40, 50, 210], [250, 250, 250]]
        for (stripe, colour) in expected.enumerated() {
            let at = image.offset(x: 8 * stripe + 4, y: 8)
            let got = (0..<3).map { Int(image.pixels[at + $0]) }
            #expect(zip(got, colour).allSatisfy { abs($0 - $1) <= 4 }, "stripe \(stripe): \(got)")
        }
    }
}
