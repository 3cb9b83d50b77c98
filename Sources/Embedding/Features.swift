import Imaging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which raw features describe a pixel; recorded in the model file so the same features are
/// computed at training and at use.
public struct FeatureConfiguration: Sendable, Equatable, Codable {
    /// Half-widths in pixels of the square windows statistics are taken over, relative to an
    /// image whose longer side is `referenceSide` (windows scale with the image).
    public var scales: [Double]
    public var referenceSide: Double
    /// Add the pixel's normalised position (x, y): scenes are laid out (sky above, ground below).
    public var position: Bool

    public static let standard = FeatureConfiguration(scales: [1.5, 4, 10], referenceSide: 320, position: true)

    public init(scales: [Double], referenceSide: Double, position: Bool) {
        self.scales = scales
        self.referenceSide = referenceSide
        self.position = position
    }

    /// Values per pixel: L*a*b* at the pixel, then per scale the window's mean L*a*b*, the
    /// standard deviation of L*, the mean gradient magnitude and the structure-tensor
    /// orientation (cos 2θ, sin 2θ, weighted by coherence); then the position.
    public var dimension: Int { 3 + 7 * scales.count + (position ? 2 : 0) }

    public var names: [String] {
        var n = ["L", "a", "b"]
        for s in scales {
            let tag = "s\(s)"
            n += ["\(tag).L", "\(tag).a", "\(tag).b", "\(tag).stdL", "\(tag).grad", "\(tag).cos2θ", "\(tag).sin2θ"]
        }
        if position { n += ["x", "y"] }
        return n
    }
}

/// Computes features at any pixel of one image in constant time per pixel, from summed-area
/// tables built once per image (eight tables of width × height doubles). For the hundreds to
/// thousands of points sampled per image this is cheaper than filtering at each point, and
/// cheaper than keeping per-scale feature maps.
public struct PixelFeatures: Sendable {
    public let configuration: FeatureConfiguration
    public let width: Int
    public let height: Int
    let lab: [Float]  // 3 per pixel
    let tables: [[Double]]  // (width + 1) × (height + 1) each: L, a, b, L², |∇L|, gx², gy², gx·gy
    let radii: [Int]

    public init(image: Image, configuration: FeatureConfiguration = .standard) {
        self.configuration = configuration
        width = image.width
        height = image.height
        let n = width * height
        var lab = [Float](repeating: 0, count: n * 3)
        for i in 0..<n {
            let o = i * image.channels
            let (r, g, b) =
                image.channels >= 3
                ? (image.pixels[o], image.pixels[o + 1], image.pixels[o + 2]) : (image.pixels[o], image.pixels[o], image.pixels[o])
            let v = ColourSpace.lab(r: r, g: g, b: b)
            lab[i * 3] = v.l
            lab[i * 3 + 1] = v.a
            lab[i * 3 + 2] = v.b
        }
        self.lab = lab
        // Per-pixel planes, then their summed-area tables.
        var planes = [[Double]](repeating: [Double](repeating: 0, count: n), count: 8)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let l = Double(lab[i * 3])
                let left = Double(lab[(y * width + max(x - 1, 0)) * 3]), right = Double(lab[(y * width + min(x + 1, width - 1)) * 3])
                let up = Double(lab[(max(y - 1, 0) * width + x) * 3]), down = Double(lab[(min(y + 1, height - 1) * width + x) * 3])
                let gx = (right - left) / 2, gy = (down - up) / 2
                planes[0][i] = l
                planes[1][i] = Double(lab[i * 3 + 1])
                planes[2][i] = Double(lab[i * 3 + 2])
                planes[3][i] = l * l
                planes[4][i] = (gx * gx + gy * gy).squareRoot()
                planes[5][i] = gx * gx
                planes[6][i] = gy * gy
                planes[7][i] = gx * gy
            }
        }
        let (w, h) = (width, height)
        let w1 = w + 1
        tables = planes.map { plane in
            var t = [Double](repeating: 0, count: w1 * (h + 1))
            for y in 0..<h {
                var row = 0.0
                for x in 0..<w {
                    row += plane[y * w + x]
                    t[(y + 1) * w1 + x + 1] = t[y * w1 + x + 1] + row
                }
            }
            return t
        }
        let factor = Double(max(width, height)) / configuration.referenceSide
        radii = configuration.scales.map { max(1, Int(($0 * factor).rounded())) }
    }

    /// Writes the features of pixel (x, y) into `out` (count `configuration.dimension`).
    public func features(x: Int, y: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let i = (y * width + x) * 3
        out[0] = lab[i] / 100
        out[1] = lab[i + 1] / 100
        out[2] = lab[i + 2] / 100
        var k = 3
        let w1 = width + 1
        for r in radii {
            let x0 = max(x - r, 0), x1 = min(x + r + 1, width)
            let y0 = max(y - r, 0), y1 = min(y + r + 1, height)
            let count = Double((x1 - x0) * (y1 - y0))
            func mean(_ t: Int) -> Double {
                let table = tables[t]
                return (table[y1 * w1 + x1] - table[y0 * w1 + x1] - table[y1 * w1 + x0] + table[y0 * w1 + x0]) / count
            }
            let l = mean(0)
            out[k] = Float(l / 100)
            out[k + 1] = Float(mean(1) / 100)
            out[k + 2] = Float(mean(2) / 100)
            out[k + 3] = Float(max(mean(3) - l * l, 0).squareRoot() / 50)
            out[k + 4] = Float(mean(4) / 20)
            let jxx = mean(5), jyy = mean(6), jxy = mean(7)
            let trace = jxx + jyy
            if trace > 1e-9 {
                // Orientation as a doubled angle; its length is the coherence (0 isotropic, 1 one direction).
                out[k + 5] = Float((jxx - jyy) / trace)
                out[k + 6] = Float(2 * jxy / trace)
            } else {
                out[k + 5] = 0
                out[k + 6] = 0
            }
            k += 7
        }
        if configuration.position {
            out[k] = (Float(x) + 0.5) / Float(width)
            out[k + 1] = (Float(y) + 0.5) / Float(height)
        }
    }

    /// The features of a pixel as an array.
    public func features(x: Int, y: Int) -> [Float] {
        var v = [Float](repeating: 0, count: configuration.dimension)
        v.withUnsafeMutableBufferPointer { features(x: x, y: y, into: $0) }
        return v
    }
}

/// sRGB → CIE L*a*b* (D65), the perceptual colour space the features use.
public enum ColourSpace {
    static let linear: [Double] = (0..<256).map { i in
        let c = Double(i) / 255
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055).pow(2.4)
    }

    public static func lab(r: UInt8, g: UInt8, b: UInt8) -> (l: Float, a: Float, b: Float) {
        let rl = linear[Int(r)], gl = linear[Int(g)], bl = linear[Int(b)]
        let x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / 0.95047
        let y = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl
        let z = (0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl) / 1.08883
        func f(_ t: Double) -> Double { t > 216.0 / 24389.0 ? t.pow(1.0 / 3.0) : (24389.0 / 27.0 * t + 16) / 116 }
        let fx = f(x), fy = f(y), fz = f(z)
        return (Float(116 * fy - 16), Float(500 * (fx - fy)), Float(200 * (fy - fz)))
    }
}

extension Double {
    func pow(_ e: Double) -> Double {
        #if canImport(Glibc)
            Glibc.pow(self, e)
        #else
            Darwin.pow(self, e)
        #endif
    }
}
