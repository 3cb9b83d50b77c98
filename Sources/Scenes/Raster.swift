import Foundation
import Support

/// A point in pixel coordinates (or in a template's unit box).
typealias Point = SIMD2<Float>

/// A filled outline: one or more closed contours, filled with the even-odd rule (so a ring
/// is two contours).
struct Outline: Sendable {
    var contours: [[Point]]

    init(_ contours: [[Point]]) {
        self.contours = contours
    }

    func mapped(_ transform: (Point) -> Point) -> Outline {
        Outline(contours.map { $0.map(transform) })
    }

    /// Calls `span(y, x0, x1)` for every run of pixels whose centres lie inside, rows top to
    /// bottom, clipped to `width` × `height`.
    func scan(width: Int, height: Int, _ span: (Int, Int, Int) -> Void) {
        var minY = Float.infinity
        var maxY = -Float.infinity
        for contour in contours {
            for p in contour {
                minY = min(minY, p.y)
                maxY = max(maxY, p.y)
            }
        }
        guard minY.isFinite, maxY.isFinite else { return }
        let y0 = max(0, Int((minY - 0.5).rounded(.up)))
        let y1 = min(height - 1, Int((maxY - 0.5).rounded(.down)))
        guard y0 <= y1 else { return }
        var crossings: [Float] = []
        crossings.reserveCapacity(16)
        for y in y0...y1 {
            let cy = Float(y) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for contour in contours where contour.count >= 3 {
                var a = contour[contour.count - 1]
                for b in contour {
                    // Half-open in y so a vertex on the scan line is counted once.
                    if (a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy) {
                        crossings.append(a.x + (cy - a.y) / (b.y - a.y) * (b.x - a.x))
                    }
                    a = b
                }
            }
            guard crossings.count >= 2 else { continue }
            crossings.sort()
            var i = 0
            while i + 1 < crossings.count {
                // Pixel x is inside when its centre x + 0.5 lies in [left, right).
                let x0 = max(0, Int((crossings[i] - 0.5).rounded(.up)))
                let x1 = min(width - 1, Int((crossings[i + 1] - 0.5).rounded(.up)) - 1)
                if x0 <= x1 { span(y, x0, x1) }
                i += 2
            }
        }
    }
}

/// Outline builders in a unit box (x right, y down).
enum Shapes {
    static func ellipse(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float, sides: Int = 36) -> [Point] {
        (0..<sides).map { i in
            let a = Float(i) / Float(sides) * 2 * .pi
            return Point(cx + rx * cos(a), cy + ry * sin(a))
        }
    }

    static func rect(_ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float) -> [Point] {
        [Point(x0, y0), Point(x1, y0), Point(x1, y1), Point(x0, y1)]
    }

    /// A thick segment from `a` to `b`, `width` across (in unit-box units, measured in x).
    static func bar(_ a: Point, _ b: Point, width: Float) -> [Point] {
        let d = b - a
        let length = max((d * d).sum().squareRoot(), 1e-6)
        let n = Point(-d.y, d.x) / length * (width / 2)
        return [a + n, b + n, b - n, a - n]
    }

    /// A lumpy closed curve: an ellipse whose radius wobbles with a few random harmonics.
    static func blob(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float, roughness: Float, random: inout SplitMix64, sides: Int = 48) -> [Point] {
        var harmonics: [(k: Float, a: Float, phase: Float)] = []
        for k in 2...5 {
            harmonics.append((Float(k), roughness * Float(random.uniform(0.3, 1)) / Float(k - 1), Float(random.uniform(0, 2 * .pi))))
        }
        return (0..<sides).map { i in
            let t = Float(i) / Float(sides) * 2 * .pi
            var r: Float = 1
            for h in harmonics { r += h.a * sin(h.k * t + h.phase) }
            r = max(r, 0.35)
            return Point(cx + rx * r * cos(t), cy + ry * r * sin(t))
        }
    }

    /// A convex-ish polygon of 5–8 corners around the centre of the box.
    static func polygon(random: inout SplitMix64) -> [Point] {
        let n = random.int(5...8)
        var angles = (0..<n).map { _ in Float(random.uniform(0, 2 * .pi)) }
        angles.sort()
        return angles.map { a in
            let r = Float(random.uniform(0.38, 0.5))
            return Point(0.5 + r * cos(a), 0.5 + r * sin(a))
        }
    }
}

