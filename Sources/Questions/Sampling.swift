import Support

/// A point of an image to ask about, in normalised coordinates.
public struct SamplePoint: Sendable, Equatable, Hashable {
    /// Position in the image's sample list (0-based); with the image id it names the point.
    public var index: Int
    /// Horizontal position in [0, 1), 0 at the left edge.
    public var x: Double
    /// Vertical position in [0, 1), 0 at the top edge.
    public var y: Double

    public init(index: Int, x: Double, y: Double) {
        self.index = index
        self.x = x
        self.y = y
    }
}

/// How many points each image gets and the seed that, with the image id, fixes them.
public struct SamplingOptions: Sendable, Equatable {
    /// Points per image (the paper asks about a handful of points per image).
    public var pointsPerImage = 11
    /// Changes every image's points; the same seed and image id always give the same points.
    public var seed: UInt64 = 1

    public init(pointsPerImage: Int = 11, seed: UInt64 = 1) {
        self.pointsPerImage = pointsPerImage
        self.seed = seed
    }
}

/// Chooses the points of an image to ask questions about.
///
/// **Uniform** sampling is Mitchell's best-candidate algorithm: the first point is uniform in
/// the unit square; each further point is the one, among `candidatesPerPoint` uniform
/// candidates, farthest from every point already chosen. Distances are measured on the torus
/// (wrapping at the edges) so that the edges and corners, which are "far from everything" in
/// the plain square, are not favoured: the density stays uniform while points keep apart
/// like a blue-noise pattern. The sequence is progressive — any prefix is itself well
/// spread — which `classBalanced` relies on.
///
/// The random stream is SplitMix64 seeded from FNV-1a-64 of the image id and the seed (see
/// `StableHash`); coordinates come from the top 53 bits of each word and distances are
/// compared squared (no square roots, no platform maths), so the points are bit-identical on
/// every machine.
public enum PointSampler {
    /// Candidates drawn for each new point: more push points further apart, at linear cost.
    public static let candidatesPerPoint = 24

    /// `options.pointsPerImage` spatially uniform, well-spread points for `imageID`, indexed
    /// 0..<n in the order they were chosen. Cost is O(n² · candidatesPerPoint): fine for the
    /// hundreds of candidates `classBalanced` is given.
    public static func uniform(imageID: String, options: SamplingOptions) -> [SamplePoint] {
        let count = max(options.pointsPerImage, 0)
        var random = SplitMix64(key: imageID, seed: options.seed, purpose: 1)
        var points: [SamplePoint] = []
        points.reserveCapacity(count)
        for index in 0..<count {
            var bestX = random.unit()
            var bestY = random.unit()
            if !points.isEmpty {
                var bestDistance = nearestSquaredDistance(bestX, bestY, points)
                for _ in 1..<candidatesPerPoint {
                    let x = random.unit()
                    let y = random.unit()
                    let distance = nearestSquaredDistance(x, y, points)
                    if distance > bestDistance {
                        (bestX, bestY, bestDistance) = (x, y, distance)
                    }
                }
            }
            points.append(SamplePoint(index: index, x: bestX, y: bestY))
        }
        return points
    }

    /// The "uniform class-balanced" variant: from `candidates` (many uniform points, e.g.
    /// `uniform` with a larger `pointsPerImage`) whose class predicted by the image's model is
    /// `predicted[i]`, picks `options.pointsPerImage` points so that every predicted class gets
    /// as near as possible the same number.
    ///
    /// Quotas are dealt round-robin over the predicted classes in an order shuffled by
    /// (imageID, seed), skipping a class once its candidates run out; so counts differ by at
    /// most one between classes that still had candidates, and which classes get the extra
    /// point is reproducible but not always the smallest class id. Within a class, candidates
    /// are taken in the order given (a prefix of a progressive uniform sequence is itself well
    /// spread). The chosen points keep the candidates' relative order and are re-indexed
    /// 0..<n. Fewer candidates than points: all of them. Extra `predicted` entries, or
    /// candidates without a prediction, are ignored.
    public static func classBalanced(
        imageID: String, options: SamplingOptions, candidates: [SamplePoint], predicted: [Int]
    ) -> [SamplePoint] {
        let usable = min(candidates.count, predicted.count)
        let wanted = max(options.pointsPerImage, 0)
        // Candidate positions per class, in the given order.
        var members: [Int: [Int]] = [:]
        for position in 0..<usable {
            members[predicted[position], default: []].append(position)
        }
        var classes = members.keys.sorted()
        // Fisher–Yates with the image's own stream: which classes get the remainder.
        var random = SplitMix64(key: imageID, seed: options.seed, purpose: 2)
        if classes.count > 1 {
            for i in stride(from: classes.count - 1, to: 0, by: -1) {
                classes.swapAt(i, random.unbiasedBelow(i + 1))
            }
        }
        var taken = [Int](repeating: 0, count: classes.count)
        var chosen: [Int] = []
        chosen.reserveCapacity(min(wanted, usable))
        var progress = true
        while chosen.count < wanted && progress {
            progress = false
            for (slot, classID) in classes.enumerated() where chosen.count < wanted {
                let list = members[classID] ?? []
                if taken[slot] < list.count {
                    chosen.append(list[taken[slot]])
                    taken[slot] += 1
                    progress = true
                }
            }
        }
        return chosen.sorted().enumerated().map { index, position in
            SamplePoint(index: index, x: candidates[position].x, y: candidates[position].y)
        }
    }

    /// Squared toroidal distance from (x, y) to the nearest of `points`.
    private static func nearestSquaredDistance(_ x: Double, _ y: Double, _ points: [SamplePoint]) -> Double {
        var best = Double.infinity
        for point in points {
            var dx = abs(point.x - x)
            var dy = abs(point.y - y)
            if dx > 0.5 { dx = 1 - dx }
            if dy > 0.5 { dy = 1 - dy }
            let distance = dx * dx + dy * dy
            if distance < best { best = distance }
        }
        return best
    }
}

extension SplitMix64 {
    /// The stream for `purpose` on `key` (an image id) under `seed`: the key's FNV-1a hash and
    /// the seed are mixed separately before combining, so neither a different key nor a
    /// different seed can give back the same state by cancellation. Each (image, seed,
    /// purpose) has its own stream, so the points of one image do not depend on which other
    /// images were sampled or in what order.
    init(key: String, seed: UInt64, purpose: UInt64) {
        self.init(
            seed: StableHash.mix(StableHash.fnv1a(key)) &+ StableHash.mix(seed ^ 0x51_7E57_10E5)
                &+ StableHash.mix(purpose &* StableHash.golden))
    }
}
