import Foundation
import Imaging
import Support
import Testing

@testable import Embedding

@Suite struct MLPTests {
    /// Analytic gradients against central finite differences on a tiny network. A step that
    /// moves a hidden unit across the ReLU kink for some example is skipped (the loss is not
    /// differentiable there); every other parameter must agree to 1%.
    @Test func gradientsMatchFiniteDifferences() {
        let network = MLP(sizes: [4, 6, 5, 3], seed: 7)
        var rng = SplitMix64(seed: 3)
        let batch = 5
        let x = (0..<(batch * 4)).map { _ in rng.unitFloat() * 2 - 1 }
        let labels: [Int32] = [0, 2, 1, 2, 0]
        let (_, _, gradients) = network.lossAndGradients(x, labels: labels, batch: batch)
        func pattern(_ n: MLP) -> [Bool] { n.forward(x, batch: batch).dropFirst().dropLast().flatMap { $0.map { $0 > 0 } } }
        let base = pattern(network)
        let h: Float = 5e-3
        var checked = 0, skipped = 0
        var worst: Float = 0
        func check(_ plus: MLP, _ minus: MLP, _ analytic: Float) {
            guard pattern(plus) == base, pattern(minus) == base else {
                skipped += 1
                return
            }
            let numeric =
                (plus.lossAndGradients(x, labels: labels, batch: batch).loss
                    - minus.lossAndGradients(x, labels: labels, batch: batch).loss) / (2 * h)
            worst = max(worst, abs(numeric - analytic) / max(1e-2, abs(numeric) + abs(analytic)))
            checked += 1
        }
        for l in network.layers.indices {
            for i in network.layers[l].weights.indices {
                var plus = network, minus = network
                plus.layers[l].weights[i] += h
                minus.layers[l].weights[i] -= h
                check(plus, minus, gradients[l].weights[i])
            }
            for i in network.layers[l].bias.indices {
                var plus = network, minus = network
                plus.layers[l].bias[i] += h
                minus.layers[l].bias[i] -= h
                check(plus, minus, gradients[l].bias[i])
            }
        }
        #expect(checked > 80, "\(checked) checked, \(skipped) skipped")
        #expect(worst < 0.01, "worst relative error \(worst)")
    }

    @Test func embeddingIsTheLastHiddenLayer() {
        let network = MLP(sizes: [3, 8, 4, 2], seed: 1)
        let x: [Float] = [0.5, -1, 2, 1, 0, -0.5]
        let activations = network.forward(x, batch: 2)
        #expect(network.embed(x, batch: 2) == activations[2])
        #expect(network.embeddingDimension == 4)
        #expect(network.logits(x, batch: 2) == activations[3])
    }
}

