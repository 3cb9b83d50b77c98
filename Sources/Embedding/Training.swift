import COpenBLAS
import Glibc
import Support

/// Trace points with raw features and the class of the mention they belong to.
public struct LabelledPoints: Sendable {
    public let dimension: Int
    /// count × dimension raw features, row-major.
    public var features: [Float] = []
    /// Index into the model's class list.
    public var labels: [Int32] = []
    /// Index into `imageIDs`.
    public var images: [Int32] = []
    /// The mention a point came from: points of one mention are one trace segment.
    public var mentions: [Int32] = []
    /// Normalised (x, y) of each point on its image, two values per point.
    public var positions: [Float] = []
    public var imageIDs: [String] = []

    public init(dimension: Int) { self.dimension = dimension }

    public var count: Int { labels.count }

    public mutating func append(features row: [Float], label: Int32, image: Int32, mention: Int32, x: Float = 0, y: Float = 0) {
        precondition(row.count == dimension)
        features += row
        labels.append(label)
        images.append(image)
        mentions.append(mention)
        positions += [x, y]
    }

    /// The points whose image satisfies `keep`.
    public func filter(images keep: (Int32) -> Bool) -> LabelledPoints {
        selecting(rows: { keep(images[$0]) })
    }

    /// The points whose row index satisfies `keep`, in order.
    public func selecting(rows keep: (Int) -> Bool) -> LabelledPoints {
        selecting(rows: (0..<count).filter(keep))
    }

    /// The points at these row indexes, in the given order.
    public func selecting(rows indexes: [Int]) -> LabelledPoints {
        var result = LabelledPoints(dimension: dimension)
        result.imageIDs = imageIDs
        for i in indexes {
            result.features += features[(i * dimension)..<((i + 1) * dimension)]
            result.labels.append(labels[i])
            result.images.append(images[i])
            result.mentions.append(mentions[i])
            result.positions += positions[(2 * i)..<(2 * i + 2)]
        }
        return result
    }

    /// At most `limit` points, evenly spaced through the rows (all of them when there are no more).
    public func evenlySampled(atMost limit: Int) -> LabelledPoints {
        guard count > limit else { return self }
        guard limit > 0 else { return selecting(rows: []) }
        let step = Double(count) / Double(limit)
        return selecting(rows: (0..<limit).map { Int(Double($0) * step) })
    }
}

/// Settings of a training run; recorded in part in the model file.
public struct TrainingOptions: Sendable {
    /// Hidden layer widths before the embedding layer.
    public var hidden: [Int] = [128]
    /// Width of the last hidden layer: the embedding dimension.
    public var embedding = 64
    public var epochs = 40
    public var batch = 256
    public var learningRate: Float = 2e-3
    public var weightDecay: Float = 1e-4
    /// Stop when the validation loss has not improved for this many epochs; keep the best.
    public var patience = 5
    /// Share of images held out for validation (split by image, never by point).
    public var validationFraction = 0.15
    public var seed: UInt64 = 1
    /// Label cleaning. A trace point's label is the class its narrative named, but a trace
    /// strays onto neighbours (about 4 in 10 points of generated scenes lie off the named
    /// object). After training, the points whose label the classifier gives a probability
    /// below `cleaningThreshold`, among the classes of the point's image, are set aside and the
    /// network is trained again from the start on the rest; each of `cleaningRounds` rounds
    /// judges all the points afresh with the latest network. 0 rounds: one plain training.
    public var cleaningRounds = 2
    /// Exemplar bank rows per class kept with the model (`ExemplarBank`); 0: none.
    public var bankPerClass = 64
    public var cleaningThreshold = 0.35

    public init() {}
}

/// One epoch's figures.
public struct EpochReport: Sendable {
    /// 0 for the first training, then the cleaning round.
    public var round = 0
    public var epoch: Int
    public var trainingLoss: Double
    public var trainingAccuracy: Double
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var best: Bool
}

/// Trains the per-pixel classifier on trace points and returns it as an embedding model.
///
/// Reproducible: the split, the initial weights and the batch order come from the seed, and
/// OpenBLAS runs on one thread (a threaded sum may change the order of additions), so the
/// same inputs and seed give a byte-identical model file on the same machine.
public enum Trainer {
    /// Whether an image is held out for validation: a hash of its id and the seed.
    public static func isValidation(_ imageID: String, seed: UInt64, fraction: Double) -> Bool {
        var h = StableHash.fnv1a(imageID, basis: StableHash.fnvOffset ^ seed)
        h ^= h >> 29
        return Double(h % 1_000_000) / 1_000_000 < fraction
    }

