/// One stretch of a mouse trace (for example the part spoken over one noun), drawn as a
/// polyline in its class's colour. Coordinates are normalised to the image, origin top-left.
public struct OverlayTrace: Sendable {
    public var classIndex: Int
    public var points: [(x: Float, y: Float)]

    public init(classIndex: Int, points: [(x: Float, y: Float)]) {
        self.classIndex = classIndex
        self.points = points
    }
}

/// A sampled point question: where it is (normalised, origin top-left), which class it asks
/// about, and the answer if there is one ("Yes", "No", "Unresolved", any letter case; other
/// text or nil draws no answer marker).
public struct OverlayPoint: Sendable {
    public var x: Double
    public var y: Double
    public var classIndex: Int
    public var label: String?

    public init(x: Double, y: Double, classIndex: Int, label: String? = nil) {
        self.x = x
        self.y = y
        self.classIndex = classIndex
        self.label = label
    }
}

/// The method's figure: a photo with its trace segments and point questions drawn over it,
/// a title above and a legend of classes (and answer markers) to the right.
///
/// Classes are coloured by `Palette.color(_:)`. Each point is a disc of its class's colour
/// ringed white then black, so it stands out on any background; its answer is marked inside
/// the disc in black or white, whichever contrasts with the class colour:
/// - Yes: a tick (✓),
/// - No: a cross (×),
/// - Unresolved: a ring (a hollow circle inside the disc),
/// - no answer: the plain disc.
public enum Overlay {
    /// The answers a point can show.
    enum Answer: CaseIterable {
        case yes, no, unresolved

        init?(_ label: String?) {
            switch label?.lowercased() {
            case "yes": self = .yes
            case "no": self = .no
            case "unresolved": self = .unresolved
            default: return nil
            }
        }

        var name: String {
            switch self {
            case .yes: "yes"
            case .no: "no"
            case .unresolved: "unresolved"
            }
        }
    }

    static let background = Color(red: 28, green: 28, blue: 32)
    static let foreground = Color(red: 235, green: 235, blue: 235)
    static let muted = Color(red: 160, green: 160, blue: 165)
    /// Longest class name shown in the legend before it is shortened with "...".
    static let maxNameLength = 28

    /// Draws the figure. The photo (any channel count) is scaled down to `maxSide` on its
    /// longer side if larger (a `maxSide` below 16 counts as 16), dimmed and partly
    /// desaturated, and the overlays are drawn on it at that size; the result is RGB, the
    /// photo's width plus the legend's wide and the title band plus the taller of photo and
    /// legend high. The legend lists, by class index, only the classes that some trace or
    /// point uses; a class without a name in `classNames` is called "class N".
    public static func render(
        image: Image, traces: [OverlayTrace], points: [OverlayPoint], classNames: [String], title: String, maxSide: Int = 800
    ) -> Image {
        var photo = dimmed(image.converted(toChannels: 3).resized(maxSide: max(maxSide, 16)))
        let layout = Layout(photo: (photo.width, photo.height), traces: traces, points: points, classNames: classNames)
        drawTraces(traces, on: &photo, lineWidth: layout.lineWidth)
        drawPoints(points, on: &photo, radius: layout.pointRadius)

        var canvas = Image(width: layout.width, height: layout.height, channels: 3)
        canvas.fillRect(x: 0, y: 0, width: Double(layout.width), height: Double(layout.height), color: background)
        canvas.paste(photo, x: 0, y: layout.photoY)
        drawTitle(title, on: &canvas, layout: layout)
        drawLegend(on: &canvas, layout: layout)
        return canvas
    }

    /// Where everything goes, worked out before drawing so the canvas can be sized.
    struct Layout {
        var photoWidth: Int
        var photoHeight: Int
        /// Font scale for title and legend: 2 once the photo is big enough to afford it.
        var scale: Int
        var padding: Int
        var photoY: Int
        var legendX: Int
        var legendWidth: Int
        var width: Int
        var height: Int
        var lineWidth: Double
        var pointRadius: Double
        /// Legend rows: used classes by index, with their names.
        var classes: [(index: Int, name: String)]
        /// Answers that some point shows, in `Answer.allCases` order.
        var answers: [Answer]

