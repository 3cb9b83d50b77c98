// The benchmark half of Benchmarks/embed: pointillist's side, timed on synthetic shapes.

import ArgumentParser
import Embedding
import Foundation
import Imaging
import Support

@main
struct EmbedBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pointillist-embed-bench",
        abstract: "Time training, embedding and feature tables on synthetic data (Benchmarks/embed/run).",
        discussion: """
            Trains the MLP for --epochs epochs on --points random points of --classes Gaussian \
            classes (no validation), then embeds them, and featurises points of a random image. \
            Prints points per second for each; the numbers depend only on the shapes.
            """)

    @Option var points = 200_000
    @Option var classes = 200
    @Option var hidden = 128
    @Option var dimension = 64
    @Option var batch = 256
    @Option var epochs = 2
    @Option var seed: UInt64 = 1

    func run() throws {
        let d = FeatureConfiguration.standard.dimension
        var rng = SplitMix64(seed: seed)
        var data = LabelledPoints(dimension: d)
        data.imageIDs = (0..<1000).map { "image\($0)" }
        let centres = (0..<(classes * d)).map { _ in rng.unitFloat() * 4 - 2 }
        data.features.reserveCapacity(points * d)
        for i in 0..<points {
            let label = i % classes
            data.append(
                features: (0..<d).map { centres[label * d + $0] + rng.unitFloat() - 0.5 }, label: Int32(label),
                image: Int32(i % 1000), mention: Int32(i / 20), x: rng.unitFloat(), y: rng.unitFloat())
        }
        var options = TrainingOptions()
        options.hidden = [hidden]
        options.embedding = dimension
        options.batch = batch
        options.epochs = epochs
        options.validationFraction = 0
        options.seed = seed
        // One training, as the reference does (label cleaning would train twice more).
        options.cleaningRounds = 0
        let labels = (0..<classes).map { EmbeddingModel.ClassLabel(id: $0 + 1, name: "c\($0)") }
        let t0 = now()
        let model = Trainer.train(points: data, classes: labels, features: .standard, options: options)
        let t1 = now()
        var embedded = 0
        for start in stride(from: 0, to: points, by: 4096) {
            let n = min(4096, points - start)
            embedded += model.embed(raw: Array(data.features[(start * d)..<((start + n) * d)]), count: n).count
        }
        let t2 = now()
        var pixels = [UInt8](repeating: 0, count: 640 * 480 * 3)
        for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: rng.next()) }
        let image = Image(width: 640, height: 480, channels: 3, pixels: pixels)
        let t3 = now()
        let featuriser = PixelFeatures(image: image)
        let t3b = now()
        var row = [Float](repeating: 0, count: d)
        let samples = 100_000
        var checksum: Float = 0
        for i in 0..<samples {
            row.withUnsafeMutableBufferPointer { featuriser.features(x: (i * 7919) % 640, y: (i * 104_729) % 480, into: $0) }
            checksum += row[0]
        }
        let t4 = now()
        print(
            "shapes      points \(points), features \(d), hidden \(hidden), embedding \(dimension), classes \(classes), batch \(batch), epochs \(epochs)"
        )
        print(String(format: "training    %.0f points/s (%.3f s)", Double(points * epochs) / (t1 - t0), t1 - t0))
        print(String(format: "embedding   %.0f points/s (%.3f s)", Double(points) / (t2 - t1), t2 - t1))
        print(
            String(
                format: "features    %.1f ms per 640x480 image for the tables, then %.0f points/s (checksum %.1f, %d values)",
                1000 * (t3b - t3), Double(samples) / (t4 - t3b), checksum, embedded))
    }

    static func main() {
        // As the pointillist program starts: the same allocator and BLAS settings.
        Platform.keepLargeBlocksInHeap(below: 64 << 20, trimAbove: 256 << 20)
        LinearAlgebra.restartWithMatchingKernels()
        LinearAlgebra.runOnCallingThreads()
        main(nil)
    }
}

/// Seconds on a monotonic clock.
func now() -> Double { ProcessInfo.processInfo.systemUptime }
