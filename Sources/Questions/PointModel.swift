import Embedding
import Glibc
import Imaging
import Narratives
import Support

/// How the per-image model M is built and queried.
public struct PointModelOptions: Sendable {
    public var sampling = SamplingOptions()
    /// Sample in equal proportion per class of M's prediction instead of uniformly.
    public var classBalanced = false
    /// Uniform candidates the class-balanced variant chooses from.
    public var balancedCandidates = 200
    public var k = 15
    public var rule = ScoringRule.meanOfTopK
    /// Exemplars per mention at most, evenly spaced along its trace segment.
    public var exemplarsPerMention = 40
    /// Weight of the embedding classifier's belief (log-probability among the image's
    /// candidate classes, for classes it was trained on) added to M's score; 0 uses M alone.
    public var prior = 0.5
    /// Exemplars whose class the classifier gives a lower probability, among the image's
    /// classes it knows, are left out of M (a trace point that strayed onto a neighbour). A
    /// class keeps all its exemplars when every one of them would go, and classes the
    /// classifier was not trained on keep theirs. 0 keeps every exemplar.
    public var exemplarThreshold = 0.35
    /// Model candidates: a class the embedding classifier gives at least this probability,
    /// among all the classes it knows, at one of the image's sampled points becomes a candidate
    /// of the image (scored as a class only an image-level label names); 0: none, and none
    /// when `prior` is 0. On by
    /// default: it raised first-question Yes at every setting measured, with and without
    /// image-level labels (README, section 4, "Defaults and why").
    public var modelCandidates = 0.9
    /// Weight of the exemplar bank (`ExemplarBank`, kept with the model) for a candidate
    /// without traces in the image: its score gains this times how much more the point
    /// resembles that class's bank rows than the bank rows of M's best class there. 0: the
    /// bank is not used.
    public var bankWeight = 0.0
    /// Bank rows whose similarities are averaged per class.
    public var bankK = 5
    /// Spatial coherence: M's scores and the classifier's logits at a point averaged with
    /// those at `coherencePoints` points on a ring of this radius (a share of the image's
    /// longer side) whose embedding is at least `coherenceSimilarity` like the point's (the
    /// region that shares its appearance, as a superpixel would); 0: the point alone. The
    /// defaults were chosen on one set of scenes and raised first-question Yes on two others
    /// (README, section 4, "A stronger M"). The mean rule only: votes do not average.
    public var coherenceRadius = 0.05
    public var coherencePoints = 8
    public var coherenceSimilarity = 0.8
    public init() {}
}

/// One image's sampled points with M's ranked classes, and its exemplars for baselines.
public struct ImagePoints: Sendable {
    public var imageID: String
    public var width: Int
    public var height: Int
    public var points: [PointCandidates]
    /// The classes its questions may ask, in id order: those mentioned for the image, with
    /// image-level labels also those verified present, less those verified absent; with model
    /// candidates also those ranked at one of its points.
    public var candidates: [Int]
    /// Where each candidate came from.
    public var sources: [Int: CandidateSource]
    /// Exemplar positions (normalised) and classes, for the image-coordinate baseline.
    public var exemplarPositions: [(x: Float, y: Float, classID: Int)]
}

/// Builds M for each image and ranks the classes at its sampled points.
///
/// Exemplars are the embedded trace points of every mention of a dictionary class in the
/// image's narratives (all narratives of the image). A sampled point gets every candidate
/// class with exemplars ranked by M, then (with image-level labels) the candidates without
/// exemplars that the classifier knows, each scored as the best neighbour score at the point
/// plus its own classifier term, in that order; then the rest, in id order (so a later round
/// can still ask them). A class verified absent is never ranked.
public struct PointModelBuilder: Sendable {
    public var model: EmbeddingModel
    public var options: PointModelOptions
    public var workers = 2
    /// Image-level labels by image id (class ids verified present and absent); images without
    /// labels are asked about their mentioned classes alone.
    public var labels: [String: ImageLabelSet] = [:]