/// Points of three classes in a 5-dimensional feature space, spread over 60 images.
func syntheticPoints(seed: UInt64 = 5) -> LabelledPoints {
    var rng = SplitMix64(seed: seed)
    var points = LabelledPoints(dimension: 5)
    points.imageIDs = (0..<60).map { String(format: "%016llx", UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
    var mention: Int32 = 0
    for image in 0..<60 {
        for label in 0..<3 {
            mention += 1
            for _ in 0..<20 {
                let row = (0..<5).map { j in Float(j == label ? 1.5 : 0) + (rng.unitFloat() - 0.5) * 2 }
                points.append(features: row, label: Int32(label), image: Int32(image), mention: mention)
            }
        }
    }
    return points
}

@Suite struct TrainingTests {
    let classes = (0..<3).map { EmbeddingModel.ClassLabel(id: $0 + 1, name: "class\($0)") }
    let features = FeatureConfiguration(scales: [], referenceSide: 320, position: true)  // dimension 5

    func options(seed: UInt64) -> TrainingOptions {
        var o = TrainingOptions()
        o.hidden = [16]
        o.embedding = 8
        o.epochs = 15
        o.seed = seed
        return o
    }

    @Test func learnsASeparableProblemAndIsReproducible() throws {
        let points = syntheticPoints()
        var reports: [EpochReport] = []
        let a = Trainer.train(points: points, classes: classes, features: features, options: options(seed: 1)) { reports.append($0) }
        let b = Trainer.train(points: points, classes: classes, features: features, options: options(seed: 1))
        #expect(try ModelFile.encode(a) == ModelFile.encode(b))
        let c = Trainer.train(points: points, classes: classes, features: features, options: options(seed: 2))
        #expect(try ModelFile.encode(a) != ModelFile.encode(c))
        #expect(a.training.validationImages > 0 && a.training.trainingImages > a.training.validationImages)
        // Cleaning (on by default) sets aside the points on the wrong side of the class boundaries.
        let cleaning = try #require(a.training.cleaning)
        #expect(cleaning.rounds == 2 && cleaning.setAside.count == 2)
        #expect(cleaning.setAside.allSatisfy { $0 > 0 && $0 < points.count / 10 }, "\(cleaning)")
        #expect(a.training.trainingPoints + a.training.validationPoints + cleaning.setAside[1] == points.count)
        // The Bayes rate of this problem is about 93%; the classifier gets close.
        #expect(a.training.validationAccuracy > 0.85, "\(a.training.validationAccuracy)")
        #expect(reports.first!.trainingLoss > reports.last!.trainingLoss)
        let heldOut = points.filter { Trainer.isValidation(points.imageIDs[Int($0)], seed: 1, fraction: 0.15) }
        let reference = points.filter { !Trainer.isValidation(points.imageIDs[Int($0)], seed: 1, fraction: 0.15) }
        let report = Evaluation.evaluate(a, on: heldOut, reference: reference)
        #expect(report.points == heldOut.count)
        #expect(report.top1 > 0.85)
        #expect(report.top5 == 1)  // three classes
        #expect(report.neighbourPoints > 0)
        #expect(report.embeddingAccuracy > 0.85, "\(report)")
        #expect(report.rawAccuracy > report.majorityAccuracy, "\(report)")
    }

    /// Without validation images there is no early stopping: the last epoch's network is kept,
    /// not the first's.
    @Test func withoutValidationImagesTheLastEpochIsKept() throws {
        let points = syntheticPoints()
        var o = options(seed: 1)
        o.validationFraction = 0
        o.cleaningRounds = 0
        var reports: [EpochReport] = []
        let model = Trainer.train(points: points, classes: classes, features: features, options: o) { reports.append($0) }
        #expect(model.training.validationPoints == 0 && model.training.epochs == o.epochs)
        #expect(model.training.bestEpoch == o.epochs)
        #expect(reports.last!.trainingLoss < reports.first!.trainingLoss)
        var fewer = o
        fewer.epochs = 1
        let first = Trainer.train(points: points, classes: classes, features: features, options: fewer)
        #expect(first.training.bestEpoch == 1)
        #expect(try ModelFile.encode(first) != ModelFile.encode(model))
        // Every image held out: no training point, which `embed train` refuses to write as a model.
        var allHeldOut = o
        allHeldOut.validationFraction = 1
        #expect(Trainer.train(points: points, classes: classes, features: features, options: allHeldOut).training.trainingPoints == 0)
    }

    @Test func theBankHoldsPlausibleTypicalPointsOfEachClass() throws {
        var points = syntheticPoints()
        // Every fifth point of class 0 relabelled 1: strays the bank should leave out.
        for i in stride(from: 0, to: points.count, by: 5) where points.labels[i] == 0 { points.labels[i] = 1 }
        let model = Trainer.train(points: points, classes: classes, features: features, options: options(seed: 1))
        #expect(model.bank.counts == [64, 64, 64])
        let e = model.network.embeddingDimension
        #expect(model.bank.rows.count == 3 * 64 * e)
        // At most one row per image when asked so: 60 images.
        let sparse = ExemplarBank.build(points: points, model: model, perClass: 100, perImage: 1)
        #expect(sparse.counts == [60, 60, 60])
        // A point of each class resembles its own class's bank rows most.
        for label in 0..<3 {
            let row = (0..<5).map { j in Float(j == label ? 1.5 : 0) }
            let query = model.embed(raw: row, count: 1)
            let scores = model.bank.scores(query: query[...], classes: [0, 1, 2], dimension: e, k: 5).map { $0 ?? -2 }
            #expect(scores.firstIndex(of: scores.max()!) == label, "\(scores)")
        }
        // The strays relabelled 1 sit among class 0's points; class 1's bank keeps (almost) none.
        let strays = (0..<points.count).filter { $0 % 5 == 0 && syntheticPoints().labels[$0] == 0 }
        let strayQueries = model.embed(raw: strays.flatMap { Array(points.features[($0 * 5)..<(($0 + 1) * 5)]) }, count: strays.count)
        let closerToOne = strays.indices.filter { s in
            let scores = model.bank.scores(query: strayQueries[(s * e)..<((s + 1) * e)], classes: [0, 1], dimension: e, k: 5)
            return scores[1]! > scores[0]!
        }
        #expect(closerToOne.count < strays.count / 10, "\(closerToOne.count) of \(strays.count)")
    }

    /// The synthetic problem with a share of each image's labels moved to another class of
    /// the same image, as when a trace strays onto a neighbour.
    func mislabelled(_ points: LabelledPoints, share: Float, seed: UInt64) -> (points: LabelledPoints, wrong: [Bool]) {
        var rng = SplitMix64(seed: seed)
        var noisy = points
        var wrong = [Bool](repeating: false, count: points.count)
        for i in 0..<points.count where rng.unitFloat() < share {
            noisy.labels[i] = (points.labels[i] + 1 + Int32(rng.below(2))) % 3
            wrong[i] = true
        }
        return (noisy, wrong)
    }

    @Test func cleaningSetsAsideMislabelledPoints() throws {
        let (noisy, wrong) = mislabelled(syntheticPoints(seed: 8), share: 0.3, seed: 3)
        var o = options(seed: 1)
        o.cleaningRounds = 0
        let plain = Trainer.train(points: noisy, classes: classes, features: features, options: o)
        #expect(plain.training.cleaning == nil)
        #expect(plain.training.trainingPoints + plain.training.validationPoints == noisy.count)
        o.cleaningRounds = 1
        let cleaned = Trainer.train(points: noisy, classes: classes, features: features, options: o)
        let setAside = try #require(cleaned.training.cleaning?.setAside.first)
        #expect(cleaned.training.trainingPoints + cleaned.training.validationPoints + setAside == noisy.count)
        // Judged by the model of the first training: most moved labels go, most true ones stay.
        let plausible = Trainer.plausibleLabels(noisy, model: plain, threshold: o.cleaningThreshold)
        let wrongKept = zip(plausible, wrong).filter { $0.0 && $0.1 }.count
        let rightKept = zip(plausible, wrong).filter { $0.0 && !$0.1 }.count
        let wrongCount = wrong.filter { $0 }.count
        #expect(Double(wrongKept) < 0.25 * Double(wrongCount), "\(wrongKept) of \(wrongCount) wrong labels kept")
        #expect(Double(rightKept) > 0.85 * Double(noisy.count - wrongCount), "\(rightKept) right labels kept")
        #expect(plausible.filter { !$0 }.count == setAside)
        // Against the true labels of the held-out images, the cleaned model is at least as good.
        let truth = syntheticPoints(seed: 8).filter { Trainer.isValidation(noisy.imageIDs[Int($0)], seed: 1, fraction: 0.15) }
        let plainAccuracy = Evaluation.evaluate(plain, on: truth, reference: truth).top1
        let cleanedAccuracy = Evaluation.evaluate(cleaned, on: truth, reference: truth).top1
        #expect(cleanedAccuracy >= plainAccuracy - 0.01, "\(cleanedAccuracy) against \(plainAccuracy)")
    }

    @Test func logSoftmaxIsTakenOverTheCandidatesOnly() {
        let logits: [Float] = [9, 1, 2, 3]
        let among = EmbeddingModel.logSoftmax(logits[1...3], over: [2, 0])
        // Class 2 (logit 3) against class 0 (logit 1) of the slice: e²/(e²+1); the 9 outside is ignored.
        #expect(abs(among[0] - log(exp(2.0) / (exp(2.0) + 1))) < 1e-9)
        #expect(abs(exp(among[0]) + exp(among[1]) - 1) < 1e-12)
        #expect(EmbeddingModel.logSoftmax(logits[0...], over: []).isEmpty)
    }

    @Test func validationSplitIsByImage() {
        let ids = (0..<2000).map { "image-\($0)" }
        let held = ids.filter { Trainer.isValidation($0, seed: 9, fraction: 0.15) }
        #expect(held.count > 220 && held.count < 380)
        #expect(held == ids.filter { Trainer.isValidation($0, seed: 9, fraction: 0.15) })
        #expect(held != ids.filter { Trainer.isValidation($0, seed: 10, fraction: 0.15) })
    }
}

@Suite struct ModelFileTests {
    func model() -> EmbeddingModel {
        let features = FeatureConfiguration.standard
        return EmbeddingModel(
            features: features, classes: [.init(id: 3, name: "dog"), .init(id: 9, name: "grass")],
            mean: (0..<features.dimension).map { Float($0) }, scale: [Float](repeating: 2, count: features.dimension),
            network: MLP(sizes: [features.dimension, 12, 6, 2], seed: 4),
            training: .init(
                seed: 4, epochs: 3, bestEpoch: 2, trainingPoints: 10, validationPoints: 2, trainingImages: 2,
                validationImages: 1, validationAccuracy: 0.5, validationLoss: 0.7))
    }

    @Test func roundTripsExactly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString).model").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(ModelFile.encode(model())).write(to: URL(fileURLWithPath: path))
        #expect(try ModelFile.read(path) == model())
    }

    @Test func keepsTheBankAndReadsVersionOneFiles() throws {
        var banked = model()
        banked.bank = ExemplarBank(counts: [2, 1], rows: (0..<18).map { Float($0) / 7 })
        #expect(try ModelFile.decode(ModelFile.encode(banked), path: "m") == banked)
        // A version 1 file: no bank in the header or after the layers.
        var old = try ModelFile.encode(model())
        old[8] = 1
        old.replaceSubrange((old.count - 8)..., with: (0..<8).map { UInt8(truncatingIfNeeded: StableHash.fnv1a(old.dropLast(8)) >> (8 * $0)) })
        #expect(try ModelFile.decode(old, path: "m") == model())
        #expect(try ModelFile.decode(old, path: "m").fileVersion == 1)
        #expect(try ModelFile.decode(ModelFile.encode(banked), path: "m").fileVersion == 2)
        // A header whose sizes outgrow the file is refused, not multiplied into a trap.
        var huge = model()
        huge.bank = ExemplarBank(counts: [Int.max / 4, 0], rows: [1])
        #expect(throws: PointillistError.self) { try ModelFile.decode(ModelFile.encode(huge), path: "m") }
        var mismatched = banked
        mismatched.bank.counts = [2]
        #expect(throws: PointillistError(file: "m", reason: "the bank's row counts do not match the classes")) {
            try ModelFile.decode(ModelFile.encode(mismatched), path: "m")
        }
    }

    @Test func refusesOtherVersionsTruncationAndCorruption() throws {
        let bytes = try ModelFile.encode(model())
        func reason(_ b: [UInt8]) -> String {
            do {
                _ = try ModelFile.decode(b, path: "m.model")
                return "accepted"
            } catch { return error.reason }
        }
        var other = bytes
        other[8] = 3
        #expect(reason(other) == "model file format version 3; this program reads versions 1 and 2")
        #expect(reason(Array(bytes.dropLast(100))).hasPrefix("truncated"))
        #expect(reason(Array(bytes.prefix(12))).contains("magic"))
        var flipped = bytes
        flipped[bytes.count - 40] ^= 0x10
        #expect(reason(flipped) == "corrupt: checksum mismatch")
        #expect(reason(Array("hello world, not a model".utf8)).contains("magic"))
        #expect(throws: PointillistError.self) { try ModelFile.read("/nonexistent.model") }
    }
}