/// The resolved look of one instance: the class appearance after per-instance variation,
/// ready to colour pixels.
struct Look: Sendable {
    var colour: SIMD3<Float>
    var kind: TextureKind
    var cosine: Float
    var sine: Float
    var scale: Float
    var amplitude: Float
    var pixelStd: Float
    var key: UInt64
    var phase: Float
    /// Centre and half-extent of the instance, for gradients and shading.
    var centre: Point
    var extent: Float
    /// Directional shading across the instance (light direction · offset / extent).
    var light: Point
    var shading: Float

    /// Colour of pixel (x, y) in 0–255 floats.
    @inline(__always) func colour(x: Int, y: Int) -> SIMD3<Float> {
        let fx = Float(x)
        let fy = Float(y)
        let u = fx * cosine + fy * sine
        var t: Float = 0
        switch kind {
        case .flat:
            t = 0
        case .noise:
            t = Look.valueNoise(fx / scale, fy / scale, key) * 0.7 + Look.valueNoise(fx / (scale * 0.4), fy / (scale * 0.4), key &+ 1) * 0.3
        case .stripes:
            t = sin(2 * .pi * u / scale + phase)
        case .checks:
            let v = -fx * sine + fy * cosine
            t = (Int((u / scale + 1000).rounded(.down)) + Int((v / scale + 1000).rounded(.down))) & 1 == 0 ? 1 : -1
        case .gradient:
            let du = (fx - centre.x) * cosine + (fy - centre.y) * sine
            t = max(-1, min(1, du / extent))
        case .patches:
            let n = Look.valueNoise(fx / scale, fy / scale, key)
            t = n > 0.05 ? 1 : -1
        }
        let offset = Point(fx - centre.x, fy - centre.y)
        let shade = 1 + amplitude * t + shading * (offset * light).sum() / extent
        let h = pixelHash(key, x, y)
        let n1 = signedUnit(h)
        let n2 = signedUnit(h << 21)
        let n3 = signedUnit(h << 42)
        let luminance = (n1 + n2) * 1.22 * pixelStd
        let chroma = n3 * 0.35 * pixelStd
        return colour * shade + SIMD3(luminance + chroma, luminance, luminance - chroma)
    }

    /// Smooth lattice noise in [-1, 1].
    @inline(__always) static func valueNoise(_ x: Float, _ y: Float, _ key: UInt64) -> Float {
        let fx = x.rounded(.down)
        let fy = y.rounded(.down)
        let ix = Int(fx)
        let iy = Int(fy)
        var tx = x - fx
        var ty = y - fy
        tx = tx * tx * (3 - 2 * tx)
        ty = ty * ty * (3 - 2 * ty)
        let a = signedUnit(pixelHash(key, ix, iy))
        let b = signedUnit(pixelHash(key, ix + 1, iy))
        let c = signedUnit(pixelHash(key, ix, iy + 1))
        let d = signedUnit(pixelHash(key, ix + 1, iy + 1))
        let top = a + (b - a) * tx
        let bottom = c + (d - c) * tx
        return top + (bottom - top) * ty
    }
}

/// The image being drawn, with its class mask and instance map kept in step.
struct Canvas {
    let width: Int
    let height: Int
    var rgb: [UInt8]
    var label: [UInt8]
    /// Instance number + 1 per pixel (0 = none yet).
    var instance: [UInt16]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        rgb = [UInt8](repeating: 0, count: width * height * 3)
        label = [UInt8](repeating: 0, count: width * height)
        instance = [UInt16](repeating: 0, count: width * height)
    }

    /// Paints `outline` with `look`, labelling its pixels `classValue` and `instanceNumber`;
    /// later paint covers earlier paint, which is how occlusion happens.
    mutating func paint(_ outline: Outline, look: Look, classValue: UInt8, instanceNumber: Int) {
        let w = width
        let tag = UInt16(instanceNumber + 1)
        outline.scan(width: width, height: height) { y, x0, x1 in
            for x in x0...x1 {
                let i = y * w + x
                let c = look.colour(x: x, y: y)
                rgb[3 * i] = Canvas.byte(c.x)
                rgb[3 * i + 1] = Canvas.byte(c.y)
                rgb[3 * i + 2] = Canvas.byte(c.z)
                label[i] = classValue
                instance[i] = tag
            }
        }
    }

    @inline(__always) static func byte(_ v: Float) -> UInt8 {
        UInt8(max(0, min(255, v.rounded())))
    }
}
