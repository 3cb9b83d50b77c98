import Foundation
import Testing

@testable import Imaging

/// Pixels of `image` (RGB) equal to `color`.
private func count(_ image: Image, _ color: Color, where region: (Int, Int) -> Bool = { _, _ in true }) -> Int {
    var n = 0
    for y in 0..<image.height {
        for x in 0..<image.width where region(x, y) {
            let o = image.offset(x: x, y: y)
            if image.pixels[o] == color.red && image.pixels[o + 1] == color.green && image.pixels[o + 2] == color.blue { n += 1 }
        }
    }
    return n
}

private func colour(_ image: Image, _ x: Int, _ y: Int) -> Color {
    let o = image.offset(x: x, y: y)
    return Color(red: image.pixels[o], green: image.pixels[o + 1], blue: image.pixels[o + 2])
}

@Suite struct BitmapFontTests {
    @Test func everyPrintableCharacterHasAGlyph() {
        #expect(BitmapFont.designs.count == 95)
        for (i, design) in BitmapFont.designs.enumerated() {
            let rows = design.split(separator: " ")
            #expect((7...9).contains(rows.count), "glyph \(i + 32)")
            #expect(rows.allSatisfy { $0.count == 5 && $0.allSatisfy { $0 == "#" || $0 == "." } }, "glyph \(i + 32)")
        }
        // Only the space is blank, and no two glyphs are the same.
        let inked = (32...126).filter { BitmapFont.glyph(for: Character(UnicodeScalar($0)!)).contains { $0 != 0 } }
        #expect(inked.count == 94)
        #expect(Set(BitmapFont.glyphs.map { $0.map(String.init).joined(separator: ",") }).count == 95)
    }

    @Test func glyphInksPixelsOfItsColour() {
        var image = Image(width: 20, height: 20, channels: 3)
        image.drawText("A", x: 2, y: 3, color: .green)
        let inked = BitmapFont.glyph(for: "A").map { $0.nonzeroBitCount }.reduce(0, +)
        #expect(inked > 0)
        #expect(count(image, .green) == inked)
        // Nothing outside the glyph's 5 × 9 box.
        #expect(count(image, .green) { x, y in x < 2 || x >= 7 || y < 3 || y >= 12 } == 0)
        var doubled = Image(width: 40, height: 40, channels: 3)
        doubled.drawText("A", x: 0, y: 0, color: .green, scale: 2)
        #expect(count(doubled, .green) == 4 * inked)
    }

    @Test func unknownCharactersDrawAsQuestionMark() {
        for odd in ["é", "\u{1F600}", "\t", "\u{7F}", "e\u{301}"] {
            var a = Image(width: 12, height: 12, channels: 3)
            var b = Image(width: 12, height: 12, channels: 3)
            a.drawText(odd, x: 1, y: 1, color: .white)
            b.drawText("?", x: 1, y: 1, color: .white)
            #expect(a == b, "\(odd.unicodeScalars.map(\.value))")
        }
        #expect(BitmapFont.glyph(for: "é") == BitmapFont.glyph(for: "?"))
        #expect(BitmapFont.glyph(for: "a") != BitmapFont.glyph(for: "?"))
    }

    @Test func sizeArithmetic() {
        #expect(BitmapFont.size(of: "") == (0, 0))
        #expect(BitmapFont.size(of: "A") == (5, 9))
        #expect(BitmapFont.size(of: "Hello") == (29, 9))
        #expect(BitmapFont.size(of: "Hello", scale: 3) == (87, 27))
        #expect(BitmapFont.size(of: "ab\nlonger\nc") == (35, 29))
        #expect(BitmapFont.size(of: "\n") == (0, 19))
        #expect(BitmapFont.size(of: "é€", scale: 2) == BitmapFont.size(of: "??", scale: 2), "one cell per character")
        #expect(BitmapFont.size(of: "x", scale: 0) == BitmapFont.size(of: "x"), "scale below 1 counts as 1")
        // The measured box holds all the ink, and the background fills exactly that box.
        var image = Image(width: 100, height: 50, channels: 3)
        image.drawText("Tg|y\nQ_j", x: 10, y: 5, color: .red, scale: 2, background: .blue)
        let size = BitmapFont.size(of: "Tg|y\nQ_j", scale: 2)
        let outside = { (x: Int, y: Int) in x < 10 || x >= 10 + size.width || y < 5 || y >= 5 + size.height }
        #expect(count(image, .black) == image.width * image.height - size.width * size.height)
        #expect(count(image, .red, where: outside) == 0 && count(image, .blue, where: outside) == 0)
        #expect(count(image, .red) > 0)
    }

