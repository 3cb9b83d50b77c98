import Lexicon
import Narratives
import Support
import Vocabulary

/// What a dictionary build did, for the summary.
public struct VocabularyReport: Sendable {
    public var narratives = 0
    public var candidates = 0
    public var keptCandidates = 0
    public var verdicts: [String: Int] = [:]
    public var rulesFired: [RuleSource: Int] = [:]
    public var classes = 0
    public var keptIDs = 0
    public var newIDs = 0
    /// Mentions of dictionary classes written, and how many of them have trace points.
    public var mentions = 0
    public var mentionsWithPoints = 0
    public var points = 0
    public var nearMisses = 0
    /// Seconds spent counting (pass 1, with the dictionary's decisions) and writing (pass 2,
    /// with the indexes and the final sync).
    public var countingSeconds = 0.0
    public var writingSeconds = 0.0

    /// What the first pass counted and the dictionary decided.
    mutating func record(_ tally: DictionaryTally, _ dictionary: ClassDictionary) {
        candidates = tally.candidates
        keptCandidates = tally.kept
        verdicts = tally.verdicts
        rulesFired = tally.rulesFired
        classes = dictionary.classes.count
        keptIDs = dictionary.keptIDs
        newIDs = dictionary.newIDs
        nearMisses = dictionary.nearMisses.count
    }
}

/// Builds the class dictionary from an ingested corpus and stores every mention of its
/// classes with its time span and trace points.
///
/// Two passes over the narratives, in id order: the first extracts candidates and counts them
/// (the frequency filter needs the whole corpus); the second extracts again and writes the
/// mentions of the classes kept. Extraction is deterministic, so both passes agree. The
/// tables `classes`, `mentions` and `near_misses` are replaced whole; the setting
/// `vocabulary` is `building` until the last batch commits, then `complete`, so an
/// interrupted build is visible and a rerun starts it over and ends in the same state.
public struct VocabularyBuild: Sendable {
    public var extractor: MentionExtractor
    public var options: DictionaryOptions
    public var openImages: OpenImagesClasses?
    public var workers = 2
    public var batchSize = 2048

    public init(extractor: MentionExtractor, options: DictionaryOptions, openImages: OpenImagesClasses?) {
        self.extractor = extractor
        self.options = options
        self.openImages = openImages
    }

    public enum Phase: String, Sendable {
        case counting = "counting mentions"
        case writing = "writing mentions"
    }

    /// Runs the build. `previousIDs` (synset → id) keeps ids stable across rebuilds.
    /// `progress` gets the phase, narratives done and the total.
    public func run(
        corpus: Corpus, previousIDs: [String: Int], progress: ((Phase, Int, Int) -> Void)? = nil
    ) throws -> (ClassDictionary, VocabularyReport) {
        let db = corpus.database
        // As in ingest: batches commit without fsync (each commit stays atomic against the
        // process being killed) and the file is synced once the build is complete; pages stay
        // cached between batches instead of being read back.
        try db.execute("PRAGMA synchronous = OFF; PRAGMA cache_size = -32768")
        defer { try? db.execute("PRAGMA cache_size = -2000; PRAGMA synchronous = NORMAL") }
        var report = VocabularyReport()
        report.narratives = Int(try db.scalar("SELECT count(*) FROM narratives"))
        let clock = ContinuousClock()
        let started = clock.now
        // Each worker keeps its memo from batch to batch and from the first pass to the second.
        let memos = Borrowed { ExtractionMemo() }

        let tally = try countMentions(db, total: report.narratives, memos: memos, progress: progress)
        let dictionary = ClassDictionary(
            tally: tally, extractor: extractor, options: options, previous: previousIDs, openImages: openImages)
        report.record(tally, dictionary)
        let counted = clock.now
        report.countingSeconds = (counted - started) / .seconds(1)

        try replaceTables(db, with: dictionary)
        try writeMentions(corpus, of: dictionary, total: report.narratives, memos: memos, progress: progress, report: &report)
        try db.transaction { () throws(StoreError) in
            try db.execute(Corpus.mentionIndexes)
            try db.execute("UPDATE settings SET value = 'complete' WHERE key = 'vocabulary'")
        }
        db.syncFile()
        report.writingSeconds = (clock.now - counted) / .seconds(1)
        return (dictionary, report)
    }

