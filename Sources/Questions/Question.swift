import Support

/// One yes/no question: "is this point of this image on this class?".
public struct Question: Sendable, Equatable, Hashable {
    /// `Question.id(imageID:pointIndex:classID:)`; stable across runs and machines.
    public var id: String
    public var imageID: String
    /// The point's index in its image's sample list.
    public var pointIndex: Int
    /// Normalised position in [0, 1), origin top-left.
    public var x: Double
    public var y: Double
    /// The class asked about (the dictionary's stable id).
    public var classID: Int
    /// 1 for the first question about a point, then one more for each class asked after a No.
    public var round: Int
    /// Why the class is a candidate of the image. Not part of the id.
    public var source: CandidateSource

    public init(
        id: String, imageID: String, pointIndex: Int, x: Double, y: Double, classID: Int, round: Int, source: CandidateSource = .mention
    ) {
        self.id = id
        self.imageID = imageID
        self.pointIndex = pointIndex
        self.x = x
        self.y = y
        self.classID = classID
        self.round = round
        self.source = source
    }

    /// A question whose id is derived from (imageID, pointIndex, classID).
    public init(imageID: String, pointIndex: Int, x: Double, y: Double, classID: Int, round: Int, source: CandidateSource = .mention) {
        self.init(
            id: Question.id(imageID: imageID, pointIndex: pointIndex, classID: classID),
            imageID: imageID, pointIndex: pointIndex, x: x, y: y, classID: classID, round: round, source: source)
    }

    /// The question's stable id: `"q"` followed by the 16 lower-case hex digits of the
    /// FNV-1a-64 hash (`StableHash.fnv1a`) of the UTF-8 text
    /// `imageID + "\u{1F}" + decimal(pointIndex) + "\u{1F}" + decimal(classID)`.
    ///
    /// The unit separator (U+001F) cannot occur in an image id, so different triples give
    /// different texts. The round is not part of the id: a class is asked at most once per
    /// point, and the id must not change if rounds are renumbered. 64 bits make a collision
    /// among a few million questions unlikely (below one in a million); stores should still
    /// refuse one.
    public static func id(imageID: String, pointIndex: Int, classID: Int) -> String {
        "q" + StableHash.hex16(StableHash.fnv1a(imageID + "\u{1F}" + String(pointIndex) + "\u{1F}" + String(classID)))
    }

    /// The question as first asked about a sampled point.
    public init(imageID: String, point: SamplePoint, classID: Int, round: Int = 1) {
        self.init(imageID: imageID, pointIndex: point.index, x: point.x, y: point.y, classID: classID, round: round)
    }
}

/// Where a candidate class of an image came from. A class with several sources records the
/// first of mention, label, model.
public enum CandidateSource: String, Sendable, Equatable, Hashable, CaseIterable {
    /// A narrative of the image mentions it.
    case mention
    /// An image-level label verifies it present, and no narrative mentions it.
    case label
    /// The embedding classifier finds it likely at one of the image's sampled points (model
    /// candidates), and neither a mention nor a label names it.
    case model
    /// Asked before sources were recorded, about a class no narrative mentions: a label or a
    /// model candidate, which is no longer known.
    case unrecorded

    /// The point-label export's `Source` value: "ln" for a Localized Narratives mention (as
    /// before sources were recorded), else the source's name.
    public var exportName: String { self == .mention ? "ln" : rawValue }
}

/// One copy of a question shown to one annotator; `replica` tells the copies apart.
public struct Assignment: Sendable, Equatable, Hashable {
    public var question: Question
    /// 0..<replication.
    public var replica: Int

    public init(question: Question, replica: Int) {
        self.question = question
        self.replica = replica
    }
}

/// How many annotators answer each question and how many assignments go in a batch file.
public struct BatchOptions: Sendable, Equatable {
    /// Copies of each question (the paper collects several answers per point).
    public var replication = 3
    /// Most assignments in one batch.
    public var size = 1000

    public init(replication: Int = 3, size: Int = 1000) {
        self.replication = replication
        self.size = size
    }
}

/// Cuts questions into batches of assignments for annotation.
public enum Batcher {
    /// Batches of assignments, deterministic for the same questions in any input order.
    ///
    /// - Order: by class id ascending, so an annotator works through one class at a time instead
    ///   of switching concept at every question;
    ///   within a class by image id (byte-wise UTF-8 order, independent of locale), then
    ///   point index, then round, then question id. A question with an id seen earlier in
    ///   that order is dropped (one question, one set of replicas).
    /// - Each question is followed at once by its replicas 0..<replication (at least 1).
    /// - Replicas never span batches: a batch holds whole questions only, as many as fit in
    ///   `size` assignments, so each batch file is self-contained (answers to it can be
    ///   aggregated without the others). When `size` is smaller than `replication`, a batch
    ///   holds one question and so `replication` assignments.
    /// - Batches are filled in order and never start a new one at a class boundary, so a
    ///   class may continue from one batch into the next.
    public static func batches(_ questions: [Question], options: BatchOptions) -> [[Assignment]] {
        let replication = max(options.replication, 1)
        let perBatch = max(options.size / replication, 1)
        let ordered = questions.sorted { a, b in
            if a.classID != b.classID { return a.classID < b.classID }
            if a.imageID != b.imageID { return a.imageID.utf8.lexicographicallyPrecedes(b.imageID.utf8) }
            if a.pointIndex != b.pointIndex { return a.pointIndex < b.pointIndex }
            if a.round != b.round { return a.round < b.round }
            return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }
        var seen = Set<String>()
        let unique = ordered.filter { seen.insert($0.id).inserted }
        var batches: [[Assignment]] = []
        var start = 0
        while start < unique.count {
            let end = min(start + perBatch, unique.count)
            var batch: [Assignment] = []
            batch.reserveCapacity((end - start) * replication)
            for question in unique[start..<end] {
                for replica in 0..<replication {
                    batch.append(Assignment(question: question, replica: replica))
                }
            }
            batches.append(batch)
            start = end
        }
        return batches
    }
}
