import Embedding
import Imaging
import Narratives
import Store
import Support

/// How trace points are sampled into a training set.
public struct TrainingSampling: Sendable {
    /// At most this many points of one mention, evenly spaced along its trace segment.
    public var pointsPerMention = 48
    /// About this many points per class at most: a class with more is subsampled uniformly
    /// (decided per point from a hash of the seed, the image id, the mention's rank among the
    /// image's training mentions and the point: nothing that depends on where the narrative
    /// was stored, so every shard of a corpus decides as one machine would).
    public var pointsPerClass = 8000
    public var seed: UInt64 = 1
    public init() {}

    public init(pointsPerMention: Int, pointsPerClass: Int, seed: UInt64) {
        self.pointsPerMention = pointsPerMention
        self.pointsPerClass = pointsPerClass
        self.seed = seed
    }

    /// The stride through a mention's `count` trace points that keeps at most
    /// `pointsPerMention` of them, evenly spaced.
    func step(_ count: Int) -> Int { max(1, (count + pointsPerMention - 1) / max(pointsPerMention, 1)) }

    /// How many of a mention's `count` points that stride keeps (49 points: every second, 25).
    func kept(_ count: Int) -> Int { count > 0 ? (count + step(count) - 1) / step(count) : 0 }
}

/// What went into a training set.
public struct TrainingDataReport: Sendable {
    public var images = 0
    public var skipped: [SkippedImage] = []
    public var mentions = 0
    public var points = 0
}

/// The training set of the embedding: trace points of the training classes' mentions, with
/// their features on the images.
public enum TrainingData {
    /// The trace points of every stored mention of `classes`, with features computed on the
    /// images `loadImage` returns (an image that fails to load is reported and skipped).
    /// Images are read and featurised on `workers` threads; the result is in image-id order
    /// whatever the thread count. `classPoints` (class id → points its mentions offer) sets
    /// the classes' sampling rates; nil: this corpus's own (`classPointCounts`), the whole
    /// corpus's when it is one shard of it.
    public static func labelledPoints(
        corpus: Corpus, classes: [EmbeddingModel.ClassLabel], features: FeatureConfiguration, sampling: TrainingSampling,
        classPoints: [Int: Int]? = nil, workers: Int = 2, loadImage: @escaping @Sendable (String) throws -> Image,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> (LabelledPoints, TrainingDataReport) {
        let perClass = try classPoints ?? classPointCounts(corpus: corpus, sampling: sampling)
        let groups = try mentionsByImage(corpus: corpus, classes: classes, sampling: sampling, classPoints: perClass)
        // Images in chunks, each split between the workers; progress between chunks.
        let collected = chunkedMap(groups.count, chunk: 32, workers: workers, progress: progress) { range -> Share in
            var out = Share()
            for index in range {
                let (imageID, mentions) = groups[index]
                do {
                    out.add(
                        image: try loadImage(imageID), id: imageID, number: Int32(index), mentions: mentions, features: features,
                        sampling: sampling)
                } catch {
                    out.skipped.append(SkippedImage(imageID: imageID, reason: "\(error)"))
                }
            }
            return out
        }
        var points = LabelledPoints(dimension: features.dimension)
        points.imageIDs = groups.map(\.0)
        var report = TrainingDataReport()
        for share in collected {
            points.features += share.rows
            points.labels += share.labels
            points.images += share.images
            points.mentions += share.mentions
            points.positions += share.positions
            report.skipped += share.skipped
            report.mentions += share.mentionCount
        }
        report.images = groups.count - report.skipped.count
        report.points = points.count
        return (points, report)
    }

    /// Per class, the points its mentions in `corpus` offer to training: what sets each
    /// class's sampling rate (summed over a corpus's shards, `embed count`).
    public static func classPointCounts(corpus: Corpus, sampling: TrainingSampling) throws -> [Int: Int] {
        try corpus.mentionPointCounts().mapValues { histogram in histogram.reduce(0) { $0 + sampling.kept($1.key) * $1.value } }
    }

    /// The training classes' mentions by image, each with its label (index in `classes`), its
    /// rank among the image's mentions and the share of its points its class keeps
    /// (`pointsPerClass` over the class's points in `classPoints`).
    static func mentionsByImage(
        corpus: Corpus, classes: [EmbeddingModel.ClassLabel], sampling: TrainingSampling, classPoints: [Int: Int]
    ) throws -> [(String, [Mention])] {
        let labelOf = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element.id, Int32($0.offset)) })
        return try corpus.trainingMentions(classes: Set(labelOf.keys)).map { group in
            (
                group.imageID,
                group.mentions.enumerated().map { rank, m in
                    Mention(
                        id: m.id, rank: rank, label: labelOf[m.classID]!,
                        rate: min(1, Double(sampling.pointsPerClass) / Double(max(classPoints[m.classID] ?? 1, 1))), points: m.points)
                }
            )
        }
    }

    /// One worker's part of the training set, in image order.
    struct Share: Sendable {
        var rows: [Float] = []
        var labels: [Int32] = []
        var images: [Int32] = []
        var mentions: [Int32] = []
        var positions: [Float] = []
        var skipped: [SkippedImage] = []
        var mentionCount = 0

        /// The kept points of one image's mentions (at most `pointsPerMention` evenly spaced
        /// per mention, then the class's sampling), with their features.
        mutating func add(
            image: Image, id: String, number: Int32, mentions: [Mention], features: FeatureConfiguration, sampling: TrainingSampling
        ) {
            let pixels = PixelFeatures(image: image, configuration: features)
            var row = [Float](repeating: 0, count: features.dimension)
            for m in mentions {
                mentionCount += 1
                let step = sampling.step(m.points.count)
                for (k, p) in m.points.enumerated() where k % step == 0 {
                    guard keep(seed: sampling.seed, image: id, mention: m.rank, point: k, rate: m.rate) else { continue }
                    let (x, y) = image.pixel(normalizedX: p.x, y: p.y)
                    row.withUnsafeMutableBufferPointer { pixels.features(x: x, y: y, into: $0) }
                    rows += row
                    labels.append(m.label)
                    images.append(number)
                    self.mentions.append(Int32(truncatingIfNeeded: m.id))
                    positions += [p.x, p.y]
                }
            }
        }
    }

    struct Mention: Sendable {
        var id: Int64
        /// Its place among its image's training mentions (narratives in the order they were
        /// ingested, mentions in caption order): the same on one machine and in a shard.
        var rank: Int
        var label: Int32
        var rate: Double
        var points: [TracePoint]
    }
}

/// Keeps a point with probability `rate`, decided by a hash of the seed, the image, the
/// mention's rank in it and the point, so the choice is reproducible wherever it is made.
func keep(seed: UInt64, image: String, mention: Int, point: Int, rate: Double) -> Bool {
    guard rate < 1 else { return true }
    let base = StableHash.fnv1a(image, basis: StableHash.mix(seed))
    let z = StableHash.mix(base &+ UInt64(mention) &* StableHash.golden &+ UInt64(point) &* 0xBF58_476D_1CE4_E5B9)
    return Double(z >> 11) / Double(1 << 53) < rate
}
