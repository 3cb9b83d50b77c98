import Foundation

extension Chart {
    /// One series of a scatter plot: a name for the legend, its points (dots) and the points
    /// to set apart (rings).
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var ringed: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)], ringed: [(x: Double, y: Double)] = []) {
            self.name = name
            self.points = points
            self.ringed = ringed
        }
    }

    /// A scatter plot of values in [0, 1] (scores such as IoU) with the diagonal y = x drawn:
    /// each series in its `Palette` colour, a dot per point, named in a legend right of the
    /// plot; ringed points are drawn as rings of the series' colour, and `note` (when given) is
    /// written under the legend to say what rings and dots are. Both axes span the same range, whole tenths around the data, so distance from the
    /// diagonal reads as the difference of the two scores. The result is an RGB image of
    /// exactly `width` × `height`; below about 500 × 300 the plot gets cramped.
    public static func scatter(
        _ series: [Series], title: String, subtitle: String, xTitle: String, yTitle: String, note: [String] = [], width: Int = 900,
        height: Int = 700
    ) -> Image {
        precondition(width > 0 && height > 0, "a chart needs a positive size")
        var image = Image(width: width, height: height, channels: 3, fill: 255)
        let big = min(width, height) >= 400 ? 2 : 1
        let line = BitmapFont.cellHeight
        let pad = 6 * big
        drawCentred(Overlay.shortened(title, to: max(width / (BitmapFont.cellWidth * big), 1)), on: &image, y: pad, scale: big)
        drawCentred(Overlay.shortened(subtitle, to: max(width / BitmapFont.cellWidth, 1)), on: &image, y: pad + line * big + 2, scale: 1)

        let names = series.map { Overlay.shortened($0.name, to: maxNameLength) }
        let legendWidth = (names.map { BitmapFont.size(of: $0).width }.max() ?? 0) + 24
        let top = pad + line * big + line + 2 * pad
        let bottom = height - (pad + line * big + line + 2 * pad)
        let left = pad + line * big + pad + BitmapFont.size(of: "0.00").width + pad
        let side = min(bottom - top, width - legendWidth - 3 * pad - left)
        guard side > 20 else { return image }
        let frame = (left: Double(left), right: Double(left + side), top: Double(bottom - side), bottom: Double(bottom))

        let values = series.flatMap { ($0.points + $0.ringed).flatMap { [$0.x, $0.y] } }.filter(\.isFinite)
        let low = max(0, ((values.min() ?? 0) * 10).rounded(.down) / 10)
        var high = min(1, ((values.max() ?? 1) * 10).rounded(.up) / 10)
        if high <= low { high = min(1, low + 0.1) }
        let inset = 6.0
        func position(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
            let span = frame.right - frame.left - 2 * inset
            return (
                frame.left + inset + (x - low) / (high - low) * span,
                frame.bottom - inset - (y - low) / (high - low) * span
            )
        }
        // Grid and labelled ticks every tenth (every twentieth when the range is short).
        let step = high - low <= 0.3 ? 0.05 : 0.1
        for k in 0...Int(((high - low) / step).rounded()) {
            let value = low + Double(k) * step
            let p = position(value, value)
            image.fillRect(x: p.x.rounded(.down), y: frame.top + 1, width: 1, height: frame.bottom - frame.top - 1, color: grid)
            image.fillRect(x: frame.left + 1, y: p.y.rounded(.down), width: frame.right - frame.left - 1, height: 1, color: grid)
            let label = String(format: step < 0.1 ? "%.2f" : "%.1f", value)
            let size = BitmapFont.size(of: label)
            image.drawText(label, x: Int(p.x) - size.width / 2, y: Int(frame.bottom) + 8, color: ink)
            image.drawText(label, x: Int(frame.left) - 8 - size.width, y: Int(p.y) - 3, color: ink)
        }
        image.drawLine(from: position(low, low), to: position(high, high), color: faint, width: 1)
        image.strokeRect(frame, color: ink)
        let xSize = BitmapFont.size(of: xTitle, scale: big)
        image.drawText(
            xTitle, x: Int((frame.left + frame.right) / 2) - xSize.width / 2, y: Int(frame.bottom) + line + 3 * pad, color: ink, scale: big)
        let ySize = BitmapFont.size(of: yTitle, scale: big)
        image.drawTextUpwards(yTitle, x: pad, y: Int((frame.top + frame.bottom) / 2) + ySize.width / 2, color: ink, scale: big)

        for (i, s) in series.enumerated() {
            let color = Palette.color(i)
            for p in s.points where p.x.isFinite && p.y.isFinite {
                let at = position(p.x, p.y)
                image.fillCircle(x: at.x, y: at.y, radius: 4.5, color: ink)
                image.fillCircle(x: at.x, y: at.y, radius: 3.5, color: color)
            }
            for p in s.ringed where p.x.isFinite && p.y.isFinite {
                let at = position(p.x, p.y)
                image.fillCircle(x: at.x, y: at.y, radius: 8.5, color: ink)
                image.fillCircle(x: at.x, y: at.y, radius: 7.5, color: color)
                image.fillCircle(x: at.x, y: at.y, radius: 5, color: .white)
            }
            let rowY = Int(frame.top) + i * (line + 6)
            let legendX = Int(frame.right) + 2 * pad
            image.fillCircle(x: Double(legendX + 5), y: Double(rowY + 4), radius: 4.5, color: ink)
            image.fillCircle(x: Double(legendX + 5), y: Double(rowY + 4), radius: 3.5, color: color)
            image.drawText(names[i], x: legendX + 16, y: rowY, color: ink)
        }
        for (k, text) in note.enumerated() {
            image.drawText(text, x: Int(frame.right) + 2 * pad, y: Int(frame.top) + (series.count + 1 + k) * (line + 6), color: faint)
        }
        return image
    }
}
