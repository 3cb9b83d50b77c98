/// An opaque 8-bit sRGB colour for drawing; how much it covers is the `alpha` of each call.
public struct Color: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 255, green: 255, blue: 255)
    public static let red = Color(red: 255, green: 0, blue: 0)
    public static let green = Color(red: 0, green: 255, blue: 0)
    public static let blue = Color(red: 0, green: 0, blue: 255)
    public static let yellow = Color(red: 255, green: 255, blue: 0)

    /// The grey this colour draws as on a 1-channel image (Rec. 601 luma).
    public var luma: UInt8 { Color.luma(red, green, blue) }

    static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let weighted: Double = 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)
        return UInt8(min(255, weighted.rounded()))
    }
}

/// Simple drawing for overlays, in pixel coordinates: x to the right, y down, pixel (i, j)
/// covering [i, i+1) × [j, j+1), so its centre is (i + 0.5, j + 0.5) — the same convention
/// as `pixel(normalizedX:y:)`, where a normalised point becomes (x · width, y · height).
///
/// A shape covers the pixels whose centres fall inside it; there is no anti-aliasing, and
/// each pixel is blended once per call. Parts outside the image are clipped.
extension Image {
    /// Mixes `color` into pixel (x, y): `alpha` 1 replaces it, 0 leaves it. On a grey image
    /// the colour's luma is used; on an RGBA image the pixel's alpha grows as if the colour
    /// were laid over it (a + a₀ · (1 − a)). Out-of-range pixels are ignored.
    public mutating func blend(x: Int, y: Int, color: Color, alpha: Double = 1) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let a = min(max(alpha, 0), 1)
        guard a > 0 else { return }
        let o = offset(x: x, y: y)
        func mix(_ old: UInt8, _ new: UInt8) -> UInt8 {
            UInt8((Double(old) * (1 - a) + Double(new) * a).rounded())
        }
        if channels == 1 {
            pixels[o] = mix(pixels[o], color.luma)
            return
        }
        pixels[o] = mix(pixels[o], color.red)
        pixels[o + 1] = mix(pixels[o + 1], color.green)
        pixels[o + 2] = mix(pixels[o + 2], color.blue)
        if channels == 4 {
            pixels[o + 3] = UInt8(min(255, (255 * a + Double(pixels[o + 3]) * (1 - a)).rounded()))
        }
    }

    /// The pixel coordinates of a normalised point (origin top-left), for drawing at it.
    public func point(normalizedX x: Double, y: Double) -> (x: Double, y: Double) {
        (x * Double(width), y * Double(height))
    }

    /// Fills the disc of `radius` around (x, y): about π·radius² pixels.
    public mutating func fillCircle(x: Double, y: Double, radius: Double, color: Color, alpha: Double = 1) {
        guard radius > 0, x.isFinite, y.isFinite else { return }
        let r2 = radius * radius
        Image.forEachPixel(in: (width, height), minX: x - radius, maxX: x + radius, minY: y - radius, maxY: y + radius) { cx, cy in
            (cx - x) * (cx - x) + (cy - y) * (cy - y) <= r2
        } draw: { px, py in
            blend(x: px, y: py, color: color, alpha: alpha)
        }
    }

    /// Draws a straight stroke `width` wide from one point to the other, with round ends:
    /// the pixels whose centres lie within width/2 of the segment. A width below 1 counts as
    /// 1, so a line never disappears between pixel centres.
    public mutating func drawLine(
        from start: (x: Double, y: Double), to end: (x: Double, y: Double), color: Color, width lineWidth: Double = 1,
        alpha: Double = 1
    ) {
        guard start.x.isFinite, start.y.isFinite, end.x.isFinite, end.y.isFinite else { return }
        let half = max(lineWidth, 1) / 2
        let dx = end.x - start.x
        let dy = end.y - start.y
        let length2 = dx * dx + dy * dy
        Image.forEachPixel(
            in: (width, height), minX: min(start.x, end.x) - half, maxX: max(start.x, end.x) + half,
            minY: min(start.y, end.y) - half, maxY: max(start.y, end.y) + half
        ) { cx, cy in
            // Distance from the centre to the nearest point of the segment.
            let t = length2 > 0 ? min(max(((cx - start.x) * dx + (cy - start.y) * dy) / length2, 0), 1) : 0
            let nx = start.x + t * dx - cx
            let ny = start.y + t * dy - cy
            return nx * nx + ny * ny <= half * half
        } draw: { px, py in
            blend(x: px, y: py, color: color, alpha: alpha)
        }
    }

    /// Fills the rectangle with top-left corner (x, y) and the given size: the pixels whose
    /// centres lie in [x, x + width) × [y, y + height), so whole-number corners fill exactly
    /// width × height pixels.
    public mutating func fillRect(x: Double, y: Double, width w: Double, height h: Double, color: Color, alpha: Double = 1) {
        guard w > 0, h > 0, x.isFinite, y.isFinite else { return }
        Image.forEachPixel(in: (width, height), minX: x, maxX: x + w, minY: y, maxY: y + h) { cx, cy in
            cx >= x && cx < x + w && cy >= y && cy < y + h
        } draw: { px, py in
            blend(x: px, y: py, color: color, alpha: alpha)
        }
    }

    /// Calls `draw` for each pixel of an image of `size` whose centre lies in the box and
    /// passes `inside`. Static, so that `draw` may mutate the image without overlapping access.
    private static func forEachPixel(
        in size: (width: Int, height: Int), minX: Double, maxX: Double, minY: Double, maxY: Double, inside: (Double, Double) -> Bool,
        draw: (Int, Int) -> Void
    ) {
        guard minX.isFinite, maxX.isFinite, minY.isFinite, maxY.isFinite else { return }
        // Clip in Double before converting, so huge coordinates cannot overflow Int.
        let x0 = Int(max(0, (minX - 0.5).rounded(.down)).clamped(to: Double(size.width)))
        let x1 = Int(min(Double(size.width - 1), (maxX - 0.5).rounded(.up)).clamped(to: Double(size.width)))
        let y0 = Int(max(0, (minY - 0.5).rounded(.down)).clamped(to: Double(size.height)))
        let y1 = Int(min(Double(size.height - 1), (maxY - 0.5).rounded(.up)).clamped(to: Double(size.height)))
        guard x0 <= x1, y0 <= y1 else { return }
        for py in y0...y1 {
            for px in x0...x1 where inside(Double(px) + 0.5, Double(py) + 0.5) {
                draw(px, py)
            }
        }
    }
}

extension Double {
    /// The value limited to [-1, limit], a safe range for conversion to Int.
    fileprivate func clamped(to limit: Double) -> Double { Swift.min(Swift.max(self, -1), limit) }
}
