import Testing

@testable import Imaging

@Suite struct TransformTests {
    @Test func resizeKeepsAspectAndMean() throws {
        let frame = try ImageFile.read(Fixture.small)
        let half = frame.resized(maxSide: 320)
        #expect(half.width == 320 && half.height == 157 && half.channels == 3)
        let odd = frame.resized(maxSide: 101)
        #expect(odd.width == 101 && odd.height == 50)
        // Area averaging preserves each channel's mean (up to rounding and the 1-pixel
        // mismatch where 314 rows do not divide evenly).
        for (a, b) in zip(statistics(frame).means, statistics(odd).means) { #expect(abs(a - b) < 1.5, "\(a) vs \(b)") }
        #expect(frame.resized(maxSide: 640) == frame, "an image that fits is returned as is")
        #expect(frame.resized(maxSide: 5000) == frame)
    }

    @Test func resizeAveragesBlocksExactly() {
        // 4×2 grey → 2×1: each output pixel is the mean of a 2×2 block.
        let image = Image(width: 4, height: 2, channels: 1, pixels: [0, 100, 10, 20, 200, 100, 30, 40])
        #expect(image.resized(maxSide: 2).pixels == [100, 25])
        // 3 → 2 columns: the middle pixel is split half and half.
        let row = Image(width: 3, height: 1, channels: 1, pixels: [0, 90, 180])
        #expect(row.resized(maxSide: 2).pixels == [30, 150])
        // A thin line survives downscaling as a fainter line rather than vanishing.
        var lines = Image(width: 100, height: 100, channels: 1)
        lines.fillRect(x: 50, y: 0, width: 1, height: 100, color: .white)
        let small = lines.resized(maxSide: 10)
        #expect(small.pixels.filter { $0 > 0 }.count == 10)
    }

    @Test func channelConversionsRoundTrip() throws {
        let frame = try ImageFile.read(Fixture.small)
        #expect(frame.converted(toChannels: 4).converted(toChannels: 3) == frame)
        #expect(frame.converted(toChannels: 4).pixels[3] == 255)
        let grey = frame.converted(toChannels: 1)
        #expect(grey.channels == 1 && grey.pixels.count == 640 * 314)
        #expect(grey.converted(toChannels: 3).converted(toChannels: 1) == grey)
        #expect(grey.converted(toChannels: 4).converted(toChannels: 1) == grey)
        let colours = Image(width: 3, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255])
        #expect(colours.converted(toChannels: 1).pixels == [76, 150, 29])
        #expect(frame.converted(toChannels: 3) == frame)
    }
}

@Suite struct DrawingTests {
    func count(_ image: Image, _ color: Color) -> Int {
        (0..<image.width * image.height).filter { p in
            image.pixels[p * 3] == color.red && image.pixels[p * 3 + 1] == color.green && image.pixels[p * 3 + 2] == color.blue
        }.count
    }

    @Test(arguments: [3.0, 10.0, 20.5, 40.0])
    func filledCircleCoversAboutPiRSquared(radius: Double) {
        var image = Image(width: 200, height: 200, channels: 3)
        image.fillCircle(x: 100.3, y: 99.7, radius: radius, color: .red)
        let expected = Double.pi * radius * radius
        #expect(abs(Double(count(image, .red)) - expected) < 2 * .pi * radius * 0.5 + 2, "\(count(image, .red)) vs \(expected)")
        // Centred: the pixel under the centre is painted, one beyond the radius is not.
        #expect(image.pixels[image.offset(x: 100, y: 99)] == 255)
        #expect(image.pixels[image.offset(x: 100 + Int(radius) + 2, y: 99)] == 0)
    }

    @Test func circleIsClippedAtTheBorder() {
        var image = Image(width: 50, height: 50, channels: 3)
        image.fillCircle(x: 0, y: 0, radius: 20, color: .green)
        let quarter = Double.pi * 400 / 4
        #expect(abs(Double(count(image, .green)) - quarter) < 25)
        image.fillCircle(x: -1e300, y: .nan, radius: 5, color: .blue)  // Ignored, no trap.
        image.fillCircle(x: 25, y: 25, radius: 1e18, color: .blue)
        #expect(count(image, .blue) == 50 * 50, "a huge circle covers everything, without overflow")
    }