    /// Pass 1: every caption's candidates, counted. Workers extract one batch while this
    /// thread reads the next.
    func countMentions(
        _ db: Database, total: Int, memos: Borrowed<ExtractionMemo>, progress: ((Phase, Int, Int) -> Void)?
    ) throws -> DictionaryTally {
        var tally = DictionaryTally()
        var imageNumbers: [String: Int32] = [:]
        let (workers, extractor) = (self.workers, self.extractor)
        let counting = try batches(db, phase: .counting, total: total, progress: progress)
        try pipelined(
            next: { () throws -> ([Row], [Int32])? in
                guard let rows = try counting.next() else { return nil }
                let images = rows.map { row in
                    if let n = imageNumbers[row.image] { return n }
                    let n = Int32(imageNumbers.count)
                    imageNumbers[row.image] = n
                    return n
                }
                return (rows, images)
            },
            work: { rows, images in
                parallelMap(rows.count, workers: workers) { range in
                    memos.with { memo in
                        var t = DictionaryTally()
                        for i in range {
                            let caption = rows[i].caption
                            t.add(extractor.candidates(in: caption, memo: &memo), caption: caption, image: images[i])
                        }
                        return t
                    }
                }
            },
            consume: { tallies in
                for t in tallies { tally.merge(t) }
                counting.done(tallies.reduce(0) { $0 + $1.captions })
            })
        return tally
    }