        init(photo: (width: Int, height: Int), traces: [OverlayTrace], points: [OverlayPoint], classNames: [String]) {
            photoWidth = photo.width
            photoHeight = photo.height
            let side = Double(max(photo.width, photo.height))
            let scale = side >= 400 ? 2 : 1
            self.scale = scale
            padding = 4 * scale
            lineWidth = max(2, side / 250)
            pointRadius = max(4, side / 70)
            let used = Set(traces.map(\.classIndex)).union(points.map(\.classIndex))
            classes = used.sorted().map { index in
                let name = index >= 0 && index < classNames.count ? classNames[index] : "class \(index)"
                return (index, Overlay.shortened(name, to: Overlay.maxNameLength))
            }
            let shown = Set(points.compactMap { Answer($0.label) })
            answers = Answer.allCases.filter { shown.contains($0) }

            photoY = BitmapFont.cellHeight * scale + 2 * padding
            legendX = photo.width
            let names = classes.map(\.name) + answers.map(\.name) + ["classes", "answers"]
            let widest = names.map { BitmapFont.size(of: $0, scale: scale).width }.max() ?? 0
            // The rest reads computed properties, which need every stored one set first.
            (legendWidth, width, height) = (0, 0, 0)
            legendWidth = padding * 6 + keyWidth + widest
            width = photo.width + legendWidth
            height = photoY + max(photo.height, legendHeight)
        }

        var rowHeight: Int { BitmapFont.cellHeight * scale + padding }
        var swatchSide: Int { (BitmapFont.cellHeight - 2) * scale }
        /// Width of the key column (swatches and answer markers), before the names: answer
        /// markers are as big as those on the photo, so may be wider than a swatch.
        var keyWidth: Int { max(swatchSide, Int((2 * Overlay.outerRadius(pointRadius)).rounded(.up))) }
        /// Answer rows fit a marker as big as those on the photo.
        var answerRowHeight: Int { max(rowHeight, keyWidth + 2) }
        /// Heading, one row per class, then (if any) a gap, a heading and one row per answer.
        var legendHeight: Int {
            let classRows = 1 + max(classes.count, 1)
            let answerHeight = answers.isEmpty ? 0 : rowHeight + rowHeight / 2 + answers.count * answerRowHeight
            return padding * 2 + classRows * rowHeight + answerHeight
        }
    }

