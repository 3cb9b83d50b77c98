import Support

/// Typical embedded trace points of each trained class, taken from many images when the model
/// is trained: what M compares a point with for a class the image has no trace of (a class
/// only an image-level label or the classifier names).
///
/// A class's rows are training points whose label the final classifier finds plausible on
/// their own image (so strays onto a neighbour are left out), chosen by a stable hash of
/// (image id, the point's place among its image's points), at most `perImage` from one image,
/// so the choice is the same on one machine and from merged shards.
public struct ExemplarBank: Sendable, Equatable {
    /// Rows per class, in the model's class order (empty: no bank).
    public var counts: [Int]
    /// L2-normalised embeddings, class after class, `counts[c]` rows each.
    public var rows: [Float]

    public init(counts: [Int] = [], rows: [Float] = []) {
        self.counts = counts
        self.rows = rows
    }

    public var isEmpty: Bool { rows.isEmpty }

    /// The bank for `model` from the points it was trained on: at most `perClass` rows a class.
    public static func build(points: LabelledPoints, model: EmbeddingModel, perClass: Int = 64, perImage: Int = 4, plausibility: Double = 0.35)
        -> ExemplarBank
    {
        let classes = model.classes.count
        guard perClass > 0, points.count > 0 else { return ExemplarBank() }
        let plausible = Trainer.plausibleLabels(points, model: model, threshold: plausibility)
        // Each plausible point's key; points of an image are contiguous, numbered from 0.
        var byClass = [[(key: UInt64, image: Int32, row: Int)]](repeating: [], count: classes)
        var ordinal = 0
        for i in 0..<points.count {
            ordinal = i > 0 && points.images[i] == points.images[i - 1] ? ordinal + 1 : 0
            let label = Int(points.labels[i])
            guard plausible[i], label >= 0, label < classes else { continue }
            let id = points.imageIDs[Int(points.images[i])]
            byClass[label].append((StableHash.fnv1a(id + "\u{1F}" + String(ordinal)), points.images[i], i))
        }
        var chosen: [Int] = []
        var counts: [Int] = []
        for candidates in byClass {
            var perImageTaken: [Int32: Int] = [:]
            var taken: [Int] = []
            for c in candidates.sorted(by: { ($0.key, $0.row) < ($1.key, $1.row) }) where taken.count < perClass {
                guard perImageTaken[c.image, default: 0] < perImage else { continue }
                perImageTaken[c.image, default: 0] += 1
                taken.append(c.row)
            }
            counts.append(taken.count)
            chosen += taken
        }
        let d = points.dimension
        var raw: [Float] = []
        raw.reserveCapacity(chosen.count * d)
        for row in chosen { raw += points.features[(row * d)..<((row + 1) * d)] }
        guard !chosen.isEmpty else { return ExemplarBank() }
        return ExemplarBank(counts: counts, rows: model.embed(raw: raw, count: chosen.count))
    }

    /// For each class index in `classes`, the mean cosine similarity of the `k` bank rows of
    /// that class most similar to the L2-normalised `query` (nil for a class without rows).
    public func scores(query: ArraySlice<Float>, classes: [Int], dimension: Int, k: Int) -> [Double?] {
        var starts = [0]
        for n in counts { starts.append(starts.last! + n) }
        let base = query.startIndex
        return classes.map { c -> Double? in
            guard c >= 0, c < counts.count, counts[c] > 0 else { return nil }
            var similarities: [Float] = []
            for r in starts[c]..<starts[c + 1] {
                var dot: Float = 0
                for j in 0..<dimension { dot += rows[r * dimension + j] * query[base + j] }
                similarities.append(dot)
            }
            let top = similarities.sorted(by: >).prefix(max(k, 1))
            return Double(top.reduce(0, +)) / Double(top.count)
        }
    }
}