@Suite struct FeatureTests {
    @Test func labColoursAreRight() {
        let white = ColourSpace.lab(r: 255, g: 255, b: 255)
        #expect(abs(white.l - 100) < 0.01 && abs(white.a) < 0.01 && abs(white.b) < 0.01)
        let red = ColourSpace.lab(r: 255, g: 0, b: 0)
        #expect(abs(red.l - 53.24) < 0.05 && abs(red.a - 80.09) < 0.1 && abs(red.b - 67.20) < 0.1)
    }

    @Test func windowStatisticsDescribeColourAndTexture() {
        // Left half flat grey, right half vertical stripes.
        var image = Image(width: 64, height: 32, channels: 3, fill: 128)
        for y in 0..<32 {
            for x in 32..<64 where (x / 2) % 2 == 0 {
                for c in 0..<3 { image.pixels[image.offset(x: x, y: y) + c] = 230 }
            }
        }
        let f = PixelFeatures(image: image, configuration: FeatureConfiguration(scales: [3], referenceSide: 64, position: true))
        #expect(f.configuration.dimension == 12)
        let flat = f.features(x: 8, y: 16)
        let striped = f.features(x: 48, y: 16)
        #expect(flat[6] < 0.001)  // std of L
        #expect(striped[6] > 0.1)
        #expect(flat[7] < 0.001)  // gradient
        #expect(striped[7] > 0.1)
        #expect(striped[8] > 0.9)  // vertical stripes: horizontal gradients, cos 2θ ≈ 1
        #expect(abs(flat[10] - 8.5 / 64) < 1e-6)  // x position
    }
}