    /// Trains on `points`, then runs the cleaning rounds of `options`. `progress` gets every
    /// epoch of every round; `batchProgress` counts batches within the current round.
    public static func train(
        points: LabelledPoints, classes: [EmbeddingModel.ClassLabel], features: FeatureConfiguration, options: TrainingOptions,
        progress: ((EpochReport) -> Void)? = nil, batchProgress: ((Int, Int) -> Void)? = nil
    ) -> EmbeddingModel {
        LinearAlgebra.runOnCallingThreads()
        var model = fitAndClean(points, classes: classes, features: features, options: options, progress, batchProgress)
        model.bank = ExemplarBank.build(points: points, model: model, perClass: options.bankPerClass)
        return model
    }

    /// The first training, then the cleaning rounds of `options`.
    static func fitAndClean(
        _ points: LabelledPoints, classes: [EmbeddingModel.ClassLabel], features: FeatureConfiguration, options: TrainingOptions,
        _ progress: ((EpochReport) -> Void)?, _ batchProgress: ((Int, Int) -> Void)?
    ) -> EmbeddingModel {
        var model = fit(points, classes: classes, features: features, options: options, round: 0, progress, batchProgress)
        let rounds = options.cleaningThreshold > 0 ? max(options.cleaningRounds, 0) : 0
        guard rounds > 0 else { return model }
        var setAside: [Int] = []
        for round in 1...rounds {
            let plausible = plausibleLabels(points, model: model, threshold: options.cleaningThreshold)
            let kept = points.selecting(rows: { plausible[$0] })
            setAside.append(points.count - kept.count)
            model = fit(kept, classes: classes, features: features, options: options, round: round, progress, batchProgress)
        }
        model.training.cleaning = .init(rounds: rounds, threshold: options.cleaningThreshold, setAside: setAside)
        return model
    }

    /// Whether each point's label gets at least `threshold` probability from `model`'s
    /// classifier, the softmax taken over the labels that occur on the point's image (the
    /// classes its narratives mention). Judged in blocks of 1,024 rows.
    public static func plausibleLabels(_ points: LabelledPoints, model: EmbeddingModel, threshold: Double) -> [Bool] {
        var labelsOfImage: [Int32: Set<Int>] = [:]
        for i in 0..<points.count { labelsOfImage[points.images[i], default: []].insert(Int(points.labels[i])) }
        let candidates = labelsOfImage.mapValues { $0.sorted() }
        let d = points.dimension, k = model.network.classCount
        let logThreshold = log(threshold)
        var result = [Bool](repeating: true, count: points.count)
        for start in stride(from: 0, to: points.count, by: 1024) {
            let n = min(1024, points.count - start)
            var x = Array(points.features[(start * d)..<((start + n) * d)])
            model.standardise(&x)
            let logits = model.network.logits(x, batch: n)
            for r in 0..<n {
                let i = start + r
                let among = candidates[points.images[i]] ?? []
                let logProbabilities = EmbeddingModel.logSoftmax(logits[(r * k)..<((r + 1) * k)], over: among)
                if let at = among.firstIndex(of: Int(points.labels[i])) { result[i] = logProbabilities[at] >= logThreshold }
            }
        }
        return result
    }

