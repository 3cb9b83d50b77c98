import Support

/// Points sampled uniformly from dense ground truth: the method's simulation of point labels.
public enum PointDraws {
    /// Draw `draw`'s pixels of an image: `count` uniform picks (with replacement) among
    /// `pixels`, from a SplitMix64 stream seeded by FNV-1a of "seed/draw/image id", so a draw
    /// is the same for every method, run and thread count.
    public static func pixels(imageID: String, draw: Int, count: Int, pixels: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: StableHash.fnv1a("\(seed)/\(draw)/\(imageID)"))
        return (0..<count).map { _ in rng.below(pixels) }
    }
}

/// Scores segmentation methods against point labels, dense ground truth, and points drawn
/// from it, decoding each mask once.
public struct Evaluator: Sendable {
    public struct Method: Sendable {
        public var name: String
        public var masks: MaskFolder

        public init(name: String, masks: MaskFolder) {
            self.name = name
            self.masks = masks
        }
    }

    /// One method's counts: from the point labels, from every ground-truth pixel, and per draw.
    public struct Scores: Sendable {
        public var name: String
        public var points: IoUCounts?
        public var dense: IoUCounts?
        public var draws: [IoUCounts]
        /// Images of the evaluation this method has no mask for (scored as predicting nothing).
        public var missingMasks = 0
    }

    public struct Result: Sendable {
        public var methods: [Scores]
        public var images = 0
        /// Images of the point labels without a ground-truth mask (dense and drawn figures leave them out).
        public var imagesWithoutTruth = 0
        /// Labelled points scored, and those whose labels said nothing about any method's prediction.
        public var labelledPoints = 0
        public var uninformativePoints = 0
        /// Points drawn over all draws, and those that fell on void pixels (left out).
        public var drawnPoints = 0
        public var voidDrawnPoints = 0
    }

    public var methods: [Method]
    public var truth: MaskFolder?
    public var labels: PointLabelSet?
    public var classCount: Int
    public var draws = 0
    public var pointsPerImage = 50
    public var seed: UInt64 = 1
    public var workers = 2
    /// Images per parallel step (progress is reported between steps).
    public var chunk = 64

    public init(methods: [Method], truth: MaskFolder?, labels: PointLabelSet?, classCount: Int) {
        self.methods = methods
        self.truth = truth
        self.labels = labels
        self.classCount = classCount
    }

    /// The images scored: those of the point labels, then those with a ground-truth mask only.
    public func imageIDs() -> [String] {
        var ids = labels?.imageIDs ?? []
        if let truth {
            let known = Set(ids)
            ids += truth.imageIDs.filter { !known.contains($0) }
        }
        return ids
    }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws(PointillistError) -> Result {
        let ids = imageIDs()
        let pointsOfImage: [String: Int] = labels.map { Dictionary(uniqueKeysWithValues: $0.imageIDs.enumerated().map { ($1, $0) }) } ?? [:]
        // A tally per worker for the whole run (its counts are classes × methods × (draws + 2)),
        // merged once at the end: counts add in any order.
        let tallies = Borrowed { Tally(evaluator: self) }
        var start = 0
        while start < ids.count {
            let end = min(start + chunk, ids.count)
            let first = start
            let failures = parallelMap(end - start, workers: workers) { range -> PointillistError? in
                tallies.with { tally in
                    do throws(PointillistError) {
                        for i in range {
                            let id = ids[first + i]
                            try tally.score(imageID: id, points: pointsOfImage[id].map { labels!.images[$0] }, evaluator: self)
                        }
                    } catch {
                        return error
                    }
                    return nil
                }
            }
            if let failure = failures.compactMap({ $0 }).first { throw failure }
            start = end
            progress?(end, ids.count)
        }
        var total = Tally(evaluator: self)
        for tally in tallies.drain() { total.add(tally) }
        return total.result(names: methods.map(\.name), images: ids.count)
    }
}