    /// The photo dimmed to 70 % and desaturated by 40 %, so coloured overlays stand out
    /// while the scene stays recognisable.
    static func dimmed(_ photo: Image) -> Image {
        var result = photo
        for p in stride(from: 0, to: result.pixels.count, by: 3) {
            let luma = Double(Color.luma(result.pixels[p], result.pixels[p + 1], result.pixels[p + 2]))
            for c in 0..<3 {
                let value = (luma + 0.6 * (Double(result.pixels[p + c]) - luma)) * 0.7
                result.pixels[p + c] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
        return result
    }

    /// Every trace as a polyline: first all dark halos, then all colours, so a trace never
    /// hides another's colour under its halo.
    static func drawTraces(_ traces: [OverlayTrace], on photo: inout Image, lineWidth: Double) {
        let halo = Color.black
        for pass in 0..<2 {
            for trace in traces {
                let color = pass == 0 ? halo : Palette.color(trace.classIndex)
                let width = pass == 0 ? lineWidth + 2 : lineWidth
                let alpha = pass == 0 ? 0.55 : 1
                let pixels = trace.points.map { photo.point(normalizedX: Double($0.x), y: Double($0.y)) }
                if pixels.count == 1 {
                    photo.fillCircle(x: pixels[0].x, y: pixels[0].y, radius: width / 2 + 0.5, color: color, alpha: alpha)
                }
                for (start, end) in zip(pixels, pixels.dropFirst()) {
                    photo.drawLine(from: start, to: end, color: color, width: width, alpha: alpha)
                }
            }
        }
    }

    static func drawPoints(_ points: [OverlayPoint], on photo: inout Image, radius: Double) {
        for point in points {
            let centre = photo.point(normalizedX: point.x, y: point.y)
            drawMarker(on: &photo, at: centre, radius: radius, color: Palette.color(point.classIndex), answer: Answer(point.label))
        }
    }

    /// Width of each of the two rings around a point disc of radius `r`.
    static func ringWidth(_ r: Double) -> Double { max(1.5, r / 6) }

    /// Radius of a point marker including its rings.
    static func outerRadius(_ r: Double) -> Double { r + 2 * ringWidth(r) }

    /// A disc of `color` with a white and then a black ring, and the answer's mark inside.
    static func drawMarker(on image: inout Image, at centre: (x: Double, y: Double), radius r: Double, color: Color, answer: Answer?) {
        let ring = ringWidth(r)
        image.fillCircle(x: centre.x, y: centre.y, radius: r + 2 * ring, color: .black)
        image.fillCircle(x: centre.x, y: centre.y, radius: r + ring, color: .white)
        image.fillCircle(x: centre.x, y: centre.y, radius: r, color: color)
        guard let answer else { return }
        let ink: Color = color.luma > 140 ? .black : .white
        let stroke = max(1.5, r / 3.5)
        func at(_ dx: Double, _ dy: Double) -> (x: Double, y: Double) { (centre.x + dx * r, centre.y + dy * r) }
        switch answer {
        case .yes:
            image.drawLine(from: at(-0.5, 0.0), to: at(-0.12, 0.4), color: ink, width: stroke)
            image.drawLine(from: at(-0.12, 0.4), to: at(0.5, -0.42), color: ink, width: stroke)
        case .no:
            image.drawLine(from: at(-0.42, -0.42), to: at(0.42, 0.42), color: ink, width: stroke)
            image.drawLine(from: at(-0.42, 0.42), to: at(0.42, -0.42), color: ink, width: stroke)
        case .unresolved:
            image.fillCircle(x: centre.x, y: centre.y, radius: 0.62 * r, color: ink)
            image.fillCircle(x: centre.x, y: centre.y, radius: max(0.62 * r - stroke, 0.5), color: color)
        }
    }

    /// The title, centred in the band above the photo, shortened to fit the canvas.
    static func drawTitle(_ title: String, on canvas: inout Image, layout: Layout) {
        let fits = max((layout.width - 2 * layout.padding) / (BitmapFont.cellWidth * layout.scale), 1)
        let text = shortened(title, to: fits)
        let size = BitmapFont.size(of: text, scale: layout.scale)
        canvas.drawText(text, x: max((layout.width - size.width) / 2, layout.padding), y: layout.padding, color: foreground, scale: layout.scale)
    }

    /// The legend to the right of the photo: a swatch and name per class, then a sample
    /// marker and name per answer shown.
    static func drawLegend(on canvas: inout Image, layout: Layout) {
        let s = layout.scale
        let left = layout.legendX + layout.padding * 2
        let textX = left + layout.keyWidth + layout.padding
        let swatchInset = (BitmapFont.cellHeight * s - layout.swatchSide) / 2 - s
        var y = layout.photoY + layout.padding
        canvas.drawText("classes", x: left, y: y, color: muted, scale: s)
        y += layout.rowHeight
        if layout.classes.isEmpty {
            canvas.drawText("none", x: left, y: y, color: foreground, scale: s)
            y += layout.rowHeight
        }
        for entry in layout.classes {
            let side = Double(layout.swatchSide)
            let swatchX = Double(left + (layout.keyWidth - layout.swatchSide) / 2)
            canvas.fillRect(x: swatchX - 1, y: Double(y + swatchInset - 1), width: side + 2, height: side + 2, color: .white)
            canvas.fillRect(x: swatchX, y: Double(y + swatchInset), width: side, height: side, color: Palette.color(entry.index))
            canvas.drawText(entry.name, x: textX, y: y, color: foreground, scale: s)
            y += layout.rowHeight
        }
        guard !layout.answers.isEmpty else { return }
        y += layout.rowHeight / 2
        canvas.drawText("answers", x: left, y: y, color: muted, scale: s)
        y += layout.rowHeight
        for answer in layout.answers {
            let centre = (x: Double(left) + Double(layout.keyWidth) / 2, y: Double(y) + Double(layout.answerRowHeight) / 2)
            drawMarker(on: &canvas, at: centre, radius: layout.pointRadius, color: Palette.unassigned, answer: answer)
            let textY = y + (layout.answerRowHeight - BitmapFont.size(of: answer.name, scale: s).height) / 2
            canvas.drawText(answer.name, x: textX, y: textY, color: foreground, scale: s)
            y += layout.answerRowHeight
        }
    }

    /// `text` cut to at most `limit` characters, ending in "..." when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        guard limit > 3 else { return String(text.prefix(max(limit, 0))) }
        return String(text.prefix(limit - 3)) + "..."
    }
}

extension Image {
    /// Copies `other` over this image with its top-left corner at (x, y), clipped; both must
    /// have the same channel count.
    mutating func paste(_ other: Image, x: Int, y: Int) {
        precondition(other.channels == channels, "paste needs matching channel counts")
        let x0 = max(x, 0)
        let x1 = min(x + other.width, width)
        guard x0 < x1 else { return }
        for row in max(y, 0)..<max(min(y + other.height, height), max(y, 0)) {
            let source = other.offset(x: x0 - x, y: row - y)
            let target = offset(x: x0, y: row)
            let count = (x1 - x0) * channels
            pixels.replaceSubrange(target..<target + count, with: other.pixels[source..<source + count])
        }
    }
}