    public init(model: EmbeddingModel, options: PointModelOptions) {
        self.model = model
        self.options = options
    }

    /// M's ranking for the points of one image.
    public func points(
        imageID: String, image: Image, mentions: [(classID: Int, points: [TracePoint])]
    ) -> ImagePoints {
        let m = ImageModel(model: model, options: options, image: image, mentions: mentions, labels: labels[imageID])
        var samples = PointSampler.uniform(imageID: imageID, options: options.sampling)
        if options.classBalanced {
            var candidateOptions = options.sampling
            candidateOptions.pointsPerImage = options.balancedCandidates
            let candidates = PointSampler.uniform(imageID: imageID, options: candidateOptions)
            let predicted = m.rank(candidates).map { $0.first ?? -1 }
            samples = PointSampler.classBalanced(imageID: imageID, options: options.sampling, candidates: candidates, predicted: predicted)
        }
        let ranked = m.rank(samples)
        let candidates = Set(ranked.joined()).union(m.candidates).subtracting(m.absent).sorted()
        let sources = Dictionary(uniqueKeysWithValues: candidates.map { ($0, m.source(of: $0)) })
        let points = zip(samples, ranked).map { s, r in
            PointCandidates(imageID: imageID, pointIndex: s.index, x: s.x, y: s.y, ranked: r, sources: r.map { sources[$0]! })
        }
        return ImagePoints(
            imageID: imageID, width: image.width, height: image.height, points: points, candidates: candidates, sources: sources,
            exemplarPositions: m.positions)
    }

    /// One image's mentions: the trace points of each mention, with its class.
    public typealias Mentions = [(classID: Int, points: [TracePoint])]

    /// Every image of `groups` (in their order), images loaded and processed on `workers`
    /// threads in chunks; an image that fails to load is reported and skipped.
    public func run(
        _ groups: [(imageID: String, mentions: Mentions)], loadImage: @escaping @Sendable (String) throws -> Image,
        progress: ((Int, Int) -> Void)? = nil
    ) -> (images: [ImagePoints], skipped: [SkippedImage]) {
        let shares = chunkedMap(groups.count, chunk: 32, workers: workers, progress: progress) { range in
            var done: [ImagePoints] = []
            var failed: [SkippedImage] = []
            for (imageID, mentions) in groups[range] {
                do {
                    done.append(points(imageID: imageID, image: try loadImage(imageID), mentions: mentions))
                } catch {
                    failed.append(SkippedImage(imageID: imageID, reason: "\(error)"))
                }
            }
            return (done, failed)
        }
        return (shares.flatMap(\.0), shares.flatMap(\.1))
    }
}

/// M for one image: the embedded exemplars of its mentions (those the classifier finds
/// implausible left out), the neighbour model over them, and the ranking of any points.
struct ImageModel {
    let model: EmbeddingModel
    let options: PointModelOptions
    let image: Image
    let features: PixelFeatures
    /// The classes its questions may ask, ascending: mentioned, plus verified present, less verified absent.
    let candidates: [Int]
    let absent: Set<Int>
    /// The classes the image's narratives mention.
    let mentioned: Set<Int>
    /// Candidates only an image-level label names (no narrative of the image mentions them).
    let labelled: Set<Int>
    /// The candidates the classifier knows, as class ids and as its output indices.
    let known: [Int]
    let knownIndices: [Int]
    /// Every exemplar's position and class, kept or not (for overlays).
    let positions: [(x: Float, y: Float, classID: Int)]
    /// The kept exemplars' classes.
    let labels: [Int]
    let neighbours: NeighbourModel

