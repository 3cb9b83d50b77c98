/// A sampled point with the classes model M ranks for it.
public struct PointCandidates: Sendable, Equatable {
    public var imageID: String
    public var pointIndex: Int
    public var x: Double
    public var y: Double
    /// Class ids, best first (from `NeighbourModel.rank`).
    public var ranked: [Int]
    /// Where each ranked class came from, in `ranked`'s order; empty when not recorded.
    public var sources: [CandidateSource]

    public init(imageID: String, pointIndex: Int, x: Double, y: Double, ranked: [Int], sources: [CandidateSource] = []) {
        self.imageID = imageID
        self.pointIndex = pointIndex
        self.x = x
        self.y = y
        self.ranked = ranked
        self.sources = sources
    }

    /// The source of the class at `rank`: recorded, or `.unrecorded` for a point ranked before
    /// sources were recorded.
    public func source(at rank: Int) -> CandidateSource {
        rank < sources.count ? sources[rank] : .unrecorded
    }
}

/// The rounds of questions: ask a point about its best-ranked class; after a No, about the
/// next one.
public enum Rounds {
    /// The questions of the next round.
    ///
    /// For each point, in the order given (a point listed twice is handled once):
    /// - no question asked yet → its best-ranked class, round 1;
    /// - its latest question (highest round; among equal rounds the last in `asked`) has no
    ///   label yet → nothing (still being answered);
    /// - labelled Yes (found its class) or Unresolved (annotators could not agree, so asking
    ///   about other classes would not settle it) → nothing, the point is done;
    /// - labelled No → the best-ranked class not yet asked at this point, round + 1, unless
    ///   that round would exceed `maxRounds` or every ranked class has been asked.
    public static func next(points: [PointCandidates], labels: [String: PointLabel], asked: [Question], maxRounds: Int) -> [Question] {
        struct Key: Hashable {
            var image: String
            var point: Int
        }
        var history: [Key: [Question]] = [:]
        for question in asked {
            history[Key(image: question.imageID, point: question.pointIndex), default: []].append(question)
        }
        var done = Set<Key>()
        var result: [Question] = []
        for point in points {
            let key = Key(image: point.imageID, point: point.pointIndex)
            guard done.insert(key).inserted else { continue }
            let previous = history[key] ?? []
            var round = 1
            if let latest = previous.reversed().max(by: { $0.round < $1.round }) {
                guard labels[latest.id] == .no else { continue }
                round = latest.round + 1
            }
            guard round <= maxRounds else { continue }
            let askedClasses = Set(previous.map(\.classID))
            guard let rank = point.ranked.firstIndex(where: { !askedClasses.contains($0) }) else { continue }
            result.append(
                Question(
                    imageID: point.imageID, pointIndex: point.pointIndex, x: point.x, y: point.y, classID: point.ranked[rank], round: round,
                    source: point.source(at: rank)))
        }
        return result
    }
}