@Suite struct NeighbourTests {
    /// One reference point of class 0 right next to the query, five of class 1 a little
    /// further: one neighbour says 0, five say 1. Raw features are compared directly.
    @Test func votesUseKNeighboursWithinTheImagesClasses() {
        let features = FeatureConfiguration(scales: [], referenceSide: 1, position: false)  // 3 values
        let model = EmbeddingModel(
            features: features, classes: [.init(id: 1, name: "a"), .init(id: 2, name: "b"), .init(id: 3, name: "c")],
            mean: [0, 0, 0], scale: [1, 1, 1], network: MLP(sizes: [3, 4, 2, 3], seed: 1),
            training: .init(
                seed: 1, epochs: 0, bestEpoch: 0, trainingPoints: 0, validationPoints: 0, trainingImages: 0, validationImages: 0,
                validationAccuracy: 0, validationLoss: 0))
        var reference = LabelledPoints(dimension: 3)
        reference.imageIDs = ["r"]
        reference.append(features: [0.1, 0, 0], label: 0, image: 0, mention: 1)
        for i in 0..<5 { reference.append(features: [0.3 + 0.01 * Float(i), 0, 0], label: 1, image: 0, mention: 2) }
        reference.append(features: [0, 0, 0.01], label: 2, image: 0, mention: 3)  // nearest, but not a class of the image
        var queries = LabelledPoints(dimension: 3)
        queries.imageIDs = ["q"]
        queries.append(features: [0, 0, 0], label: 0, image: 0, mention: 9)
        queries.append(features: [5, 5, 5], label: 1, image: 0, mention: 9)  // far away; makes class 1 a candidate
        let one = Evaluation.neighbourAccuracy(model, queries: queries, reference: reference, k: 1)
        let five = Evaluation.neighbourAccuracy(model, queries: queries, reference: reference, k: 5)
        // k = 1: the first query is right (class 0); k = 5: class 1 outvotes it.
        #expect(one.0 == 1.0)
        #expect(five.0 == 0.5)
    }
}