    init(
        model: EmbeddingModel, options: PointModelOptions, image: Image, mentions: [(classID: Int, points: [TracePoint])],
        labels imageLabels: ImageLabelSet? = nil
    ) {
        self.model = model
        self.options = options
        self.image = image
        features = PixelFeatures(image: image, configuration: model.features)
        let (raw, allLabels, positions) = Self.exemplarFeatures(mentions, features: features, image: image, perMention: options.exemplarsPerMention)
        self.positions = positions
        absent = imageLabels?.absent ?? []
        mentioned = Set(mentions.map(\.classID))
        labelled = (imageLabels?.present ?? []).subtracting(mentioned).subtracting(absent)
        candidates = mentioned.union(labelled).subtracting(absent).sorted()
        let modelIndex = Dictionary(uniqueKeysWithValues: model.classes.enumerated().map { ($0.element.id, $0.offset) })
        known = candidates.filter { modelIndex[$0] != nil }
        knownIndices = known.map { modelIndex[$0]! }
        // One pass of the network gives the exemplars' embeddings and the logits that judge them.
        let pass = allLabels.isEmpty ? (embeddings: [], logits: []) : model.embedAndClassify(raw: raw, count: allLabels.count)
        var exemplars = pass.embeddings
        var labels = allLabels
        if options.exemplarThreshold > 0, known.count >= 2 {
            let judged = Self.knownLogProbabilities(
                pass.logits, count: labels.count, known: known, indices: knownIndices, classes: model.network.classCount)
            let kept = Self.plausible(labels: labels, judged: judged, known: known, threshold: options.exemplarThreshold)
            if kept.count < labels.count {
                let e = model.network.embeddingDimension
                exemplars = kept.flatMap { exemplars[($0 * e)..<(($0 + 1) * e)] }
                labels = kept.map { labels[$0] }
            }
        }
        self.labels = labels
        neighbours = NeighbourModel(
            exemplars: exemplars, dimension: model.network.embeddingDimension, labels: labels, k: options.k, rule: options.rule)
    }

    /// Raw features of at most `perMention` evenly spaced trace points per mention, their
    /// classes, and their positions.
    static func exemplarFeatures(
        _ mentions: [(classID: Int, points: [TracePoint])], features: PixelFeatures, image: Image, perMention: Int
    ) -> (raw: [Float], labels: [Int], positions: [(x: Float, y: Float, classID: Int)]) {
        var raw: [Float] = []
        var labels: [Int] = []
        var positions: [(x: Float, y: Float, classID: Int)] = []
        var row = [Float](repeating: 0, count: features.configuration.dimension)
        for m in mentions {
            let step = max(1, (m.points.count + perMention - 1) / perMention)
            for (i, p) in m.points.enumerated() where i % step == 0 {
                let (x, y) = image.pixel(normalizedX: p.x, y: p.y)
                row.withUnsafeMutableBufferPointer { features.features(x: x, y: y, into: $0) }
                raw += row
                labels.append(m.classID)
                positions.append((p.x, p.y, m.classID))
            }
        }
        return (raw, labels, positions)
    }

    /// Where a candidate came from: a mention, else a verified-present label, else the classifier.
    func source(of classID: Int) -> CandidateSource {
        mentioned.contains(classID) ? .mention : labelled.contains(classID) ? .label : .model
    }

    /// Log-probabilities among `known` for each row of logits (empty rows when it knows fewer than two).
    static func knownLogProbabilities(_ logits: [Float], count: Int, known: [Int], indices: [Int], classes k: Int) -> [[Double]] {
        guard known.count >= 2 else { return Array(repeating: [], count: count) }
        return (0..<count).map { EmbeddingModel.logSoftmax(logits[($0 * k)..<(($0 + 1) * k)], over: indices) }
    }

    /// The exemplars kept: those whose class the classifier gives at least `threshold` among
    /// the known classes (classes it does not know are kept); a class that would lose all keeps all.
    static func plausible(labels: [Int], judged: [[Double]], known: [Int], threshold: Double) -> [Int] {
        let logThreshold = log(threshold)
        var keep = labels.indices.map { r in known.firstIndex(of: labels[r]).map { judged[r][$0] >= logThreshold } ?? true }
        for c in known where !labels.indices.contains(where: { labels[$0] == c && keep[$0] }) {
            for r in labels.indices where labels[r] == c { keep[r] = true }
        }
        return labels.indices.filter { keep[$0] }
    }

