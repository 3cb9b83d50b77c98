import Foundation
import Testing

@testable import Imaging

/// Decoding at a working resolution: JPEG inside the DCT, PNG by an integer box.
@Suite struct ScaledDecodeTests {
    func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
        Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.pixels.count)
    }

    @Test func jpegDecodesAtTheSmallestDCTScaleThatKeepsTheWorkingSide() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = try ImageFile.read(Fixture.large)  // 768 × 490
        let path = try dir.write(encodeJPEG(source), to: "frame.jpg")
        let full = try ImageFile.read(path)
        #expect(full.width == 768 && full.height == 490)
        // Sizes are libjpeg-turbo's: ceil(side × 1/n).
        for (side, width, height) in [
            (768, 768, 490), (1000, 768, 490), (767, 768, 490), (384, 384, 245), (300, 384, 245), (192, 192, 123), (100, 192, 123), (96, 96, 62),
            (10, 96, 62),
        ] {
            let scaled = try ImageFile.read(path, workingSide: side)
            #expect(scaled.width == width && scaled.height == height && scaled.channels == 3, "working side \(side)")
        }
        // The DCT-scaled pixels are close to a box reduction of the full decode.
        for factor in [2, 4, 8] {
            let scaled = try ImageFile.read(path, workingSide: 768 / factor)
            let boxed = full.boxReduced(by: factor)
            #expect(scaled.width == boxed.width && scaled.height == boxed.height)
            let difference = meanAbsoluteDifference(scaled, boxed)
            #expect(difference < 2.5, "1/\(factor): mean absolute difference \(difference)")
        }
    }

    @Test func pngIsReducedOnceByAnIntegerBox() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let full = try ImageFile.read(Fixture.large)
        let path = try dir.write(PNGFile.encode(full), to: "frame.png")
        #expect(try ImageFile.read(path, workingSide: 1000) == full)
        #expect(try ImageFile.read(path, workingSide: 400) == full)  // 768 / 400 = 1: kept
        #expect(try ImageFile.read(path, workingSide: 384) == full.boxReduced(by: 2))
        #expect(try ImageFile.read(path, workingSide: 250) == full.boxReduced(by: 3))
        let reduced = try ImageFile.read(path, workingSide: 250)
        #expect(reduced.width == 256 && reduced.height == 164)
    }

    @Test func boxReductionAveragesBlocksAndKeepsEdgeRemainders() {
        var image = Image(width: 5, height: 3, channels: 1)
        image.pixels = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140]
        let reduced = image.boxReduced(by: 2)
        #expect(reduced.width == 3 && reduced.height == 2)
        // (0+10+50+60)/4 = 30, (20+30+70+80)/4 = 50, (40+90)/2 = 65; last row alone: 105, 125, 140.
        #expect(reduced.pixels == [30, 50, 65, 105, 125, 140])
        #expect(image.boxReduced(by: 1) == image)
    }
}
