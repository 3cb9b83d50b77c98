import Imaging

import Glibc

/// Which raw features describe a pixel; recorded in the model file so the same features are
/// computed at training and at use.
public struct FeatureConfiguration: Sendable, Equatable, Codable {
    /// Half-widths in pixels of the square windows statistics are taken over, relative to an
    /// image whose longer side is `referenceSide` (windows scale with the image).
    public var scales: [Double]
    public var referenceSide: Double
    /// Add the pixel's normalised position (x, y): scenes are laid out (sky above, ground below).
    public var position: Bool
    /// The working resolution: images are decoded reduced so that their longer side is between
    /// this and about twice this (`ImageFile.read(_:layout:workingSide:)`), at training and in M
    /// alike. nil (model files written before 2026-12-03 have no such field): full resolution.
    public var workingSide: Int?

    /// 500 px: Open Images' resized photos (1024 px longer side) decode at 1/2 scale inside the
    /// DCT (512 px) and a 4000 × 3000 original at 1/8 (500 × 375; at 512 it would be 1/4,
    /// 1000 × 750, and four times the feature tables); the largest window (10 px at 320, so
    /// 16 px at 512) still spans 33 pixels; 320 × 240 scenes are used as they are.
    public static let defaultWorkingSide = 500

    public static let standard = FeatureConfiguration(
        scales: [1.5, 4, 10], referenceSide: 320, position: true, workingSide: defaultWorkingSide)

