import CFeatureRows
import Glibc
import Imaging

/// Which raw features describe a pixel; recorded in the model file so the same features are
/// computed at training and at use.
public struct FeatureConfiguration: Sendable, Equatable, Codable {
    /// Half-widths in pixels of the square windows statistics are taken over, relative to an
    /// image whose longer side is `referenceSide` (windows scale with the image).
    public var scales: [Double]
    public var referenceSide: Double
    /// Add the pixel's normalised position (x, y): scenes are laid out (sky above, ground below).
    public var position: Bool
    /// The working resolution: the feature tables' longer side is between this and about twice
    /// this, at training and in M alike. Without a detail side images are decoded reduced to it
    /// (`ImageFile.read(_:layout:workingSide:)`). nil (model files written before 2026-12-03
    /// have no such field): full resolution.
    public var workingSide: Int?
    /// The detail resolution: images are decoded to this side instead (the same rule), the
    /// quantities behind every window statistic and the pixel's own colour are computed there,
    /// and the tables pool them into cells of the working side's size (`PixelFeatures`). nil:
    /// decoded at the working side, one cell per pixel (model files written before the detail
    /// side, 2026-12-03, have no such field).
    public var detailSide: Int?

    /// The side images are decoded to for these features.
    public var decodeSide: Int? { detailSide ?? workingSide }

    /// 500 px: the tables of Open Images' resized photos (1024 px longer side) have 512 × 384
    /// cells and those of a 4000 × 3000 original 500 × 375 (at 512 its tables would be 1000 ×
    /// 750, four times the memory); the largest window (10 px at 320, so 16 cells at 512) still
    /// spans 33 cells; 320 × 240 scenes are used as they are.
    public static let defaultWorkingSide = 500

    /// 1000 px: Open Images' resized photos are decoded whole and a 4000 × 3000 original at
    /// 1/4 (1000 × 750), pooled by 2 to the working side.
    public static let defaultDetailSide = 1000

    public static let standard = FeatureConfiguration(
        scales: [1.5, 4, 10], referenceSide: 320, position: true, workingSide: defaultWorkingSide,
        detailSide: defaultDetailSide)