    /// Each point's classes, best first: M's neighbour scores plus the classifier prior; the
    /// known candidates only image-level labels name, scored as the best neighbour score at the
    /// point plus their own prior (so the classifier decides between them and M's best); then
    /// the other candidates. Verified-absent classes are left out.
    func rank(_ samples: [SamplePoint]) -> [[Int]] {
        guard !samples.isEmpty else { return [] }
        let (embedded, logits, scores) = scored(samples)
        var ranked = scores
        // Known candidates only image-level labels or the classifier name (none without either):
        // scored beside M's classes.
        let proposed = modelCandidates(logits, count: samples.count)
        let unseen = known.filter { labelled.contains($0) } + proposed.map(\.classID)
        let (knownIDs, knownOutputs) = (known + proposed.map(\.classID), knownIndices + proposed.map(\.index))
        if options.prior > 0, !labels.isEmpty || !unseen.isEmpty {
            // Softmax over the image's candidates the classifier knows; others get its floor.
            let judged = Self.knownLogProbabilities(
                logits, count: samples.count, known: knownIDs, indices: knownOutputs, classes: model.network.classCount)
            let outputs = Dictionary(zip(knownIDs, knownOutputs), uniquingKeysWith: { a, _ in a })
            for r in ranked.indices where !judged[r].isEmpty {
                let logProbability = Dictionary(uniqueKeysWithValues: zip(knownIDs, judged[r]))
                let floor = judged[r].min() ?? 0
                let best = ranked[r].map(\.score).max() ?? 0
                let bank = bankOffsets(unseen, reference: ranked[r].first?.classID, query: embedded, row: r, outputs: outputs)
                ranked[r] =
                    (ranked[r].map { ($0.classID, $0.score + options.prior * (logProbability[$0.classID] ?? floor)) }
                    + unseen.map { ($0, best + options.prior * (logProbability[$0] ?? floor) + (bank[$0] ?? 0)) })
                    .sorted { ($0.score, $1.classID) > ($1.score, $0.classID) }
            }
        }
        // Then the other candidates: the label-only ones, and the proposals where the
        // classifier could not weigh them (it knows no other candidate of the image).
        let others = candidates + proposed.map(\.classID)
        return ranked.map { list in
            let ids = list.map(\.classID).filter { !absent.contains($0) }
            return ids + others.filter { !ids.contains($0) }
        }
    }

    /// The embeddings, logits and M's neighbour scores at the samples. With a coherence
    /// radius, the logits and scores are each the mean over the sample and the ring points
    /// around it whose embedding is at least `coherenceSimilarity` like the sample's (the
    /// region that shares its appearance); the embedding stays the sample's own.
    func scored(_ samples: [SamplePoint]) -> (embedded: [Float], logits: [Float], ranked: [[(classID: Int, score: Double)]]) {
        // Votes do not average: the vote rule ranks at the point alone.
        let ring = options.coherenceRadius > 0 && options.rule == .meanOfTopK ? max(options.coherencePoints, 1) : 0
        let per = 1 + ring
        let radius = Float(options.coherenceRadius) * Float(max(image.width, image.height))
        var q: [Float] = []
        var row = [Float](repeating: 0, count: model.features.dimension)
        for s in samples {
            let (cx, cy) = image.pixel(normalizedX: Float(s.x), y: Float(s.y))
            for j in 0..<per {
                var (x, y) = (cx, cy)
                if j > 0 {
                    let angle = 2 * Float.pi * Float(j - 1) / Float(ring)
                    x = min(max(cx + Int((radius * cos(angle)).rounded()), 0), image.width - 1)
                    y = min(max(cy + Int((radius * sin(angle)).rounded()), 0), image.height - 1)
                }
                row.withUnsafeMutableBufferPointer { features.features(x: x, y: y, into: $0) }
                q += row
            }
        }
        let n = samples.count * per
        let (e, l) = model.embedAndClassify(raw: q, count: n)
        let all = labels.isEmpty ? [[(classID: Int, score: Double)]](repeating: [], count: n) : neighbours.rankAll(queries: e, count: n)
        guard per > 1 else { return (e, l, all) }
        let (d, k) = (model.network.embeddingDimension, model.network.classCount)
        var embedded: [Float] = []
        var logits: [Float] = []
        var ranked: [[(classID: Int, score: Double)]] = []
        for i in samples.indices {
            let centre = i * per
            let members =
                [centre]
                + (1..<per).map { centre + $0 }.filter { r in
                    var dot: Float = 0
                    for j in 0..<d { dot += e[centre * d + j] * e[r * d + j] }
                    return Double(dot) >= options.coherenceSimilarity
                }
            embedded += e[(centre * d)..<((centre + 1) * d)]
            var mean = [Float](repeating: 0, count: k)
            for m in members { for j in 0..<k { mean[j] += l[m * k + j] } }
            logits += mean.map { $0 / Float(members.count) }
            var sums: [Int: Double] = [:]
            for m in members { for (c, score) in all[m] { sums[c, default: 0] += score } }
            ranked.append(
                sums.map { (classID: $0.key, score: $0.value / Double(members.count)) }
                    .sorted { a, b in a.score != b.score ? a.score > b.score : a.classID < b.classID })
        }
        return (embedded, logits, ranked)
    }