@Suite struct BLASKernelTests {
    @Test func olderKernelsAreReplacedByOnesTheProcessorRuns() {
        let avx2: Set<String> = ["sse3", "avx", "avx2", "fma"]
        #expect(LinearAlgebra.betterKernelFamily(chosen: "Prescott", cpuFlags: avx2) == "Haswell")
        #expect(LinearAlgebra.betterKernelFamily(chosen: "Sandybridge", cpuFlags: avx2) == "Haswell")
        for modern in ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SAPPHIRERAPIDS"] {
            #expect(LinearAlgebra.betterKernelFamily(chosen: modern, cpuFlags: avx2.union(["avx512f"])) == nil)
        }
        // With the AVX-512 subsets SkylakeX's kernels use, those; with only some of them, Haswell's.
        let avx512 = avx2.union(["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"])
        #expect(LinearAlgebra.betterKernelFamily(chosen: "Prescott", cpuFlags: avx512) == "SkylakeX")
        #expect(LinearAlgebra.betterKernelFamily(chosen: "Prescott", cpuFlags: avx2.union(["avx512f"])) == "Haswell")
        // A processor without AVX2 keeps what OpenBLAS chose.
        #expect(LinearAlgebra.betterKernelFamily(chosen: "Prescott", cpuFlags: ["sse3", "avx"]) == nil)
        #expect(!LinearAlgebra.kernelFamily.isEmpty)
    }
}
