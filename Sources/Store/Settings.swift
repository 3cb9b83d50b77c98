import Narratives
import Questions
import Support
import Vocabulary

/// Every setting a corpus records, in the `settings(key, value)` table, so that later
/// commands never need to be told them again:
///
/// | key | written by | value |
/// |---|---|---|
/// | `segment.margin`, `segment.minimum_points`, `segment.out_of_image` | the first ingest | the word-segment settings (`TraceSegmenter`), fixed for the corpus's life |
/// | `vocabulary` | `vocab build` | `building` while a build runs, `complete` when its last batch has committed |
/// | `vocabulary.min_mentions`, `vocabulary.train_classes` | `vocab build` | the last build's `DictionaryOptions`, for `vocab review` |
/// | `questions.aggregation` | `questions next` | the rule the rounds were decided by (`unanimous 2`, `majority 3`), which `questions export` and later rounds use unless told otherwise |
enum Settings {
    static let segmentMargin = "segment.margin"
    static let segmentMinimumPoints = "segment.minimum_points"
    static let segmentOutOfImage = "segment.out_of_image"
    static let vocabulary = "vocabulary"
    static let minimumMentions = "vocabulary.min_mentions"
    static let trainClasses = "vocabulary.train_classes"
    static let aggregation = "questions.aggregation"

    static func value(_ key: String, in database: Database) throws(PointillistError) -> String? {
        let s = try database.prepare("SELECT value FROM settings WHERE key = ?")
        try s.bind([.text(key)])
        return try s.step() ? s.text("value") : nil
    }

    /// Stores `value` unless the key already has one.
    static func setDefault(_ key: String, _ value: String, in database: Database) throws(PointillistError) {
        try database.prepare("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)").run([.text(key), .text(value)])
    }

    static func set(_ key: String, _ value: String, in database: Database) throws(PointillistError) {
        try database.prepare("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .run([.text(key), .text(value)])
    }

    /// A dictionary build starts: its options recorded, the build marked under way.
    static func recordBuild(_ options: DictionaryOptions, in database: Database) throws(PointillistError) {
        try set(vocabulary, "building", in: database)
        try set(minimumMentions, String(options.minimumMentions), in: database)
        try set(trainClasses, String(options.trainClasses), in: database)
    }

    static func markBuildComplete(in database: Database) throws(PointillistError) {
        try set(vocabulary, "complete", in: database)
    }
}

extension Corpus {
    /// Whether word-segment settings are recorded (by a first ingest).
    public func hasSegmentSettings() throws(PointillistError) -> Bool {
        try Settings.value(Settings.segmentMargin, in: database) != nil
    }

    /// The word-segment settings recorded at the first ingest (the standard ones if none).
    public func segmenter() throws(PointillistError) -> TraceSegmenter {
        let standard = TraceSegmenter.standard
        func value(_ key: String) throws(PointillistError) -> String? { try Settings.value(key, in: database) }
        return TraceSegmenter(
            margin: try value(Settings.segmentMargin).flatMap(Float.init) ?? standard.margin,
            minimumPoints: try value(Settings.segmentMinimumPoints).flatMap { Int($0) } ?? standard.minimumPoints,
            outOfImage: try value(Settings.segmentOutOfImage).flatMap(OutOfImagePolicy.init(rawValue:)) ?? standard.outOfImage)
    }

    /// Records `segmenter` as the corpus setting unless one is recorded (the three values in
    /// one transaction: an interrupted first ingest records all or none); returns the one in force.
    public func fixSegmenter(_ segmenter: TraceSegmenter) throws(PointillistError) -> TraceSegmenter {
        do {
            try database.transaction { () throws(PointillistError) in
                try Settings.setDefault(Settings.segmentMargin, "\(segmenter.margin)", in: database)
                try Settings.setDefault(Settings.segmentMinimumPoints, "\(segmenter.minimumPoints)", in: database)
                try Settings.setDefault(Settings.segmentOutOfImage, segmenter.outOfImage.rawValue, in: database)
            }
        } catch let error as PointillistError {
            throw error
        } catch {
            throw PointillistError("\(error)", doing: "recording the word-segment settings in \(path)")
        }
        return try self.segmenter()
    }

    /// The aggregation rule the last `questions next` decided its rounds by; nil before one ran.
    public func aggregationRule() throws(PointillistError) -> AggregationRule? {
        guard let text = try Settings.value(Settings.aggregation, in: database) else { return nil }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let n = Int(parts[1]), let kind = AggregationRule.Kind(rawValue: String(parts[0])) else {
            throw PointillistError("setting \(Settings.aggregation) is '\(text)', not a rule such as 'unanimous 2'", doing: "reading \(path)")
        }
        return AggregationRule(minimumAnswers: n, kind: kind)
    }

    public func recordAggregationRule(_ rule: AggregationRule) throws(PointillistError) {
        try Settings.set(Settings.aggregation, "\(rule.kind.rawValue) \(rule.minimumAnswers)", in: database)
    }

    /// Whether a dictionary build has completed (`nil`: never run; `false`: interrupted).
    public func vocabularyComplete() throws(PointillistError) -> Bool? {
        try Settings.value(Settings.vocabulary, in: database).map { $0 == "complete" }
    }

    /// The settings the last dictionary build recorded; the defaults for a corpus built
    /// before builds recorded them.
    public func dictionaryOptions() throws(PointillistError) -> DictionaryOptions {
        let standard = DictionaryOptions()
        func number(_ key: String) throws(PointillistError) -> Int? { try Settings.value(key, in: database).flatMap { Int($0) } }
        return DictionaryOptions(
            minimumMentions: try number(Settings.minimumMentions) ?? standard.minimumMentions,
            trainClasses: try number(Settings.trainClasses) ?? standard.trainClasses)
    }
}
