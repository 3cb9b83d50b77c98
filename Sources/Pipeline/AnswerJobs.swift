import Questions
import Store
import Support

/// `pointillist questions answers`: one answers file checked against the known questions, the
/// answers already stored and an earlier import of the same file (whose lines are skipped, so
/// a rerun stores nothing more), then its accepted answers and rejects stored together.
public struct AnswersJob {
    public struct Report: Sendable {
        public var read = 0
        public var accepted = 0
        public var rejected: [RejectedAnswer] = []
        /// Lines an earlier import of the same file already stored (`PreviousImport`).
        public var alreadyImported = 0
        /// With `skipUnknown`: answers to questions this corpus does not hold (another shard's).
        public var elsewhere = 0
    }

    let corpus: Corpus

    /// Opens the corpus once for every file the job imports.
    public init(database: String) throws {
        corpus = try Corpus.existing(database)
    }

    /// Imports one file. With `skipUnknown` (a corpus that is one shard, given every shard's
    /// answers), an answer to a question the corpus does not hold is counted as `elsewhere`,
    /// neither stored nor rejected: the shard that holds the question takes it.
    /// The file is known by its absolute path, however it was named, so that a rerun by
    /// another spelling finds the earlier import.
    public func run(file named: String, text: String, skipUnknown: Bool = false) throws -> Report {
        let file = FileSystem.absolute(named)
        let known = Set(try corpus.questions().map(\.id))
        var result = AnswerImport.parse(
            file: file, text: text, knownQuestions: known, existing: try corpus.answers(), previous: try corpus.previousImport(of: file))
        var elsewhere = 0
        if skipUnknown {
            let kept = result.rejected.filter { $0.reason != .unknownQuestion }
            elsewhere = result.rejected.count - kept.count
            result.rejected = kept
        }
        try corpus.storeAnswers(result, file: file)
        return Report(
            read: result.accepted.count + result.rejected.count + result.alreadyImported + elsewhere, accepted: result.accepted.count,
            rejected: result.rejected, alreadyImported: result.alreadyImported, elsewhere: elsewhere)
    }
}

/// `pointillist questions next`: the answers aggregated into labels, and the next round's
/// questions added for the points whose latest question got No. The rule is recorded in the
/// corpus, so that export and later rounds decide as these did.
public struct NextRoundJob {
    public var database: String
    public var rule: AggregationRequest
    public var maxRounds: Int
    /// Rounds at most, unless told otherwise: the method's campaign asked up to three classes per point.
    public static let defaultMaxRounds = 3

    public init(database: String, rule: AggregationRequest = AggregationRequest(), maxRounds: Int = NextRoundJob.defaultMaxRounds) {
        self.database = database
        self.rule = rule
        self.maxRounds = maxRounds
    }

    public func run() throws -> (labels: [String: PointLabel], added: [Question], rule: AggregationRule) {
        let corpus = try Corpus.existing(database)
        let rule = self.rule.resolved(recorded: try corpus.aggregationRule())
        let labels = Aggregation.aggregate(try corpus.answers(), rule: rule).mapValues(\.label)
        let next = Rounds.next(points: try corpus.pointCandidates(), labels: labels, asked: try corpus.questions(), maxRounds: maxRounds)
        try corpus.storeQuestions(next)
        try corpus.recordAggregationRule(rule)
        return (labels, next, rule)
    }
}