    /// One training from freshly initialised weights, with early stopping on the validation images.
    static func fit(
        _ points: LabelledPoints, classes: [EmbeddingModel.ClassLabel], features: FeatureConfiguration, options: TrainingOptions,
        round: Int, _ progress: ((EpochReport) -> Void)?, _ batchProgress: ((Int, Int) -> Void)?
    ) -> EmbeddingModel {
        let d = points.dimension
        let validationImage = points.imageIDs.map { isValidation($0, seed: options.seed, fraction: options.validationFraction) }
        let training = points.filter { !validationImage[Int($0)] }
        let validation = points.filter { validationImage[Int($0)] }

        let (mean, scale) = standardisation(of: training)
        var model = EmbeddingModel(
            features: features, classes: classes, mean: mean, scale: scale,
            network: MLP(sizes: [d] + options.hidden + [options.embedding, classes.count], seed: options.seed),
            training: .init(
                seed: options.seed, epochs: 0, bestEpoch: 0, trainingPoints: training.count, validationPoints: validation.count,
                trainingImages: Set(training.images).count, validationImages: Set(validation.images).count,
                validationAccuracy: 0, validationLoss: 0, validationFraction: options.validationFraction))
        var x = training.features
        model.standardise(&x)
        var vx = validation.features
        model.standardise(&vx)

        var optimiser = Adam(for: model.network, learningRate: options.learningRate, weightDecay: options.weightDecay)
        var rng = SplitMix64(seed: options.seed ^ 0x5EED)
        var order = Array(0..<training.count)
        var best: (loss: Double, accuracy: Double, epoch: Int, network: MLP)?
        var stale = 0
        let batchesPerEpoch = (training.count + options.batch - 1) / max(options.batch, 1)
        for epoch in 1...max(options.epochs, 1) where training.count > 0 {
            // Fisher–Yates with the seeded generator.
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
            let (lossSum, correct) = trainEpoch(
                &model.network, optimiser: &optimiser, x: x, labels: training.labels, dimension: d, order: order, batch: options.batch
            ) { b in batchProgress?((epoch - 1) * batchesPerEpoch + b + 1, options.epochs * batchesPerEpoch) }
            let (validationLoss, validationAccuracy) = evaluateLoss(model.network, vx, validation.labels)
            // Without validation images there is nothing to stop early on: the last epoch is the best.
            let improved = validation.count == 0 || (best.map { validationLoss < $0.loss - 1e-6 } ?? true)
            if improved {
                best = (validationLoss, validationAccuracy, epoch, model.network)
                stale = 0
            } else {
                stale += 1
            }
            progress?(
                EpochReport(
                    round: round, epoch: epoch, trainingLoss: lossSum / Double(training.count),
                    trainingAccuracy: Double(correct) / Double(training.count), validationLoss: validationLoss,
                    validationAccuracy: validationAccuracy, best: improved))
            model.training.epochs = epoch
            if validation.count > 0, stale >= options.patience { break }
        }
        if let best {
            model.network = best.network
            model.training.bestEpoch = best.epoch
            model.training.validationLoss = best.loss
            model.training.validationAccuracy = best.accuracy
        }
        return model
    }
    /// Per-feature mean and standard deviation of the training points (0 and 1 without any).
    static func standardisation(of training: LabelledPoints) -> (mean: [Float], scale: [Float]) {
        let d = training.dimension
        var mean = [Float](repeating: 0, count: d)
        var scale = [Float](repeating: 1, count: d)
        guard training.count > 0 else { return (mean, scale) }
        var sum = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        for i in 0..<training.count {
            for j in 0..<d {
                let v = Double(training.features[i * d + j])
                sum[j] += v
                squares[j] += v * v
            }
        }
        let n = Double(training.count)
        for j in 0..<d {
            let m = sum[j] / n
            mean[j] = Float(m)
            scale[j] = Float(max((squares[j] / n - m * m), 1e-12).squareRoot())
        }
        return (mean, scale)
    }

    /// One pass over the training rows in `order`, in mini-batches of `batch`: the summed loss
    /// (weighted by rows) and the rows classified right. `done` gets each batch's index.
    static func trainEpoch(
        _ network: inout MLP, optimiser: inout Adam, x: [Float], labels: [Int32], dimension d: Int, order: [Int], batch: Int,
        done: (Int) -> Void
    ) -> (lossSum: Double, correct: Int) {
        var lossSum = 0.0, correct = 0
        var batchX = [Float](), batchY = [Int32]()
        for (b, start) in stride(from: 0, to: order.count, by: batch).enumerated() {
            let rows = order[start..<min(start + batch, order.count)]
            batchX.removeAll(keepingCapacity: true)
            batchY.removeAll(keepingCapacity: true)
            for r in rows {
                batchX += x[(r * d)..<((r + 1) * d)]
                batchY.append(labels[r])
            }
            let (loss, right, gradients) = network.lossAndGradients(batchX, labels: batchY, batch: rows.count)
            optimiser.update(&network, gradients: gradients)
            lossSum += Double(loss) * Double(rows.count)
            correct += right
            done(b)
        }
        return (lossSum, correct)
    }

    /// Mean cross-entropy and accuracy over standardised rows (0, 0 when there are none).
    static func evaluateLoss(_ network: MLP, _ x: [Float], _ labels: [Int32]) -> (Double, Double) {
        guard !labels.isEmpty else { return (0, 0) }
        let d = network.inputDimension
        var loss = 0.0, correct = 0
        for start in stride(from: 0, to: labels.count, by: 1024) {
            let n = min(1024, labels.count - start)
            // Forward only: the same softmax cross-entropy as training, without gradients.
            let logits = network.logits(Array(x[(start * d)..<((start + n) * d)]), batch: n)
            let k = network.classCount
            var batchLoss: Float = 0
            for r in 0..<n {
                let row = logits[(r * k)..<((r + 1) * k)]
                let maximum = row.max() ?? 0
                let label = Int(labels[start + r])
                if row.firstIndex(of: maximum) == r * k + label { correct += 1 }
                let sum = row.reduce(Float(0)) { $0 + ($1 - maximum).exp }
                batchLoss -= ((row[r * k + label] - maximum).exp / sum).log
            }
            loss += Double(batchLoss / Float(n)) * Double(n)
        }
        return (loss / Double(labels.count), Double(correct) / Double(labels.count))
    }
}