/// Counts of the images one worker scored.
struct Tally: Sendable {
    var points: [IoUCounts]
    var dense: [IoUCounts]
    var draws: [[IoUCounts]]
    var missing: [Int]
    var imagesWithoutTruth = 0
    var labelledPoints = 0
    var uninformativePoints = 0
    var drawnPoints = 0
    var voidDrawnPoints = 0
    let hasLabels: Bool
    let hasTruth: Bool

    init(evaluator e: Evaluator) {
        let empty = IoUCounts(classes: e.classCount)
        points = Array(repeating: empty, count: e.methods.count)
        dense = points
        draws = Array(repeating: Array(repeating: empty, count: e.draws), count: e.methods.count)
        missing = Array(repeating: 0, count: e.methods.count)
        hasLabels = e.labels != nil
        hasTruth = e.truth != nil
    }

    mutating func add(_ other: Tally) {
        for m in points.indices {
            points[m].add(other.points[m])
            dense[m].add(other.dense[m])
            for d in draws[m].indices { draws[m][d].add(other.draws[m][d]) }
            missing[m] += other.missing[m]
        }
        imagesWithoutTruth += other.imagesWithoutTruth
        labelledPoints += other.labelledPoints
        uninformativePoints += other.uninformativePoints
        drawnPoints += other.drawnPoints
        voidDrawnPoints += other.voidDrawnPoints
    }

    mutating func score(imageID: String, points labelled: ImagePointLabels?, evaluator e: Evaluator) throws(PointillistError) {
        let truth = try e.truth?.labelMap(imageID)
        if e.truth != nil, truth == nil, labelled != nil { imagesWithoutTruth += 1 }
        // Each draw's pixels and their ground-truth classes, shared by every method.
        var drawn: [[(pixel: Int, classes: [Int32])]] = []
        if let truth {
            for d in 0..<e.draws {
                let picks = PointDraws.pixels(imageID: imageID, draw: d, count: e.pointsPerImage, pixels: truth.labels.count, seed: e.seed)
                let labelledPicks = picks.map { ($0, truth.classes(at: $0)) }.filter { !$0.1.isEmpty }
                drawnPoints += picks.count
                voidDrawnPoints += picks.count - labelledPicks.count
                drawn.append(labelledPicks)
            }
        }
        if let labelled { labelledPoints += labelled.count }
        var informative = [Bool](repeating: false, count: labelled?.count ?? 0)
        for (m, method) in e.methods.enumerated() {
            let found = try method.masks.labelMap(imageID)
            if found == nil { missing[m] += 1 }
            let prediction = found ?? LabelMap(width: 1, height: 1, labels: [-1])
            if let labelled {
                for i in 0..<labelled.count {
                    let predicted = prediction.classes(at: prediction.pixel(x: labelled.x[i], y: labelled.y[i]))
                    if CountingRule.count(labels: labelled.labels(of: i), predicted: predicted, into: &points[m]) { informative[i] = true }
                }
            }
            guard let truth else { continue }
            CountingRule.countDense(truth: truth, prediction: prediction, into: &dense[m])
            let sameGrid = truth.width == prediction.width && truth.height == prediction.height
            for (d, picks) in drawn.enumerated() {
                for (pixel, classes) in picks {
                    let at = sameGrid ? pixel : prediction.index(ofPixel: pixel % truth.width, pixel / truth.width, in: truth)
                    _ = CountingRule.count(labels: classes, predicted: prediction.classes(at: at), into: &draws[m][d])
                }
            }
        }
        uninformativePoints += informative.filter { !$0 }.count
    }

    func result(names: [String], images: Int) -> Evaluator.Result {
        let methods = names.enumerated().map { m, name in
            Evaluator.Scores(
                name: name, points: hasLabels ? points[m] : nil, dense: hasTruth ? dense[m] : nil, draws: hasTruth ? draws[m] : [],
                missingMasks: missing[m])
        }
        return Evaluator.Result(
            methods: methods, images: images, imagesWithoutTruth: imagesWithoutTruth, labelledPoints: labelledPoints,
            uninformativePoints: uninformativePoints, drawnPoints: drawnPoints, voidDrawnPoints: voidDrawnPoints)
    }
}
