import Imaging
import Testing

@testable import Embedding

/// Window statistics pooled from the detail resolution to the working side (`WindowTables`
/// with pooling), checked against a direct computation from the pixels.
@Suite struct DetailResolutionTests {
    /// A textured image of odd size (so that edge cells are partial): fine stripes, a ramp, noise.
    func texturedImage(width: Int, height: Int) -> Image {
        var image = Image(width: width, height: height, channels: 3)
        var random = UInt64(7)
        for y in 0..<height {
            for x in 0..<width {
                random = random &* 6364136223846793005 &+ 1442695040888963407
                let o = image.offset(x: x, y: y)
                image.pixels[o] = UInt8((x % 2 == 0 ? 40 : 200) + Int(random >> 60))
                image.pixels[o + 1] = UInt8(20 + 5 * (y % 40))
                image.pixels[o + 2] = UInt8(truncatingIfNeeded: random >> 56)
            }
        }
        return image
    }

    /// The eight quantities of every pixel, in double precision, with clamped central differences.
    func quantities(_ image: Image) -> [[Double]] {
        let (w, h) = (image.width, image.height)
        func lab(_ x: Int, _ y: Int) -> (l: Float, a: Float, b: Float) {
            let o = image.offset(x: x, y: y)
            return ColourSpace.fastLab(r: image.pixels[o], g: image.pixels[o + 1], b: image.pixels[o + 2])
        }
        var out: [[Double]] = []
        for y in 0..<h {
            for x in 0..<w {
                let c = lab(x, y)
                let l = Double(c.l)
                let gx = (Double(lab(min(x + 1, w - 1), y).l) - Double(lab(max(x - 1, 0), y).l)) / 2
                let gy = (Double(lab(x, min(y + 1, h - 1)).l) - Double(lab(x, max(y - 1, 0)).l)) / 2
                out.append([l, Double(c.a), Double(c.b), l * l, (gx * gx + gy * gy).squareRoot(), gx * gx, gy * gy, gx * gy])
            }
        }
        return out
    }

    /// The means over a window of cells, each cell the mean of its block, computed directly.
    func directMeans(_ q: [[Double]], width w: Int, height h: Int, pooling p: Int, cell: (x: Int, y: Int), radius r: Int) -> [Double] {
        let (cw, ch) = ((w + p - 1) / p, (h + p - 1) / p)
        var sums = [Double](repeating: 0, count: 8)
        var cells = 0
        for cy in max(cell.y - r, 0)..<min(cell.y + r + 1, ch) {
            for cx in max(cell.x - r, 0)..<min(cell.x + r + 1, cw) {
                var block = [Double](repeating: 0, count: 8)
                var n = 0
                for y in (cy * p)..<min(cy * p + p, h) {
                    for x in (cx * p)..<min(cx * p + p, w) {
                        for k in 0..<8 { block[k] += q[y * w + x][k] }
                        n += 1
                    }
                }
                for k in 0..<8 { sums[k] += block[k] / Double(n) }
                cells += 1
            }
        }
        return sums.map { $0 / Double(cells) }
    }

    @Test(arguments: [1, 2, 3])
    func pooledTablesHoldTheMeansOfTheBlocksQuantities(pooling: Int) {
        let image = texturedImage(width: 37, height: 29)
        let q = quantities(image)
        let tables = WindowTables(image: image, pooling: pooling)
        #expect(tables.width == (37 + pooling - 1) / pooling && tables.height == (29 + pooling - 1) / pooling)
        for cell in [(0, 0), (3, 4), (tables.width - 1, tables.height - 1), (tables.width / 2, 0)] {
            for r in [1, 2, 5] {
                let m = tables.means(x: cell.0, y: cell.1, radius: r)
                let got = [m.l, m.a, m.b, m.ll, m.gradient, m.gxx, m.gyy, m.gxy]
                let want = directMeans(q, width: 37, height: 29, pooling: pooling, cell: cell, radius: r)
                for k in 0..<8 {
                    // Single-precision quantities, double-precision sums: agreement to 1e-4 of the scale.
                    #expect(abs(got[k] - want[k]) <= 1e-4 * max(1, abs(want[k])), "quantity \(k) at \(cell) r \(r): \(got[k]) vs \(want[k])")
                }
            }
        }
    }

