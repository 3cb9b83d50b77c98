import Foundation
import Testing

@testable import Imaging

@Suite struct PNGWriteTests {
    @Test func encodesAPNGThatDecodesToTheSamePixels() throws {
        for channels in [1, 3, 4] {
            var image = Image(width: 5, height: 3, channels: channels)
            image.pixels[image.offset(x: 4, y: 2)] = 255
            let bytes = try PNGFile.encode(image)
            #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let decoded = try ImageFile.read(directory.write(bytes, to: "w.png"), layout: .asStored)
            #expect(decoded == image)
        }
    }

    @Test func normalisedCoordinatesBecomePixelsInOnePlace() {
        let image = Image(width: 640, height: 480, channels: 1)
        #expect(image.pixel(normalizedX: 0, y: 0) == (0, 0))
        #expect(image.pixel(normalizedX: 0.5, y: 0.5) == (320, 240))
        #expect(image.pixel(normalizedX: 1, y: 1) == (639, 479))
        #expect(image.pixel(normalizedX: -0.05, y: 1.04) == (0, 479))
        // Far outside (a trace kept with --out-of-image keep), infinite or NaN: clamped, no trap.
        #expect(image.pixel(normalizedX: 1e16, y: -1e16) == (639, 0))
        #expect(image.pixel(normalizedX: .infinity, y: .nan) == (639, 0))
        #expect(image.pixel(normalizedX: 0.999_999_9, y: 0.5) == (639, 240))
    }
}