    public init(scales: [Double], referenceSide: Double, position: Bool, workingSide: Int? = nil, detailSide: Int? = nil) {
        self.scales = scales
        self.referenceSide = referenceSide
        self.position = position
        self.workingSide = workingSide
        self.detailSide = detailSide
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
/// tables built once per image (`WindowTables`). For the hundreds to thousands of points
/// sampled per image this is cheaper than filtering at each point, and cheaper than keeping
/// per-scale feature maps.
///
/// With a detail side (`FeatureConfiguration.detailSide`) the image comes at the detail
/// resolution, and the tables are pooled to the working side: each table cell holds the means
/// of the quantities over its block of detail pixels, so window statistics keep the fine
/// texture (the gradients and the variance of L* are taken at the detail resolution) while the
/// tables have the working side's size. Without one the image comes at the working side and
/// the tables have a cell per pixel.
public struct PixelFeatures: Sendable {
    public let configuration: FeatureConfiguration
    public let width: Int
    public let height: Int
    let image: Image
    let tables: WindowTables
    /// Pixel (x, y) of the image lies in cell (x / pooling, y / pooling) of the tables.
    let pooling: Int
    /// The scales' half-widths in table cells.
    let radii: [Int]

    public init(image: Image, configuration: FeatureConfiguration = .standard) {
        self.configuration = configuration
        self.image = image
        width = image.width
        height = image.height
        let longerSide = max(image.width, image.height)
        if configuration.detailSide != nil, let workingSide = configuration.workingSide {
            pooling = max(1, longerSide / workingSide)
        } else {
            pooling = 1
        }
        tables = WindowTables(image: image, pooling: pooling)
        let factor = Double(max(tables.width, tables.height)) / configuration.referenceSide
        radii = configuration.scales.map { max(1, Int(($0 * factor).rounded())) }
    }

    /// Writes the features of pixel (x, y) into `out` (count `configuration.dimension`).
    public func features(x: Int, y: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let colour = image.pixels.withUnsafeBufferPointer { px in
            ColourSpace.fastLab(pixel: px.baseAddress! + (y * width + x) * image.channels, channels: image.channels)
        }
        (out[0], out[1], out[2]) = (colour.l / 100, colour.a / 100, colour.b / 100)
        var k = 3
        let cx = x / pooling, cy = y / pooling
        for r in radii {
            tables.means(x: cx, y: cy, radius: r).write(into: out, at: k)
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

/// The means over one square window of table cells (clipped to the image) of the eight
/// quantities the features are made of: L*, a*, b*, L*², the gradient magnitude of L* and the
/// structure tensor's gx², gy², gx·gy (central differences at the image's resolution, the
/// border pixel repeated outside).
struct WindowMeans {
    var l = 0.0, a = 0.0, b = 0.0, ll = 0.0, gradient = 0.0, gxx = 0.0, gyy = 0.0, gxy = 0.0

    /// The scale's seven features: mean L*a*b*, the standard deviation of L*, the mean gradient
    /// magnitude and the structure-tensor orientation (cos 2θ, sin 2θ, weighted by coherence).
    func write(into out: UnsafeMutableBufferPointer<Float>, at k: Int) {
        out[k] = Float(l / 100)
        out[k + 1] = Float(a / 100)
        out[k + 2] = Float(b / 100)
        out[k + 3] = Float(max(ll - l * l, 0).squareRoot() / 50)
        out[k + 4] = Float(gradient / 20)
        let trace = gxx + gyy
        if trace > 1e-9 {
            // Orientation as a doubled angle; its length is the coherence (0 isotropic, 1 one direction).
            out[k + 5] = Float((gxx - gyy) / trace)
            out[k + 6] = Float(2 * gxy / trace)
        } else {
            out[k + 5] = 0
            out[k + 6] = 0
        }
    }
}

/// Eight summed-area tables of `WindowMeans`' quantities over a grid of cells, each cell the
/// mean over a `pooling` × `pooling` block of pixels (clipped at the right and bottom edges);
/// any window's means then cost four lookups. The image is read row by row: its L*a*b* and
/// the quantities are computed for one row at a time (three rows of L* kept for the vertical
/// differences), in single precision, by the C row kernels of `CFeatureRows` (baseline and
/// AVX2 builds, the same bits either way); cells and tables are summed in double
/// precision, since the variance of L* and the structure tensor are differences of large
/// window sums, which single precision would cancel away.
struct WindowTables: Sendable {
    let width: Int
    let height: Int
    /// (width + 1) × (height + 1) entries of eight doubles, row by row, the quantities of each
    /// entry side by side (L, a, b, L², |∇L|, gx², gy², gx·gy): a window's corners are four
    /// 64-byte loads.
    let tables: [Double]

    init(image: Image, pooling: Int) {
        let (iw, ih) = (image.width, image.height)
        let (w, h) = ((iw + pooling - 1) / pooling, (ih + pooling - 1) / pooling)
        width = w
        height = h
        let plane = (w + 1) * (h + 1)
        tables = [Double](unsafeUninitializedCapacity: plane * 8) { t, filled in
            let rows = RowBuffers(imageWidth: iw, cells: w)
            defer { rows.deallocate() }
            image.pixels.withUnsafeBufferPointer { px in
                t.baseAddress!.initialize(repeating: 0, count: (w + 1) * 8)
                var converted = -1
                for cy in 0..<h {
                    rows.cells.initialize(repeating: 0, count: 8 * w)
                    let yEnd = min((cy + 1) * pooling, ih)
                    for y in (cy * pooling)..<yEnd {
                        while converted < min(y + 1, ih - 1) {
                            converted += 1
                            rows.convert(row: converted, from: px.baseAddress! + converted * iw * image.channels, channels: image.channels)
                        }
                        rows.addQuantities(row: y, imageHeight: ih, pooling: pooling)
                    }
                    let above = t.baseAddress! + cy * (w + 1) * 8
                    feature_rows_accumulate(rows.cells, w, yEnd - cy * pooling, iw, pooling, above, above + (w + 1) * 8)
                }
            }
            filled = plane * 8
        }
    }

    /// The scratch rows of one table build: L*, a* and b* of image row r at slot r % 3 (three
    /// rows of L* for the vertical differences), five rows of the other quantities, the eight
    /// rows one image row adds (`sources`), and the running sums of one row of cells, eight
    /// planes of `cellCount` doubles.
    struct RowBuffers {
        let width: Int
        let cellCount: Int
        let floats: UnsafeMutablePointer<Float>
        let sources: UnsafeMutablePointer<UnsafePointer<Float>?>
        let cells: UnsafeMutablePointer<Double>

        init(imageWidth: Int, cells: Int) {
            width = imageWidth
            cellCount = cells
            floats = .allocate(capacity: imageWidth * 14)
            sources = .allocate(capacity: 8)
            for k in 0..<5 { sources[3 + k] = UnsafePointer(floats + (9 + k) * imageWidth) }
            self.cells = .allocate(capacity: cells * 8)
        }

        func deallocate() {
            floats.deallocate()
            sources.deallocate()
            cells.deallocate()
        }

        func channel(_ c: Int, row r: Int) -> UnsafeMutablePointer<Float> { floats + (c * 3 + r % 3) * width }

        /// Converts image row `r` to L*a*b* into its slots.
        func convert(row r: Int, from px: UnsafePointer<UInt8>, channels: Int) {
            ColourSpace.labRow(px, count: width, channels: channels, l: channel(0, row: r), a: channel(1, row: r), b: channel(2, row: r))
        }

        /// Adds image row `y`'s eight quantities to the cells' sums (rows y - 1 … y + 1 converted).
        func addQuantities(row y: Int, imageHeight ih: Int, pooling: Int) {
            let l = channel(0, row: y)
            feature_rows_quantities(l, channel(0, row: max(y - 1, 0)), channel(0, row: min(y + 1, ih - 1)), width, floats + 9 * width)
            for c in 0..<3 { sources[c] = UnsafePointer(channel(c, row: y)) }
            for k in 0..<8 { feature_rows_pool(sources[k], width, pooling, cells + k * cellCount) }
        }
    }

    /// The means over the window of half-width `radius` cells around cell (x, y).
    func means(x: Int, y: Int, radius r: Int) -> WindowMeans {
        let x0 = max(x - r, 0), x1 = min(x + r + 1, width)
        let y0 = max(y - r, 0), y1 = min(y + r + 1, height)
        let count = Double((x1 - x0) * (y1 - y0))
        let w1 = width + 1
        let m = tables.withUnsafeBytes { t in
            func corner(_ x: Int, _ y: Int) -> SIMD8<Double> { t.loadUnaligned(fromByteOffset: (y * w1 + x) * 64, as: SIMD8<Double>.self) }
            return (corner(x1, y1) - corner(x1, y0) - corner(x0, y1) + corner(x0, y0)) / count
        }
        return WindowMeans(l: m[0], a: m[1], b: m[2], ll: m[3], gradient: m[4], gxx: m[5], gyy: m[6], gxy: m[7])
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

    /// L*a*b* of `count` pixels (`channels` bytes each; one channel: grey) into three rows.
    static func labRow(
        _ px: UnsafePointer<UInt8>, count: Int, channels: Int, l: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>,
        b: UnsafeMutablePointer<Float>
    ) {
        linearFloat.withUnsafeBufferPointer { table in
            labFunction.withUnsafeBufferPointer { cubeRoot in
                feature_rows_lab(px, count, channels, table.baseAddress!, cubeRoot.baseAddress!, l, a, b)
            }
        }
    }

    /// `fastLab` of the pixel at `px` (`channels` bytes; one channel: grey).
    @inline(__always) static func fastLab(pixel px: UnsafePointer<UInt8>, channels: Int) -> (l: Float, a: Float, b: Float) {
        linearFloat.withUnsafeBufferPointer { table in
            labFunction.withUnsafeBufferPointer { cubeRoot in
                channels >= 3
                    ? fastLab(px[0], px[1], px[2], table, cubeRoot) : fastLab(px[0], px[0], px[0], table, cubeRoot)
            }
        }
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