    @Test func clipsAtEveryEdge() {
        let text = "Clipped text\nsecond line"
        for (x, y) in [(-30, -5), (-1_000_000, 3), (15, 6), (19, 19), (20, 0), (0, 20), (Int.max, Int.max), (Int.min, Int.min), (-4, 15)] {
            var image = Image(width: 20, height: 20, channels: 3)
            image.drawText(text, x: x, y: y, color: .white, scale: 3, background: .red)
            var grey = Image(width: 20, height: 20, channels: 1)
            grey.drawText(text, x: x, y: y, color: .white, scale: Int.max, background: .red)
        }
        var image = Image(width: 20, height: 20, channels: 3)
        image.drawText("W", x: 17, y: 15, color: .white)
        #expect(count(image, .white) > 0, "the visible part of a clipped glyph is drawn")
    }
}

@Suite struct PaletteTests {
    func distance(_ a: Color, _ b: Color) -> Double {
        let d = [Double(a.red) - Double(b.red), Double(a.green) - Double(b.green), Double(a.blue) - Double(b.blue)]
        return d.map { $0 * $0 }.reduce(0, +).squareRoot()
    }

    @Test func fortyColoursAreDistinct() {
        let colours = Palette.colors(count: 40)
        #expect(colours.count == 40)
        var closest = Double.infinity
        for i in 0..<40 { for j in (i + 1)..<40 { closest = min(closest, distance(colours[i], colours[j])) } }
        #expect(closest > 38, "closest pair \(closest)")
        // The first few, used by most figures, are far apart.
        let first = Array(colours.prefix(8))
        for i in 0..<8 { for j in (i + 1)..<8 { #expect(distance(first[i], first[j]) > 78) } }
    }

    @Test func saturatedAndDeterministic() {
        let colours = Palette.colors(count: 60)
        #expect(colours == Palette.colors(count: 60))
        #expect(Palette.colors(count: 10) == Array(colours.prefix(10)), "a longer palette extends a shorter one")
        #expect(colours[0] == Palette.color(0) && colours[59] == Palette.color(59))
        for c in colours {
            let channels = [Int(c.red), Int(c.green), Int(c.blue)]
            #expect(channels.max()! - channels.min()! >= 100, "\(c) is too grey")
        }
        #expect(Palette.colors(count: 0).isEmpty && Palette.colors(count: -3).isEmpty)
        #expect(Palette.color(-1) == Palette.unassigned)
        _ = Palette.color(Int.max)
    }

    @Test func hsvConversion() {
        #expect(Palette.hsv(hue: 0, saturation: 1, value: 1) == .red)
        #expect(Palette.hsv(hue: 1.0 / 3, saturation: 1, value: 1) == .green)
        #expect(Palette.hsv(hue: 2.0 / 3, saturation: 1, value: 1) == .blue)
        #expect(Palette.hsv(hue: 0.5, saturation: 0, value: 1) == .white)
        #expect(Palette.hsv(hue: 1, saturation: 1, value: 1) == .red)
    }
}

@Suite struct OverlayTests {
    let flat = Image(width: 200, height: 100, channels: 3, fill: 128)

    @Test func sizeAndChannels() throws {
        let grey = Image(width: 1000, height: 500, channels: 1, fill: 90)
        let figure = Overlay.render(
            image: grey, traces: [OverlayTrace(classIndex: 0, points: [(0.1, 0.1), (0.5, 0.5)])], points: [], classNames: ["cat"],
            title: "A cat", maxSide: 400)
        let layout = Overlay.Layout(photo: (400, 200), traces: [OverlayTrace(classIndex: 0, points: [])], points: [], classNames: ["cat"])
        #expect(figure.channels == 3)
        #expect(figure.width == layout.width && figure.height == layout.height)
        #expect(figure.width > 400 && figure.height >= 200 + layout.photoY)
        // Nothing at all still gives a figure, with its legend saying "none".
        let empty = Overlay.render(image: flat, traces: [], points: [], classNames: [], title: "")
        #expect(empty.channels == 3 && empty.width > 200 && empty.height >= 100)
        // A tiny maxSide or a photo smaller than it are fine.
        #expect(Overlay.render(image: flat, traces: [], points: [], classNames: [], title: "t", maxSide: 0).width > 16)
    }

    @Test func pointIsDrawnInItsClassColourWhereItIs() {
        let points = [OverlayPoint(x: 0.25, y: 0.5, classIndex: 3), OverlayPoint(x: 0.8, y: 0.3, classIndex: 5, label: "Yes")]
        let figure = Overlay.render(image: flat, traces: [], points: points, classNames: [], title: "points")
        let layout = Overlay.Layout(photo: (200, 100), traces: [], points: points, classNames: [])
        // (0.25, 0.5) of a 200 × 100 photo is pixel (50, 50), below the title band.
        #expect(colour(figure, 50, layout.photoY + 50) == Palette.color(3))
        #expect(colour(figure, 50 + Int(layout.pointRadius) - 1, layout.photoY + 50) == Palette.color(3))
        // Ringed in white and black just outside the disc.
        let ringX = 50 + Int(layout.pointRadius.rounded(.up)) + 1
        #expect([Color.white, Color.black].contains(colour(figure, ringX, layout.photoY + 50)))
        // The answered point carries the class colour and its tick's ink.
        let answered = { (x: Int, y: Int) in abs(x - 160) <= 10 && abs(y - layout.photoY - 30) <= 10 }
        #expect(count(figure, Palette.color(5), where: answered) > 20)
        #expect(count(figure, Palette.color(5).luma > 140 ? .black : .white, where: answered) > 10)
        // The photo is dimmed: the flat grey away from overlays is darker than it was.
        #expect(colour(figure, 5, layout.photoY + 95).red < 128)
    }

    @Test func traceIsDrawnInItsClassColourAlongItsPath() {
        let traces = [
            OverlayTrace(classIndex: 2, points: [(0.1, 0.2), (0.9, 0.2)]),
            OverlayTrace(classIndex: 7, points: [(0.5, 0.5), (0.5, 0.95), (0.05, 0.95)]),
        ]
        let figure = Overlay.render(image: flat, traces: traces, points: [], classNames: ["a", "b", "c"], title: "traces")
        let y0 = Overlay.Layout(photo: (200, 100), traces: traces, points: [], classNames: []).photoY
        for x in stride(from: 25, through: 175, by: 10) { #expect(colour(figure, x, y0 + 20) == Palette.color(2)) }
        #expect(colour(figure, 100, y0 + 70) == Palette.color(7))
        #expect(colour(figure, 50, y0 + 95) == Palette.color(7))
        #expect(colour(figure, 100, y0 + 40) != Palette.color(2) && colour(figure, 100, y0 + 40) != Palette.color(7))
    }

    @Test func legendShowsEachUsedClassColour() {
        let traces = [OverlayTrace(classIndex: 4, points: [(0.1, 0.1), (0.2, 0.2)])]
        let points = [OverlayPoint(x: 0.5, y: 0.5, classIndex: 9, label: "No"), OverlayPoint(x: 0.6, y: 0.5, classIndex: 1, label: "Unresolved")]
        let names = (0..<12).map { "class name \($0)" }
        let figure = Overlay.render(image: flat, traces: traces, points: points, classNames: names, title: "legend")
        let layout = Overlay.Layout(photo: (200, 100), traces: traces, points: points, classNames: names)
        #expect(layout.classes.map(\.index) == [1, 4, 9])
        #expect(layout.classes.map(\.name) == ["class name 1", "class name 4", "class name 9"])
        #expect(layout.answers == [.no, .unresolved])
        let inLegend = { (x: Int, _: Int) in x >= layout.legendX }
        for index in [1, 4, 9] {
            #expect(count(figure, Palette.color(index), where: inLegend) >= layout.swatchSide * layout.swatchSide, "class \(index)")
        }
        // Classes nobody uses are left out.
        for index in [0, 2, 3, 5] { #expect(count(figure, Palette.color(index), where: inLegend) == 0, "class \(index)") }
        // Unnamed classes get a made-up name.
        let unnamed = Overlay.Layout(photo: (200, 100), traces: traces, points: [], classNames: [])
        #expect(unnamed.classes.map(\.name) == ["class 4"])
    }

    @Test func answersParseAnyCase() {
        #expect(Overlay.Answer("Yes") == .yes && Overlay.Answer("NO") == .no && Overlay.Answer("unresolved") == .unresolved)
        #expect(Overlay.Answer(nil) == nil && Overlay.Answer("maybe") == nil)
        #expect(Overlay.shortened("abcdefgh", to: 6) == "abc..." && Overlay.shortened("abc", to: 6) == "abc")
        #expect(Overlay.shortened("abcdefgh", to: 2) == "ab" && Overlay.shortened("abc", to: -1) == "")
    }

    @Test func oddInputsDoNotCrash() {
        let traces = [
            OverlayTrace(classIndex: -1, points: [(.nan, 0.5), (0.5, .infinity), (-3, 4), (2, -1)]),
            OverlayTrace(classIndex: 1_000_000, points: []),
            OverlayTrace(classIndex: 0, points: [(0.5, 0.5)]),
        ]
        let points = [OverlayPoint(x: .nan, y: 0.2, classIndex: 0, label: "Yes"), OverlayPoint(x: 1.5, y: -0.2, classIndex: -4, label: "")]
        let figure = Overlay.render(image: flat, traces: traces, points: points, classNames: ["x"], title: String(repeating: "long ", count: 200))
        #expect(figure.channels == 3)
    }
}

@Suite struct ZipfChartTests {
    @Test func emptyInputSaysNoLabels() {
        for counts in [[], [(name: "zero", count: 0), (name: "negative", count: -5)]] as [[(name: String, count: Int)]] {
            let chart = Chart.zipf(counts: counts, title: "Nothing")
            #expect(chart.width == 900 && chart.height == 600 && chart.channels == 3)
            #expect(count(chart, Chart.series) == 0)
            #expect(count(chart, Chart.faint) > 0, "the \"no labels\" message")
        }
    }

    @Test func oneClass() {
        let chart = Chart.zipf(counts: [(name: "person", count: 42)], title: "One", width: 400, height: 300)
        #expect(chart.width == 400 && chart.height == 300)
        #expect(count(chart, Chart.highlight) > 0, "the top class is marked")
    }

    @Test func manyClasses() {
        // Zipf-like counts with ties and zeros.
        let counts = (0..<300).map { (name: "class \($0)", count: $0 % 50 == 49 ? 0 : Int(20_000 / Double($0 + 1))) }
        let chart = Chart.zipf(counts: counts, title: "Labels per class")
        #expect(chart.width == 900 && chart.height == 600)
        #expect(count(chart, Chart.series) > 200)
        #expect(count(chart, Chart.highlight) > 0)
        // What is counted is named in the summary and on the axis: the words differ, the plot does not.
        let mentions = Chart.zipf(counts: counts, title: "Labels per class", unit: ("mention", "mentions"))
        #expect(mentions != chart && count(mentions, Chart.series) == count(chart, Chart.series))
        let small = Chart.zipf(counts: counts, title: "small", width: 120, height: 50)
        #expect(small.width == 120 && small.height == 50)
        let huge = Chart.zipf(counts: [(name: "big", count: Int.max), (name: "one", count: 1)], title: "", width: 500, height: 400)
        #expect(huge.width == 500)
    }

    @Test func axisHelpers() {
        #expect(Chart.decades(min: 1, max: 300) == (0, 3))
        #expect(Chart.decades(min: 42, max: 42) == (1, 2))
        #expect(Chart.decades(min: 100, max: 100) == (2, 3))
        #expect(Chart.decades(min: 3, max: 1000) == (0, 3))
        #expect(Chart.power(of: 0) == "1" && Chart.power(of: 3) == "1000" && Chart.power(of: 9) == "1e9")
        #expect(Chart.format(1234567) == "1,234,567" && Chart.format(12) == "12" && Chart.format(100) == "100")
    }
}

/// Writes sample figures for inspection when IMAGING_SAMPLE_DIR names a folder (the overlay
/// drawn on IMAGING_SAMPLE_FRAME if set, else a fixture frame).
@Suite struct FigureSamples {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["IMAGING_SAMPLE_DIR"] != nil))
    func writeSamples() throws {
        let directory = ProcessInfo.processInfo.environment["IMAGING_SAMPLE_DIR"] ?? "/tmp"
        var text = Image(width: 620, height: 150, channels: 3, fill: 255)
        let printable = String((32...126).map { Character(UnicodeScalar($0)!) })
        text.drawText(String(printable.prefix(48)), x: 4, y: 4, color: .black)
        text.drawText(String(printable.dropFirst(48)), x: 4, y: 16, color: .black)
        text.drawText("The quick brown fox jumps over the lazy dog.", x: 4, y: 30, color: .black)
        text.drawText("Pack my box: 5 dozen liquor jugs! (g, j, p, q, y)", x: 4, y: 44, color: .blue, background: .yellow)
        text.drawText("Scale 2: Apples & pears 0123456789", x: 4, y: 62, color: .black, scale: 2)
        text.drawText("gjpqy {[(~)]} #@$%", x: 4, y: 84, color: .red, scale: 2)
        text.drawText("x3 Quality", x: 4, y: 106, color: .black, scale: 3)
        try PNGFile.write(text, to: directory + "/font_sample.png")

        var swatches = Image(width: 400, height: 100, channels: 3, fill: 40)
        for (i, c) in Palette.colors(count: 40).enumerated() {
            swatches.fillRect(x: Double(i % 20) * 20, y: Double(i / 20) * 50, width: 18, height: 48, color: c)
        }
        try PNGFile.write(swatches, to: directory + "/palette_sample.png")

        let frame = try ImageFile.read(ProcessInfo.processInfo.environment["IMAGING_SAMPLE_FRAME"] ?? Fixture.large)
        var loop: [(x: Float, y: Float)] = []
        for step in 0..<20 {
            let angle = Double(step) * 0.314
            loop.append((Float(0.3 + 0.15 * cos(angle)), Float(0.4 + 0.2 * sin(angle))))
        }
        let traces: [OverlayTrace] = [
            OverlayTrace(classIndex: 0, points: loop),
            OverlayTrace(classIndex: 1, points: [(0.55, 0.3), (0.6, 0.35), (0.68, 0.45), (0.7, 0.6), (0.66, 0.7)]),
            OverlayTrace(classIndex: 2, points: [(0.1, 0.8), (0.3, 0.85), (0.5, 0.8), (0.7, 0.88), (0.9, 0.82)]),
        ]
        let points = [
            OverlayPoint(x: 0.3, y: 0.4, classIndex: 0, label: "Yes"),
            OverlayPoint(x: 0.42, y: 0.25, classIndex: 0, label: "No"),
            OverlayPoint(x: 0.65, y: 0.5, classIndex: 1, label: "Unresolved"),
            OverlayPoint(x: 0.62, y: 0.35, classIndex: 1, label: nil),
            OverlayPoint(x: 0.5, y: 0.82, classIndex: 2, label: "Yes"),
            OverlayPoint(x: 0.2, y: 0.6, classIndex: 3, label: "No"),
        ]
        let overlay = Overlay.render(
            image: frame, traces: traces, points: points, classNames: ["fish", "turtle", "sand", "coral reef"],
            title: "ovis 5d24e4ea img_0000003: is this a ...?")
        try PNGFile.write(overlay, to: directory + "/overlay_sample.png")

        // Many classes on a small photo: the legend is taller than the photo, text at scale 1.
        let many = (0..<15).map { i in
            OverlayPoint(x: 0.05 + 0.06 * Double(i), y: 0.3 + 0.4 * Double(i % 2), classIndex: i, label: ["Yes", "No", "Unresolved", nil][i % 4])
        }
        let crowded = Overlay.render(
            image: try ImageFile.read(Fixture.small), traces: [], points: many, classNames: (0..<15).map { "class number \($0)" },
            title: "fifteen classes on a small photo", maxSide: 360)
        try PNGFile.write(crowded, to: directory + "/overlay_small_sample.png")

        let names = ["person", "dog", "car", "tree", "window", "building", "water", "grass", "sky", "shirt"]
        let counts = (0..<300).map { i in (name: i < names.count ? names[i] : "class \(i)", count: Int(50_000 / pow(Double(i + 1), 1.1))) }
        try PNGFile.write(Chart.zipf(counts: counts, title: "Labels per class (300 classes)"), to: directory + "/zipf_sample.png")
        try PNGFile.write(Chart.zipf(counts: [], title: "Empty"), to: directory + "/zipf_empty.png")
        try PNGFile.write(
            Chart.zipf(counts: [(name: "only", count: 7)], title: "One class", width: 450, height: 300), to: directory + "/zipf_one.png")
    }
}

@Suite struct ScatterChartTests {
    func pixels(of color: Color, in image: Image) -> Int {
        stride(from: 0, to: image.pixels.count, by: 3).filter {
            image.pixels[$0] == color.red && image.pixels[$0 + 1] == color.green && image.pixels[$0 + 2] == color.blue
        }.count
    }

    @Test func drawsEverySeriesInItsColourAtTheSizeAsked() {
        let series = [
            Chart.Series(name: "a", points: [(0.62, 0.6), (0.63, 0.66)], ringed: [(0.62, 0.61)]),
            Chart.Series(name: "b", points: [(0.91, 0.93)]),
        ]
        let image = Chart.scatter(series, title: "t", subtitle: "s", xTitle: "x", yTitle: "y", note: ["ring: labels"], width: 700, height: 500)
        #expect(image.width == 700 && image.height == 500 && image.channels == 3)
        // Dots, the ring and the legend swatches in each series' colour; more of a's (three marks).
        let (a, b) = (pixels(of: Palette.color(0), in: image), pixels(of: Palette.color(1), in: image))
        #expect(a > b && b > 0)
        // Nothing to plot still gives a blank, framed chart.
        let empty = Chart.scatter([], title: "t", subtitle: "", xTitle: "x", yTitle: "y", width: 400, height: 300)
        #expect(empty.width == 400 && pixels(of: Palette.color(0), in: empty) == 0)
    }
}