    @Test func linesCoverTheirLengthTimesWidth() {
        var image = Image(width: 100, height: 100, channels: 3)
        // Centre to centre, width 1: exactly the 41 pixels from x = 10 to 50 in row 20.
        image.drawLine(from: (10.5, 20.5), to: (50.5, 20.5), color: .yellow)
        #expect(count(image, .yellow) == 41)
        #expect(image.pixels[image.offset(x: 10, y: 20)] == 255 && image.pixels[image.offset(x: 50, y: 20)] == 255)
        // Vertical, 5 wide: 5 columns over the length plus two half-disc caps.
        var thick = Image(width: 100, height: 100, channels: 3)
        thick.drawLine(from: (50.5, 10), to: (50.5, 90), color: .red, width: 5)
        let expected = 80.0 * 5 + Double.pi * 2.5 * 2.5
        #expect(abs(Double(count(thick, .red)) - expected) < 15, "\(count(thick, .red))")
        // Diagonal: connected from end to end (every row between the ends is touched).
        var diagonal = Image(width: 100, height: 100, channels: 3)
        diagonal.drawLine(from: (5.5, 5.5), to: (94.5, 60.5), color: .blue, width: 1)
        for y in 5...60 {
            #expect((0..<100).contains { diagonal.pixels[diagonal.offset(x: $0, y: y) + 2] == 255 }, "row \(y)")
        }
        // A zero-length line is a dot.
        var dot = Image(width: 10, height: 10, channels: 3)
        dot.drawLine(from: (4.5, 4.5), to: (4.5, 4.5), color: .white, width: 3)
        #expect(count(dot, .white) == 9)
    }

    @Test func rectanglesFillExactly() {
        var image = Image(width: 40, height: 30, channels: 3)
        image.fillRect(x: 5, y: 6, width: 10, height: 7, color: .blue)
        #expect(count(image, .blue) == 70)
        #expect(image.pixels[image.offset(x: 5, y: 6) + 2] == 255 && image.pixels[image.offset(x: 14, y: 12) + 2] == 255)
        #expect(image.pixels[image.offset(x: 15, y: 12) + 2] == 0)
        image.fillRect(x: -10, y: -10, width: 100, height: 100, color: .white)
        #expect(count(image, .white) == 40 * 30)
    }

    @Test func blendingMixesByAlpha() {
        var image = Image(width: 2, height: 2, channels: 3, fill: 100)
        image.blend(x: 0, y: 0, color: .white, alpha: 0.5)
        #expect(Array(image.pixels[0..<3]) == [178, 178, 178])
        image.blend(x: 1, y: 0, color: .red, alpha: 1)
        #expect(Array(image.pixels[3..<6]) == [255, 0, 0])
        image.blend(x: 0, y: 1, color: .red, alpha: 0)
        image.blend(x: 2, y: 0, color: .red)  // Outside: ignored.
        image.blend(x: -1, y: 1, color: .red)
        #expect(Array(image.pixels[6...]) == [UInt8](repeating: 100, count: 6))

        var grey = Image(width: 1, height: 1, channels: 1)
        grey.blend(x: 0, y: 0, color: .green)
        #expect(grey.pixels == [150])

        var rgba = Image(width: 1, height: 1, channels: 4)  // Transparent black.
        rgba.blend(x: 0, y: 0, color: .white, alpha: 0.5)
        #expect(rgba.pixels == [128, 128, 128, 128])

        // Semi-transparent shapes blend each pixel once.
        var canvas = Image(width: 20, height: 20, channels: 3)
        canvas.fillCircle(x: 10, y: 10, radius: 5, color: .white, alpha: 0.5)
        #expect(Set(canvas.pixels).isSubset(of: [0, 128]))
    }

    @Test func normalisedPointsMapToPixelCoordinates() {
        let image = Image(width: 640, height: 480, channels: 3)
        let p = image.point(normalizedX: 0.5, y: 0.25)
        #expect(p.x == 320 && p.y == 120)
        // The drawn pixel under a normalised point is the one pixel(normalizedX:y:) names.
        var canvas = image
        let q = canvas.point(normalizedX: 0.123, y: 0.877)
        canvas.fillCircle(x: q.x, y: q.y, radius: 0.75, color: .white)
        let (px, py) = canvas.pixel(normalizedX: 0.123, y: 0.877)
        #expect(canvas.pixels[canvas.offset(x: px, y: py)] == 255)
    }
}

@Suite struct UpscaleTests {
    @Test func repeatsPixels() {
        let image = Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        let big = image.upscaled(by: 3)
        #expect(big.width == 6 && big.height == 3)
        #expect(Array(big.pixels[big.offset(x: 2, y: 2)..<(big.offset(x: 2, y: 2) + 3)]) == [1, 2, 3])
        #expect(Array(big.pixels[big.offset(x: 3, y: 0)..<(big.offset(x: 3, y: 0) + 3)]) == [4, 5, 6])
        #expect(image.upscaled(by: 1) == image)
    }
}
