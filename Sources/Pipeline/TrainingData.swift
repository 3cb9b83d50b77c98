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
    /// (decided per point from a hash of the seed, the mention and the point).
    public var pointsPerClass = 8000
    public var seed: UInt64 = 1
    public init() {}
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
    /// whatever the thread count.
    public static func labelledPoints(
        corpus: Corpus, classes: [EmbeddingModel.ClassLabel], features: FeatureConfiguration, sampling: TrainingSampling,
        workers: Int = 2, loadImage: @escaping @Sendable (String) throws -> Image,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> (LabelledPoints, TrainingDataReport) {
        let labelOf = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element.id, Int32($0.offset)) })
        // Count first, for the per-class sampling rate.
        let perClass = try corpus.trainingPointCounts(pointsPerMention: sampling.pointsPerMention)
        let byImage = try corpus.trainingMentions(classes: Set(labelOf.keys)).map { group in
            (
                group.imageID,
                group.mentions.map { m in
                    Mention(
                        id: m.id, label: labelOf[m.classID]!,
                        rate: min(1, Double(sampling.pointsPerClass) / Double(max(perClass[m.classID] ?? 1, 1))), points: m.points)
                }
            )
        }
        struct Share: Sendable {
            var rows: [Float] = []
            var labels: [Int32] = []
            var images: [Int32] = []
            var mentions: [Int32] = []
            var positions: [Float] = []
            var skipped: [SkippedImage] = []
            var mentionCount = 0
        }
        let total = byImage.count
        let groups = byImage
        let pointsPerMention = sampling.pointsPerMention
        let seed = sampling.seed
        let dimension = features.dimension
        // Images in chunks, each split between the workers; progress between chunks.
        let collected = chunkedMap(total, chunk: 32, workers: workers, progress: progress) { range -> Share in
            var out = Share()
            for index in range {
                let (imageID, mentions) = groups[index]
                do {
                    let image = try loadImage(imageID)
                    let pixels = PixelFeatures(image: image, configuration: features)
                    var row = [Float](repeating: 0, count: dimension)
                    for m in mentions {
                        out.mentionCount += 1
                        let step = max(1, (m.points.count + pointsPerMention - 1) / pointsPerMention)
                        for (k, p) in m.points.enumerated() where k % step == 0 {
                            guard keep(seed: seed, mention: m.id, point: k, rate: m.rate) else { continue }
                            let (x, y) = image.pixel(normalizedX: p.x, y: p.y)
                            row.withUnsafeMutableBufferPointer { pixels.features(x: x, y: y, into: $0) }
                            out.rows += row
                            out.labels.append(m.label)
                            out.images.append(Int32(index))
                            out.mentions.append(Int32(truncatingIfNeeded: m.id))
                            out.positions += [p.x, p.y]
                        }
                    }
                } catch {
                    out.skipped.append(SkippedImage(imageID: imageID, reason: "\(error)"))
                }
            }
            return out
        }
        var points = LabelledPoints(dimension: dimension)
        points.imageIDs = byImage.map(\.0)
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
        report.images = total - report.skipped.count
        report.points = points.count
        return (points, report)
    }

    struct Mention: Sendable {
        var id: Int64
        var label: Int32
        var rate: Double
        var points: [TracePoint]
    }
}

/// Keeps a point with probability `rate`, decided by a hash so the choice is reproducible.
func keep(seed: UInt64, mention: Int64, point: Int, rate: Double) -> Bool {
    guard rate < 1 else { return true }
    let z = StableHash.mix(seed &+ UInt64(bitPattern: mention) &* StableHash.golden &+ UInt64(point) &* 0xBF58_476D_1CE4_E5B9)
    return Double(z >> 11) / Double(1 << 53) < rate
}