    /// For each class of `unseen` with bank rows: `bankWeight` times its bank score at the
    /// query minus that of `reference` (M's best class at the point; without one, the mean of
    /// theirs). Nothing when `reference` has no rows.
    func bankOffsets(_ unseen: [Int], reference: Int?, query: [Float], row: Int, outputs: [Int: Int]) -> [Int: Double] {
        guard options.bankWeight > 0, !model.bank.isEmpty, !unseen.isEmpty else { return [:] }
        let e = model.network.embeddingDimension
        let ids = unseen + (reference.map { [$0] } ?? [])
        let scores = model.bank.scores(
            query: query[(row * e)..<((row + 1) * e)], classes: ids.map { outputs[$0] ?? -1 }, dimension: e, k: options.bankK)
        let found = scores.prefix(unseen.count).compactMap { $0 }
        guard let base = reference != nil ? scores.last! : found.reduce(0, +) / Double(max(found.count, 1)) else { return [:] }
        var result: [Int: Double] = [:]
        for (c, score) in zip(unseen, scores) { if let score { result[c] = options.bankWeight * (score - base) } }
        return result
    }

    /// The classes the classifier gives at least `modelCandidates` probability, among all it
    /// knows, at one of `count` points, that are not candidates already nor verified absent:
    /// class ids with their output indices, in id order. None without the prior (`prior` 0:
    /// the neighbours alone rank, and the classifier proposes nothing).
    func modelCandidates(_ logits: [Float], count: Int) -> [(classID: Int, index: Int)] {
        guard options.modelCandidates > 0, options.prior > 0 else { return [] }
        let k = model.network.classCount
        let all = Array(0..<k)
        let logThreshold = log(options.modelCandidates)
        var found: Set<Int> = []
        for r in 0..<count {
            let logProbabilities = EmbeddingModel.logSoftmax(logits[(r * k)..<((r + 1) * k)], over: all)
            for (i, lp) in logProbabilities.enumerated() where lp >= logThreshold { found.insert(i) }
        }
        let taken = Set(candidates).union(absent)
        return found.map { (model.classes[$0].id, $0) }.filter { !taken.contains($0.0) }.sorted { $0.0 < $1.0 }
    }
}

/// An image's image-level labels as dictionary class ids.
public struct ImageLabelSet: Sendable, Equatable {
    public var present: Set<Int>
    public var absent: Set<Int>

    public init(present: Set<Int> = [], absent: Set<Int> = []) {
        self.present = present
        self.absent = absent
    }
}