    /// Vertical stripes `period` pixels wide, alternating red 220 and 100 on grey 100.
    func stripes(period: Int) -> Image {
        var image = Image(width: 64, height: 48, channels: 3, fill: 100)
        for y in 0..<48 { for x in 0..<64 where (x / period) % 2 == 0 { image.pixels[image.offset(x: x, y: y)] = 220 } }
        return image
    }

    @Test func poolingKeepsTheTextureThatReducingTheImageLoses() {
        let spread = { (m: WindowMeans) in max(m.ll - m.l * m.l, 0).squareRoot() }
        // One-pixel stripes reduced by 2 average to a flat colour; pooled they keep their contrast.
        let fine = stripes(period: 1)
        let pooled = WindowTables(image: fine, pooling: 2).means(x: 16, y: 12, radius: 2)
        let reduced = WindowTables(image: fine.boxReduced(by: 2), pooling: 1).means(x: 16, y: 12, radius: 2)
        // (L*² is summed in single precision: a flat window's spread is a few hundredths, not 0.)
        #expect(spread(pooled) > 5 && spread(reduced) < 0.1, "std of L* pooled \(spread(pooled)), reduced \(spread(reduced))")
        // Two-pixel stripes become one-pixel stripes when reduced, where central differences vanish.
        let wider = stripes(period: 2)
        let pooledEdges = WindowTables(image: wider, pooling: 2).means(x: 16, y: 12, radius: 2)
        let reducedEdges = WindowTables(image: wider.boxReduced(by: 2), pooling: 1).means(x: 16, y: 12, radius: 2)
        #expect(pooledEdges.gradient > 5 && reducedEdges.gradient < 0.01, "gradient pooled \(pooledEdges.gradient), reduced \(reducedEdges.gradient)")
        // Vertical stripes: the structure tensor is all horizontal.
        #expect(pooledEdges.gxx > 10 && pooledEdges.gyy == 0 && pooledEdges.gxy == 0)
    }

    @Test func aDetailSidePoolsToTheWorkingSideAndTakesThePixelsOwnColour() {
        let image = texturedImage(width: 1001, height: 751)
        var configuration = FeatureConfiguration.standard
        #expect(configuration.detailSide == 1000 && configuration.workingSide == 500 && configuration.decodeSide == 1000)
        let detailed = PixelFeatures(image: image, configuration: configuration)
        #expect(detailed.pooling == 2 && detailed.tables.width == 501 && detailed.tables.height == 376)
        // Radii follow the tables' longer side: 1.5, 4 and 10 at 320 are 2, 6 and 16 cells at 501.
        #expect(detailed.radii == [2, 6, 16])
        let f = detailed.features(x: 301, y: 200)
        let own = ColourSpace.fastLab(
            r: image.pixels[image.offset(x: 301, y: 200)], g: image.pixels[image.offset(x: 301, y: 200) + 1],
            b: image.pixels[image.offset(x: 301, y: 200) + 2])
        #expect(f[0] == own.l / 100 && f[1] == own.a / 100 && f[2] == own.b / 100)
        #expect(abs(f[f.count - 2] - 301.5 / 1001) < 1e-6 && abs(f[f.count - 1] - 200.5 / 751) < 1e-6)
        // Without a detail side every scale is taken at the image's own resolution.
        configuration.detailSide = nil
        #expect(configuration.decodeSide == 500)
        let plain = PixelFeatures(image: image, configuration: configuration)
        #expect(plain.pooling == 1 && plain.tables.width == 1001 && plain.radii == [5, 13, 31])
    }
}