    /// Replaces the classes and near-misses, empties the mentions and marks the build as
    /// under way, in one transaction.
    func replaceTables(_ db: Database, with dictionary: ClassDictionary) throws {
        try db.transaction { () throws(StoreError) in
            // The mentions' indexes are built once, after the last batch (`mentionIndexes`):
            // sorting 400k keys at the end costs less than keeping two B-trees in order.
            try db.execute(
                "DROP INDEX IF EXISTS mentions_by_class; DROP INDEX IF EXISTS mentions_by_narrative; "
                    + "DELETE FROM mentions; DELETE FROM classes; DELETE FROM near_misses;")
            let record = try db.prepare(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            // The build's settings, for the commands that explain its decisions later (`vocab review`).
            for (key, value) in [
                ("vocabulary", "building"), ("vocabulary.min_mentions", String(options.minimumMentions)),
                ("vocabulary.train_classes", String(options.trainClasses)),
            ] {
                try record.run([.text(key), .text(value)])
            }
            let insertClass = try db.prepare(
                "INSERT INTO classes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for c in dictionary.classes {
                try insertClass.run([
                    .integer(Int64(c.id)), .text(c.name), .text(c.sense), .text(c.synset), .text(c.ili), .text(c.lexFile),
                    .integer(Int64(c.mentions)), .integer(Int64(c.images)), .integer(c.train ? 1 : 0), .text(c.openImagesMID),
                    .text(c.openImagesName), .integer(Int64(c.ambiguous)), .text(c.variants), .text(c.gloss),
                    .text(c.examples.joined(separator: "\n")), .text(c.rules),
                ])
            }
            let insertMiss = try db.prepare(
                "INSERT INTO near_misses(lemma, sense, verdict, reason, mentions, examples) VALUES (?, ?, ?, ?, ?, ?)")
            for m in dictionary.nearMisses {
                try insertMiss.run([
                    .text(m.lemma), .text(m.sense), .text(m.verdict), .text(m.reason), .integer(Int64(m.mentions)),
                    .text(m.examples.joined(separator: "\n")),
                ])
            }
        }
    }

    /// Pass 2: the mentions of the dictionary's classes, stored with their time spans and
    /// trace points. Workers unpack, extract and locate one batch while this thread stores
    /// the one before and reads the one after; each batch commits on its own.
    func writeMentions(
        _ corpus: Corpus, of dictionary: ClassDictionary, total: Int, memos: Borrowed<ExtractionMemo>,
        progress: ((Phase, Int, Int) -> Void)?, report: inout VocabularyReport
    ) throws {
        let db = corpus.database
        let (workers, extractor) = (self.workers, self.extractor)
        var classIDs: [Int32: Int] = [:]
        for c in dictionary.classes {
            if let s = extractor.lexicon.synset(id: c.synset) { classIDs[s] = c.id }
        }
        let classOf = classIDs
        let segmenter = try corpus.segmenter()
        let insert = try db.prepare(
            """
            INSERT INTO mentions(narrative_id, class_id, start, length, first_word, word_count, surface, lemma,
                                 start_time, end_time, point_count, interpolated, points)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let writing = try batches(db, phase: .writing, total: total, progress: progress)
        try pipelined(
            next: { try writing.next() },
            work: { rows in
                (
                    rows.count,
                    parallelMap(rows.count, workers: workers) { range in
                        memos.with { memo in
                            Swift.Result {
                                try StoredMention.locate(in: rows[range], classOf: classOf, extractor: extractor, segmenter: segmenter, memo: &memo)
                            }
                        }
                    }
                )
            },
            consume: { count, shares in
                try db.transaction { () throws in
                    for share in shares {
                        for m in try share.get() {
                            try insert.runBorrowingBlobs([
                                .integer(m.narrativeID), .integer(Int64(m.classID)), .integer(Int64(m.start)),
                                .integer(Int64(m.length)), .integer(Int64(m.firstWord)), .integer(Int64(m.wordCount)),
                                .text(m.surface), .text(m.lemma), m.startTime.map { .real(Double($0)) } ?? .null,
                                m.endTime.map { .real(Double($0)) } ?? .null, .integer(Int64(m.pointCount)),
                                .integer(m.interpolated ? 1 : 0), .blob(m.points),
                            ])
                            report.mentions += 1
                            if m.pointCount > 0 { report.mentionsWithPoints += 1 }
                            report.points += m.pointCount
                        }
                    }
                }
                writing.done(count)
            })
    }

    /// A narrative as the passes read it; `words` and `traces` are the stored blobs, left
    /// empty by the counting pass, unpacked by the workers.
    struct Row: Sendable {
        var id: Int64
        var image: String
        var caption: String
        var words: [UInt8]
        var traces: [UInt8]
    }

    /// Reads narratives in id order, `batchSize` at a time, and reports progress as batches are done.
    final class Batches {
        let select: Statement
        let withGeometry: Bool
        let phase: Phase
        let total: Int
        let progress: ((Phase, Int, Int) -> Void)?
        var last: Int64 = 0
        var done = 0

        init(select: Statement, withGeometry: Bool, phase: Phase, total: Int, progress: ((Phase, Int, Int) -> Void)?) {
            self.select = select
            self.withGeometry = withGeometry
            self.phase = phase
            self.total = total
            self.progress = progress
            progress?(phase, 0, total)
        }

        /// The next batch, or nil after the last.
        func next() throws(StoreError) -> [Row]? {
            try select.bind([.integer(last)])
            var rows: [Row] = []
            while try select.step() {
                rows.append(
                    Row(
                        id: select.int64(0), image: select.text(1), caption: select.text(2),
                        words: withGeometry ? select.blob(3) : [], traces: withGeometry ? select.blob(4) : []))
            }
            guard let tail = rows.last else { return nil }
            last = tail.id
            return rows
        }

        /// `count` more narratives are done.
        func done(_ count: Int) {
            done += count
            progress?(phase, done, total)
        }
    }

    func batches(
        _ db: Database, phase: Phase, total: Int, progress: ((Phase, Int, Int) -> Void)?
    ) throws(StoreError) -> Batches {
        // Counting needs the captions only; writing also the words and traces, to locate mentions.
        let geometry = phase == .writing
        let columns = geometry ? "id, image_id, caption, words, traces" : "id, image_id, caption"
        let select = try db.prepare("SELECT \(columns) FROM narratives WHERE id > ? ORDER BY id LIMIT \(batchSize)")
        return Batches(select: select, withGeometry: geometry, phase: phase, total: total, progress: progress)
    }
}

/// A mention located in time and on the image, ready to store.
struct StoredMention: Sendable {
    var narrativeID: Int64
    var classID: Int
    var start: Int
    var length: Int
    var firstWord: Int
    var wordCount: Int
    var surface: String
    var lemma: String
    var startTime: Float?
    var endTime: Float?
    var pointCount: Int
    var interpolated: Bool
    /// The points, packed as a one-segment trace (`Packing.pack(_: Traces)`).
    var points: [UInt8]

    /// The points blob of a mention without points, packed once.
    static let noPoints = Packing.pack(Traces())

    /// The mentions of the dictionary's classes in `rows`.
    static func locate(
        in rows: ArraySlice<VocabularyBuild.Row>, classOf: [Int32: Int], extractor: MentionExtractor,
        segmenter: TraceSegmenter, memo: inout ExtractionMemo
    ) throws -> [StoredMention] {
        var found: [StoredMention] = []
        for row in rows {
            let words = try row.words.withUnsafeBytes { (b) throws(Packing.Corrupt) in try Packing.unpackWords(b) }
            let traces = try row.traces.withUnsafeBytes { (b) throws(Packing.Corrupt) in try Packing.unpackTraces(b) }
            for c in extractor.candidates(in: row.caption, memo: &memo) where c.verdict.isKept {
                guard let synset = c.synset, let classID = classOf[synset] else { continue }
                found.append(locate(c, classID: classID, narrative: row.id, words: words, traces: traces, segmenter: segmenter))
            }
        }
        return found
    }

    /// The time span covers the aligned words of the mention; the points are the trace
    /// segment of that span, cut as word segments are (`TraceSegmenter`).
    static func locate(
        _ c: Candidate, classID: Int, narrative: Int64, words: [Word], traces: Traces, segmenter: TraceSegmenter
    ) -> StoredMention {
        var m = StoredMention(
            narrativeID: narrative, classID: classID, start: c.start, length: c.length, firstWord: c.tokens.lowerBound,
            wordCount: c.tokens.count, surface: c.surface, lemma: c.lemma, startTime: nil, endTime: nil, pointCount: 0,
            interpolated: false, points: noPoints)
        // Words were tokenised the same way at ingest, so token i is word i; check the span anyway.
        guard c.tokens.upperBound <= words.count, words[c.tokens.lowerBound].start == c.start else { return m }
        var from = Float.infinity
        var to = -Float.infinity
        for w in words[c.tokens] where w.isAligned {
            from = min(from, w.startTime)
            to = max(to, w.endTime)
        }
        guard from <= to else { return m }
        m.startTime = from
        m.endTime = to
        let span = Word(start: c.start, length: c.length, status: .exact, startTime: from, endTime: to)
        let segment = segmenter.segment(of: span, in: traces)
        m.pointCount = segment.points.count
        m.points = Packing.pack(Traces(points: segment.points, segmentLengths: segment.points.isEmpty ? [] : [segment.points.count]))
        m.interpolated = segment.interpolated
        return m
    }
}

extension Corpus {
    /// Whether a dictionary build has completed (`nil`: never run; `false`: interrupted).
    public func vocabularyComplete() throws(StoreError) -> Bool? {
        try setting("vocabulary").map { $0 == "complete" }
    }

    /// The settings the last dictionary build recorded; the defaults for a corpus built
    /// before builds recorded them.
    public func dictionaryOptions() throws(StoreError) -> DictionaryOptions {
        let standard = DictionaryOptions()
        return DictionaryOptions(
            minimumMentions: try setting("vocabulary.min_mentions").flatMap { Int($0) } ?? standard.minimumMentions,
            trainClasses: try setting("vocabulary.train_classes").flatMap { Int($0) } ?? standard.trainClasses)
    }

    /// The stored dictionary and near-misses of the last complete build.
    public func storedDictionary() throws(StoreError) -> ClassDictionary {
        guard try vocabularyComplete() == true else {
            throw StoreError("no complete class dictionary: run `pointillist vocab build` first", doing: "reading \(database.path)")
        }
        var classes: [ClassEntry] = []
        let s = try database.prepare(
            """
            SELECT id, name, sense, synset, ili, lexfile, mentions, images, train, oi_mid, oi_name, ambiguous, variants,
                   gloss, examples, rules FROM classes ORDER BY id
            """)
        while try s.step() {
            let examples = s.text(14).split(separator: "\n").map(String.init)
            classes.append(
                ClassEntry(
                    id: s.int(0), name: s.text(1), sense: s.text(2), synset: s.text(3), ili: s.text(4), lexFile: s.text(5),
                    mentions: s.int(6), images: s.int(7), train: s.int(8) != 0, openImagesMID: s.text(9),
                    openImagesName: s.text(10), ambiguous: s.int(11), variants: s.text(12), gloss: s.text(13),
                    example: examples.first ?? "", rules: s.text(15), examples: examples))
        }
        var misses: [NearMiss] = []
        let m = try database.prepare(
            "SELECT lemma, sense, verdict, reason, mentions, examples FROM near_misses ORDER BY id")
        while try m.step() {
            misses.append(
                NearMiss(
                    lemma: m.text(0), sense: m.text(1), verdict: m.text(2), reason: m.text(3), mentions: m.int(4),
                    examples: m.text(5).split(separator: "\n").map(String.init)))
        }
        return ClassDictionary(classes: classes, nearMisses: misses)
    }
}
