import Foundation

/// Simple statistical charts for reports, drawn with the built-in font.
public enum Chart {
    static let ink = Color(red: 30, green: 30, blue: 30)
    static let grid = Color(red: 225, green: 225, blue: 228)
    static let faint = Color(red: 120, green: 120, blue: 125)
    static let series = Color(red: 31, green: 100, blue: 180)
    static let highlight = Color(red: 215, green: 70, blue: 40)
    /// Longest class name annotated before it is shortened with "...".
    static let maxNameLength = 24

    /// The rank/frequency plot of label counts per class on log-log axes: classes sorted by
    /// count, largest first (ties by name), rank on x and count on y, each axis spanning whole
    /// powers of ten with a labelled tick at each and unlabelled ticks at 2–9 times each. The
    /// five most frequent classes are named next to their points. Counts of zero or less are
    /// left out (log scale); with nothing left the chart says "no labels". `unit` names what is
    /// counted (labels, mentions) in the summary and the vertical axis. The result is an
    /// RGB image of exactly `width` × `height` (each at least 1); below about 300 × 200 the
    /// plot gets cramped.
    public static func zipf(
        counts: [(name: String, count: Int)], title: String, unit: (one: String, many: String) = ("label", "labels"), width: Int = 900,
        height: Int = 600
    ) -> Image {
        precondition(width > 0 && height > 0, "a chart needs a positive size")
        let ranked = counts.filter { $0.count > 0 }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        var image = Image(width: width, height: height, channels: 3, fill: 255)
        let big = min(width, height) >= 400 ? 2 : 1
        let line = BitmapFont.cellHeight
        let pad = 6 * big

        // Title and a one-line summary, centred at the top.
        let total = ranked.reduce(0.0) { $0 + Double($1.count) }
        let summary = ranked.isEmpty ? "" : "\(plural(ranked.count, "class", "classes")), \(plural(Int(min(total, 1e18)), unit.one, unit.many))"
        drawCentred(Overlay.shortened(title, to: max(width / (BitmapFont.cellWidth * big), 1)), on: &image, y: pad, scale: big)
        drawCentred(summary, on: &image, y: pad + line * big + 2, scale: 1)

        // Plot area: room on the left for tick labels and the vertical axis title, below for
        // tick labels and the horizontal axis title.
        let top = pad + line * big + line + 2 * pad
        let bottom = height - (pad + line * big + line + 2 * pad)
        let yRange = decades(min: ranked.last.map { Double($0.count) } ?? 1, max: ranked.first.map { Double($0.count) } ?? 10)
        let tickLabelWidth = (yRange.lower...yRange.upper).map { BitmapFont.size(of: power(of: $0), scale: 1).width }.max() ?? 0
        let left = pad + line * big + pad + tickLabelWidth + pad
        let right = width - 3 * pad
        guard right - left > 20, bottom - top > 20 else { return image }
        let frame = (left: Double(left), right: Double(right), top: Double(top), bottom: Double(bottom))

        drawAxisTitles(on: &image, frame: frame, unit: unit.many, scale: big, pad: pad)
        guard !ranked.isEmpty else {
            image.strokeRect(frame, color: ink)
            let size = BitmapFont.size(of: "no \(unit.many)", scale: big)
            image.drawText(
                "no \(unit.many)", x: (left + right - size.width) / 2, y: (top + bottom - size.height) / 2, color: faint, scale: big)
            return image
        }

        let xRange = decades(min: 1, max: Double(ranked.count))
        // An inset keeps points at the extremes off the frame.
        let inset = 6.0
        func position(rank: Int, count: Int) -> (x: Double, y: Double) {
            let fx = (log10(Double(rank)) - Double(xRange.lower)) / Double(xRange.upper - xRange.lower)
            let fy = (log10(Double(count)) - Double(yRange.lower)) / Double(yRange.upper - yRange.lower)
            return (
                frame.left + inset + fx * (frame.right - frame.left - 2 * inset),
                frame.bottom - inset - fy * (frame.bottom - frame.top - 2 * inset)
            )
        }
        drawTicks(on: &image, frame: frame, inset: inset, x: xRange, y: yRange)
        image.strokeRect(frame, color: ink)

        let points = ranked.enumerated().map { position(rank: $0.offset + 1, count: $0.element.count) }
        for (a, b) in zip(points, points.dropFirst()) { image.drawLine(from: a, to: b, color: series, width: 1.5, alpha: 0.5) }
        let dot = ranked.count > 100 ? 2.0 : 3.0
        for p in points { image.fillCircle(x: p.x, y: p.y, radius: dot, color: series) }
        annotateTop(ranked, points: points, on: &image, frame: frame)
        return image
    }