    public init(scales: [Double], referenceSide: Double, position: Bool, workingSide: Int? = nil) {
        self.scales = scales
        self.referenceSide = referenceSide
        self.position = position
        self.workingSide = workingSide
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
    let tables: [Double]  // eight planes of (width + 1) × (height + 1): L, a, b, L², |∇L|, gx², gy², gx·gy
    let radii: [Int]

    public init(image: Image, configuration: FeatureConfiguration = .standard) {
        self.configuration = configuration
        width = image.width
        height = image.height
        let (w, h) = (width, height)
        let n = w * h
        let channels = image.channels
        // L*a*b* in single precision through the 256-entry sRGB → linear table and a table of f(t).
        let lab = [Float](unsafeUninitializedCapacity: n * 3) { out, filled in
            image.pixels.withUnsafeBufferPointer { px in
                ColourSpace.linearFloat.withUnsafeBufferPointer { table in
                ColourSpace.labFunction.withUnsafeBufferPointer { cubeRoot in
                for i in 0..<n {
                    let o = i * channels
                    let v =
                        channels >= 3
                        ? ColourSpace.fastLab(px[o], px[o + 1], px[o + 2], table, cubeRoot)
                        : ColourSpace.fastLab(px[o], px[o], px[o], table, cubeRoot)
                    out[i * 3] = v.l
                    out[i * 3 + 1] = v.a
                    out[i * 3 + 2] = v.b
                }
                }
                }
            }
            filled = n * 3
        }
        self.lab = lab
        // The eight summed-area tables in one pass, straight from L*a*b* (no per-pixel planes).
        // Sums stay in double precision: the variance of L* and the structure tensor are
        // differences of large window sums, which single precision would cancel away.
        let w1 = w + 1
        let plane = w1 * (h + 1)
        tables = [Double](unsafeUninitializedCapacity: plane * 8) { t, filled in
            for k in 0..<8 { for x in 0..<w1 { t[k * plane + x] = 0 } }
            lab.withUnsafeBufferPointer { lab in
                for y in 0..<h {
                    for k in 0..<8 { t[k * plane + (y + 1) * w1] = 0 }
                    let up = max(y - 1, 0) * w, down = min(y + 1, h - 1) * w
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
                    for x in 0..<w {
                        let i = y * w + x
                        let l = Double(lab[i * 3])
                        let left = Double(lab[(y * w + max(x - 1, 0)) * 3]), right = Double(lab[(y * w + min(x + 1, w - 1)) * 3])
                        let gy = (Double(lab[(down + x) * 3]) - Double(lab[(up + x) * 3])) * 0.5
                        let gx = (right - left) * 0.5
                        let gxx = gx * gx, gyy = gy * gy
                        s0 += l
                        s1 += Double(lab[i * 3 + 1])
                        s2 += Double(lab[i * 3 + 2])
                        s3 += l * l
                        s4 += (gxx + gyy).squareRoot()
                        s5 += gxx
                        s6 += gyy
                        s7 += gx * gy
                        let at = (y + 1) * w1 + x + 1, above = y * w1 + x + 1
                        t[at] = t[above] + s0
                        t[plane + at] = t[plane + above] + s1
                        t[2 * plane + at] = t[2 * plane + above] + s2
                        t[3 * plane + at] = t[3 * plane + above] + s3
                        t[4 * plane + at] = t[4 * plane + above] + s4
                        t[5 * plane + at] = t[5 * plane + above] + s5
                        t[6 * plane + at] = t[6 * plane + above] + s6
                        t[7 * plane + at] = t[7 * plane + above] + s7
                    }
                }
            }
            filled = plane * 8
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
            let plane = w1 * (height + 1)
            func mean(_ t: Int) -> Double {
                let o = t * plane
                return (tables[o + y1 * w1 + x1] - tables[o + y0 * w1 + x1] - tables[o + y1 * w1 + x0] + tables[o + y0 * w1 + x0]) / count
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

    static let linearFloat: [Float] = linear.map { Float($0) }

    /// CIE's f(t) (the cube root above 216/24389, a line below it, continuous with its first
    /// derivative) tabulated at t = i / 16384 for i in 0…16385 (64 KB), from the exact root.
    static let labFunction: [Float] = (0...labSteps + 1).map { i in
        let t = Double(i) / Double(labSteps)
        return Float(t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16) / 116)
    }
    static let labSteps = 16384

    /// f(t) for t in [0, 1] by linear interpolation in `labFunction`: no division, no branch
    /// on the cube root's range, a handful of instructions. Its error is below 3e-7 (a few
    /// ten-thousandths of a unit in a* and b*; `WorkingResolutionTests` checks it against the
    /// exact function); t is clamped to [0, 1] (sRGB never leaves it but by rounding).
    @inline(__always) public static func fastLabFunction(_ t: Float) -> Float {
        labFunction.withUnsafeBufferPointer { fastLabFunction(t, $0) }
    }

    @inline(__always) static func fastLabFunction(_ t: Float, _ table: UnsafeBufferPointer<Float>) -> Float {
        let u = min(max(t, 0), 1) * Float(labSteps)
        let i = min(Int(u), labSteps)
        let low = table[i]
        return low + (table[i + 1] - low) * (u - Float(i))
    }

    /// The exact f(t), for tests.
    public static func labFunctionExact(_ t: Double) -> Double {
        t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16) / 116
    }

    /// `lab` in single precision with `fastLabFunction`: the features' colour conversion.
    public static func fastLab(r: UInt8, g: UInt8, b: UInt8) -> (l: Float, a: Float, b: Float) {
        linearFloat.withUnsafeBufferPointer { table in labFunction.withUnsafeBufferPointer { fastLab(r, g, b, table, $0) } }
    }

    @inline(__always) static func fastLab(
        _ r: UInt8, _ g: UInt8, _ b: UInt8, _ table: UnsafeBufferPointer<Float>, _ cubeRoot: UnsafeBufferPointer<Float>
    ) -> (l: Float, a: Float, b: Float) {
        do {
            let rl = table[Int(r)], gl = table[Int(g)], bl = table[Int(b)]
            // The white point's division folded into the matrix.
            let x: Float = 0.4339499 * rl + 0.3762098 * gl + 0.1898403 * bl
            let y: Float = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl
            let z: Float = 0.0177566 * rl + 0.1094680 * gl + 0.8727755 * bl
            let fx = fastLabFunction(x, cubeRoot), fy = fastLabFunction(y, cubeRoot), fz = fastLabFunction(z, cubeRoot)
            return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
        }
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
        Glibc.pow(self, e)
    }
}
