import Foundation
import Imaging
import Support
import Testing

@testable import Embedding

/// The colour conversion's tabulated cube root, and the working resolution in the model file.
@Suite struct WorkingResolutionTests {
    @Test func tabulatedCubeRootIsWithinThreeTenMillionthsOfTheExactFunction() {
        // f(t) at 3 million points over [0, 1], off the table's knots (the cube root's range starts at 216/24389).
        var worst: Double = 0
        for i in 0...3_000_000 {
            let t = Float(Double(i) / 3_000_000)
            worst = max(worst, abs(Double(ColourSpace.fastLabFunction(t)) - ColourSpace.labFunctionExact(Double(t))))
        }
        #expect(worst < 3e-7, "worst absolute error \(worst)")
        #expect(ColourSpace.fastLabFunction(0) == Float(16.0 / 116.0) && ColourSpace.fastLabFunction(1) == 1)
    }

    @Test func fastLabAgreesWithTheExactConversion() {
        // Every 5th value of each channel plus the extremes: 53³ colours.
        let values = Array(stride(from: 0, through: 255, by: 5)).map(UInt8.init) + [1, 2, 254]
        var worst: Float = 0
        for r in values {
            for g in values {
                for b in values {
                    let exact = ColourSpace.lab(r: r, g: g, b: b), fast = ColourSpace.fastLab(r: r, g: g, b: b)
                    worst = max(worst, abs(exact.l - fast.l), abs(exact.a - fast.a), abs(exact.b - fast.b))
                }
            }
        }
        // L* runs over 0…100 and a*, b* over about ±110: 0.002 is far below a visible difference.
        #expect(worst < 0.002, "worst difference \(worst)")
    }

    @Test func rowConversionIsTheScalarConversionBitForBit() {
        // The table rows are converted by C kernels (eight pixels at a time where the processor
        // has AVX2, the rest one by one); the pixel's own colour by the Swift scalar code. A row
        // of 4,099 random colours plus the extremes, as RGB and as grey, both lengths' tails.
        var random = SplitMix64(seed: 11)
        var rgb = [UInt8](repeating: 0, count: 4_099 * 3)
        for i in rgb.indices { rgb[i] = UInt8(truncatingIfNeeded: random.next()) }
        rgb.replaceSubrange(0..<6, with: [0, 0, 0, 255, 255, 255])
        for channels in [3, 1] {
            let count = rgb.count / channels
            var (l, a, b) = ([Float](repeating: .nan, count: count), [Float](repeating: .nan, count: count), [Float](repeating: .nan, count: count))
            rgb.withUnsafeBufferPointer { px in ColourSpace.labRow(px.baseAddress!, count: count, channels: channels, l: &l, a: &a, b: &b) }
            var mismatches = 0
            for i in 0..<count {
                let p = i * channels
                let own =
                    channels == 3
                    ? ColourSpace.fastLab(r: rgb[p], g: rgb[p + 1], b: rgb[p + 2]) : ColourSpace.fastLab(r: rgb[p], g: rgb[p], b: rgb[p])
                if own.l.bitPattern != l[i].bitPattern || own.a.bitPattern != a[i].bitPattern || own.b.bitPattern != b[i].bitPattern {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0, "\(mismatches) of \(count) pixels differ (channels \(channels))")
        }
    }

    func model(workingSide: Int?, detailSide: Int? = nil) -> EmbeddingModel {
        var features = FeatureConfiguration.standard
        features.workingSide = workingSide
        features.detailSide = detailSide
        return EmbeddingModel(
            features: features, classes: [.init(id: 3, name: "dog"), .init(id: 9, name: "grass")],
            mean: [Float](repeating: 0, count: features.dimension), scale: [Float](repeating: 1, count: features.dimension),
            network: MLP(sizes: [features.dimension, 8, 4, 2], seed: 4),
            training: .init(
                seed: 4, epochs: 3, bestEpoch: 2, trainingPoints: 10, validationPoints: 2, trainingImages: 2,
                validationImages: 1, validationAccuracy: 0.5, validationLoss: 0.7))
    }

    @Test func theWorkingResolutionRoundTripsAndOldFilesReadAsFullResolution() throws {
        #expect(FeatureConfiguration.standard.workingSide == 500)
        for side in [512, 320, 1000] {
            let bytes = try ModelFile.encode(model(workingSide: side))
            #expect(try ModelFile.decode(bytes, path: "m").features.workingSide == side)
        }
        // A model written before working resolutions has no such key: it reads as full resolution.
        let old = try ModelFile.encode(model(workingSide: nil))
        #expect(!String(decoding: old.prefix(4096), as: UTF8.self).contains("workingSide"))
        #expect(try ModelFile.decode(old, path: "m").features.workingSide == nil)
    }

    @Test func theDetailSideRoundTripsAndFilesWithoutOneDecodeAtTheWorkingSide() throws {
        let detailed = try ModelFile.decode(ModelFile.encode(model(workingSide: 500, detailSide: 1000)), path: "m").features
        #expect(detailed.detailSide == 1000 && detailed.decodeSide == 1000)
        let bytes = try ModelFile.encode(model(workingSide: 500))
        #expect(!String(decoding: bytes.prefix(4096), as: UTF8.self).contains("detailSide"))
        let plain = try ModelFile.decode(bytes, path: "m").features
        #expect(plain.detailSide == nil && plain.decodeSide == 500)
    }

    @Test func featuresAtWorkingResolutionMatchAFullResolutionImage() {
        // A smooth image and its 2× enlargement give close features at the same normalised
        // point, because window sizes follow the image's longer side.
        var small = Image(width: 64, height: 48, channels: 3)
        for y in 0..<48 {
            for x in 0..<64 {
                let o = small.offset(x: x, y: y)
                small.pixels[o] = UInt8(60 + 2 * x)
                small.pixels[o + 1] = UInt8(40 + 3 * y)
                small.pixels[o + 2] = UInt8(100 + (x + y) % 7)
            }
        }
        let configuration = FeatureConfiguration(scales: [1.5, 4], referenceSide: 64, position: true)
        let a = PixelFeatures(image: small, configuration: configuration)
        let b = PixelFeatures(image: small.upscaled(by: 2), configuration: configuration)
        for (x, y) in [(10, 10), (32, 24), (50, 40)] {
            let fa = a.features(x: x, y: y), fb = b.features(x: 2 * x, y: 2 * y)
            // Colour means (indices 0–5, 10–12) agree closely.
            for i in [0, 1, 2, 3, 4, 5, 10, 11, 12] { #expect(abs(fa[i] - fb[i]) < 0.03, "feature \(i) at (\(x), \(y)): \(fa[i]) vs \(fb[i])") }
        }
    }
}
