import Lexicon
import Narratives
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
        let total = Int(try db.scalar("SELECT count(*) FROM narratives"))
        var report = VocabularyReport()
        report.narratives = total

        // Pass 1: count.
        var tally = DictionaryTally()
        var imageNumbers: [String: Int32] = [:]
        try forEachBatch(db, columns: "id, image_id, caption", total: total, phase: .counting, progress: progress) { rows in
            var images: [Int32] = []
            for row in rows {
                let image = row.image
                if let n = imageNumbers[image] {
                    images.append(n)
                } else {
                    let n = Int32(imageNumbers.count)
                    imageNumbers[image] = n
                    images.append(n)
                }
            }
            let numbers = images
            let tallies = parallelMap(rows.count, workers: workers) { range -> DictionaryTally in
                var t = DictionaryTally()
                for i in range {
                    t.add(extractor.candidates(in: rows[i].caption), caption: rows[i].caption, image: numbers[i])
                }
                return t
            }
            for t in tallies { tally.merge(t) }
        }
        let dictionary = ClassDictionary(
            tally: tally, extractor: extractor, options: options, previous: previousIDs, openImages: openImages)
        report.candidates = tally.candidates
        report.keptCandidates = tally.kept
        report.verdicts = tally.verdicts
        report.rulesFired = tally.rulesFired
        report.classes = dictionary.classes.count
        report.keptIDs = dictionary.keptIDs
        report.newIDs = dictionary.newIDs
        report.nearMisses = dictionary.nearMisses.count

        // Replace the tables.
        try db.transaction { () throws(StoreError) in
            try db.execute("DELETE FROM mentions; DELETE FROM classes; DELETE FROM near_misses;")
            try db.execute(
                "INSERT INTO settings(key, value) VALUES ('vocabulary', 'building') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
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

        // Pass 2: write the mentions of the classes kept.
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
        try forEachBatch(db, columns: "id, image_id, caption, words, traces", total: total, phase: .writing, progress: progress) {
            rows in
            let located = parallelMap(rows.count, workers: workers) { range -> [StoredMention] in
                var out: [StoredMention] = []
                for i in range {
                    for c in extractor.candidates(in: rows[i].caption) where c.verdict.isKept {
                        guard let synset = c.synset, let classID = classOf[synset] else { continue }
                        out.append(StoredMention.locate(c, classID: classID, row: rows[i], segmenter: segmenter))
                    }
                }
                return out
            }
            try db.transaction { () throws(StoreError) in
                for list in located {
                    for m in list {
                        try insert.run([
                            .integer(m.narrativeID), .integer(Int64(m.classID)), .integer(Int64(m.start)),
                            .integer(Int64(m.length)), .integer(Int64(m.firstWord)), .integer(Int64(m.wordCount)),
                            .text(m.surface), .text(m.lemma), m.startTime.map { .real(Double($0)) } ?? .null,
                            m.endTime.map { .real(Double($0)) } ?? .null, .integer(Int64(m.points.count)),
                            .integer(m.interpolated ? 1 : 0),
                            .blob(Packing.pack(Traces(points: m.points, segmentLengths: m.points.isEmpty ? [] : [m.points.count]))),
                        ])
                        report.mentions += 1
                        if !m.points.isEmpty { report.mentionsWithPoints += 1 }
                        report.points += m.points.count
                    }
                }
            }
        }
        try db.execute("UPDATE settings SET value = 'complete' WHERE key = 'vocabulary'")
        return (dictionary, report)
    }

    struct Row: Sendable {
        var id: Int64
        var image: String
        var caption: String
        var words: [Word]
        var traces: Traces
    }

    /// Reads narratives in id order, `batchSize` at a time, and hands each batch to `body`.
    func forEachBatch(
        _ db: Database, columns: String, total: Int, phase: Phase, progress: ((Phase, Int, Int) -> Void)?,
        _ body: ([Row]) throws -> Void
    ) throws {
        let select = try db.prepare("SELECT \(columns) FROM narratives WHERE id > ? ORDER BY id LIMIT \(batchSize)")
        let withGeometry = columns.contains("traces")
        var last: Int64 = 0
        var done = 0
        progress?(phase, 0, total)
        while true {
            try select.bind([.integer(last)])
            var rows: [Row] = []
            while try select.step() {
                var row = Row(id: select.int64(0), image: select.text(1), caption: select.text(2), words: [], traces: Traces())
                if withGeometry {
                    row.words = try select.withBlob(3) { (b) throws(Packing.Corrupt) in try Packing.unpackWords(b) }
                    row.traces = try select.withBlob(4) { (b) throws(Packing.Corrupt) in try Packing.unpackTraces(b) }
                }
                rows.append(row)
            }
            guard let tail = rows.last else { break }
            last = tail.id
            try body(rows)
            done += rows.count
            progress?(phase, done, total)
        }
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
    var points: [TracePoint]
    var interpolated: Bool

    /// The time span covers the aligned words of the mention; the points are the trace
    /// segment of that span, cut as word segments are (`TraceSegmenter`).
    static func locate(_ c: Candidate, classID: Int, row: VocabularyBuild.Row, segmenter: TraceSegmenter) -> StoredMention {
        var m = StoredMention(
            narrativeID: row.id, classID: classID, start: c.start, length: c.length, firstWord: c.tokens.lowerBound,
            wordCount: c.tokens.count, surface: c.surface, lemma: c.lemma, startTime: nil, endTime: nil, points: [],
            interpolated: false)
        // Words were tokenised the same way at ingest, so token i is word i; check the span anyway.
        guard c.tokens.upperBound <= row.words.count, row.words[c.tokens.lowerBound].start == c.start else { return m }
        var from = Float.infinity
        var to = -Float.infinity
        for w in row.words[c.tokens] where w.isAligned {
            from = min(from, w.startTime)
            to = max(to, w.endTime)
        }
        guard from <= to else { return m }
        m.startTime = from
        m.endTime = to
        let span = Word(start: c.start, length: c.length, status: .exact, startTime: from, endTime: to)
        let segment = segmenter.segment(of: span, in: row.traces)
        m.points = segment.points
        m.interpolated = segment.interpolated
        return m
    }
}

extension Corpus {
    /// Whether a dictionary build has completed (`nil`: never run; `false`: interrupted).
    public func vocabularyComplete() throws(StoreError) -> Bool? {
        try setting("vocabulary").map { $0 == "complete" }
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