    /// The whole powers of ten around [min, max] (min ≥ 1): at least one decade wide.
    static func decades(min: Double, max: Double) -> (lower: Int, upper: Int) {
        let lower = Int(log10(Swift.max(min, 1)).rounded(.down))
        var upper = Int(log10(Swift.max(max, 1)).rounded(.up))
        if upper <= lower { upper = lower + 1 }
        return (lower, upper)
    }

    /// 10^exponent written out up to a million, as "1e7" and so on beyond.
    static func power(of exponent: Int) -> String {
        exponent >= 0 && exponent <= 6 ? "1" + String(repeating: "0", count: exponent) : "1e\(exponent)"
    }

    /// "1 class", "2,000 classes".
    static func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(format(Double(n))) \(n == 1 ? one : many)" }

    /// A count with thousands separated by commas.
    static func format(_ value: Double) -> String {
        guard value.isFinite, value < 1e18 else { return String(value) }
        let digits = String(Int(value.rounded()))
        var result = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    static func drawCentred(_ text: String, on image: inout Image, y: Int, scale: Int) {
        let size = BitmapFont.size(of: text, scale: scale)
        image.drawText(text, x: max((image.width - size.width) / 2, 0), y: y, color: ink, scale: scale)
    }

    static func drawAxisTitles(
        on image: inout Image, frame: (left: Double, right: Double, top: Double, bottom: Double), unit: String, scale: Int, pad: Int
    ) {
        let xTitle = "rank (log)"
        let xSize = BitmapFont.size(of: xTitle, scale: scale)
        image.drawText(
            xTitle, x: Int((frame.left + frame.right) / 2) - xSize.width / 2, y: Int(frame.bottom) + BitmapFont.cellHeight + 2 * pad,
            color: ink, scale: scale)
        let yTitle = "\(unit) per class (log)"
        let ySize = BitmapFont.size(of: yTitle, scale: scale)
        image.drawTextUpwards(yTitle, x: pad, y: Int((frame.top + frame.bottom) / 2) + ySize.width / 2, color: ink, scale: scale)
    }

    /// Grid lines and labelled ticks at each power of ten, short ticks at 2–9 times each.
    static func drawTicks(
        on image: inout Image, frame: (left: Double, right: Double, top: Double, bottom: Double), inset: Double,
        x: (lower: Int, upper: Int), y: (lower: Int, upper: Int)
    ) {
        let spanX = frame.right - frame.left - 2 * inset
        let spanY = frame.bottom - frame.top - 2 * inset
        for exponent in x.lower...x.upper {
            for multiple in 1...9 {
                let value = log10(Double(multiple)) + Double(exponent)
                guard value <= Double(x.upper) else { break }
                let px = (frame.left + inset + (value - Double(x.lower)) / Double(x.upper - x.lower) * spanX).rounded(.down)
                let length = multiple == 1 ? 6.0 : 3.0
                if multiple == 1 {
                    image.fillRect(x: px, y: frame.top + 1, width: 1, height: frame.bottom - frame.top - 1, color: grid)
                    let label = power(of: exponent)
                    let size = BitmapFont.size(of: label)
                    image.drawText(label, x: Int(px) - size.width / 2, y: Int(frame.bottom + length + 3), color: ink)
                }
                image.fillRect(x: px, y: frame.bottom, width: 1, height: length, color: ink)
            }
        }
        for exponent in y.lower...y.upper {
            for multiple in 1...9 {
                let value = log10(Double(multiple)) + Double(exponent)
                guard value <= Double(y.upper) else { break }
                let py = (frame.bottom - inset - (value - Double(y.lower)) / Double(y.upper - y.lower) * spanY).rounded(.down)
                let length = multiple == 1 ? 6.0 : 3.0
                if multiple == 1 {
                    image.fillRect(x: frame.left + 1, y: py, width: frame.right - frame.left - 1, height: 1, color: grid)
                    let label = power(of: exponent)
                    let size = BitmapFont.size(of: label)
                    image.drawText(label, x: Int(frame.left - length - 3) - size.width, y: Int(py) - 3, color: ink)
                }
                image.fillRect(x: frame.left - length, y: py, width: length, height: 1, color: ink)
            }
        }
    }

    /// Names the five most frequent classes in a column right of their points, each joined to
    /// its point by a thin line. The column goes above the curve when it fits there (the usual
    /// steep fall leaves the top right empty), else below it (counts too similar for that).
    static func annotateTop(
        _ ranked: [(name: String, count: Int)], points: [(x: Double, y: Double)], on image: inout Image,
        frame: (left: Double, right: Double, top: Double, bottom: Double)
    ) {
        let shown = min(5, ranked.count)
        let labels = (0..<shown).map { "\($0 + 1). \(Overlay.shortened(ranked[$0].name, to: maxNameLength)) (\(format(Double(ranked[$0].count))))" }
        let widest = labels.map { BitmapFont.size(of: $0).width }.max() ?? 0
        let rowHeight = Double(BitmapFont.cellHeight + 6)
        let columnHeight = rowHeight * Double(shown)
        let last = points[shown - 1]
        let plotWidth = frame.right - frame.left
        let columnX = min(max(last.x + 40, frame.left + 0.3 * plotWidth), frame.right - Double(widest) - 8)
        // Where the curve is at the column: the first point at or right of it, else the last.
        let curveY = points.first { $0.x >= columnX }?.y ?? points[points.count - 1].y
        let fitsAbove = curveY - frame.top >= columnHeight + 24
        let columnTop = fitsAbove ? frame.top + 12 : frame.bottom - 12 - columnHeight
        for (i, label) in labels.enumerated() {
            let labelY = columnTop + Double(i) * rowHeight
            let anchor = (x: columnX - 3, y: labelY + Double(BitmapFont.glyphRows) / 2)
            image.drawLine(from: points[i], to: anchor, color: faint, width: 1)
            image.fillCircle(x: points[i].x, y: points[i].y, radius: 4, color: highlight)
            image.drawText(label, x: Int(columnX), y: Int(labelY), color: ink, background: .white)
        }
    }
}

extension Image {
    /// The outline of a rectangle, one pixel wide, on the pixels its edges run through.
    mutating func strokeRect(_ frame: (left: Double, right: Double, top: Double, bottom: Double), color: Color) {
        fillRect(x: frame.left, y: frame.top, width: frame.right - frame.left + 1, height: 1, color: color)
        fillRect(x: frame.left, y: frame.bottom, width: frame.right - frame.left + 1, height: 1, color: color)
        fillRect(x: frame.left, y: frame.top, width: 1, height: frame.bottom - frame.top + 1, color: color)
        fillRect(x: frame.right, y: frame.top, width: 1, height: frame.bottom - frame.top + 1, color: color)
    }

    /// Draws `text` turned a quarter turn anticlockwise, reading bottom to top, with the
    /// start of its first line's baseline side at the left: its box is `height` wide and
    /// `width` tall (as `BitmapFont.size` measures it), its bottom-left corner at (x, y).
    mutating func drawTextUpwards(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1) {
        let size = BitmapFont.size(of: text, scale: scale)
        guard size.width > 0, size.height > 0 else { return }
        // Render upright into a mask, then copy it rotated.
        var mask = Image(width: size.width, height: size.height, channels: 1)
        mask.drawText(text, x: 0, y: 0, color: .white, scale: scale)
        for my in 0..<size.height {
            for mx in 0..<size.width where mask.pixels[my * size.width + mx] != 0 {
                blend(x: x + my, y: y - mx, color: color)
            }
        }
    }
}
