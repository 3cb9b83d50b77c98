import Narratives
import Support
import Vocabulary

/// A narrative as the dictionary build reads it; `words` and `traces` are the stored blobs,
/// empty when only captions were asked for.
public struct NarrativeText: Sendable {
    public var id: Int64
    public var image: String
    public var caption: String
    public var words: [UInt8]
    public var traces: [UInt8]
}

/// A mention of a dictionary class located in time and on the image, as stored.
public struct StoredMention: Sendable {
    public var narrativeID: Int64
    public var classID: Int
    public var start: Int
    public var length: Int
    public var firstWord: Int
    public var wordCount: Int
    public var surface: String
    public var lemma: String
    public var startTime: Float?
    public var endTime: Float?
    public var pointCount: Int
    public var interpolated: Bool
    /// The points, packed as a one-segment trace (`Packing.pack(_: Traces)`).
    public var points: [UInt8]

    public init(
        narrativeID: Int64, classID: Int, start: Int, length: Int, firstWord: Int, wordCount: Int, surface: String, lemma: String,
        startTime: Float? = nil, endTime: Float? = nil, pointCount: Int = 0, interpolated: Bool = false, points: [UInt8]
    ) {
        self.narrativeID = narrativeID
        self.classID = classID
        self.start = start
        self.length = length
        self.firstWord = firstWord
        self.wordCount = wordCount
        self.surface = surface
        self.lemma = lemma
        self.startTime = startTime
        self.endTime = endTime
        self.pointCount = pointCount
        self.interpolated = interpolated
        self.points = points
    }
}

/// The corpus side of one dictionary build: the narratives read in id order, the tables
/// `classes`, `mentions` and `near_misses` replaced, and the setting `vocabulary`, which is
/// `building` from the replacement until `complete()`.
///
/// As in ingest, batches commit without fsync (each commit stays atomic against the process
/// being killed) and the file is synced once the build is complete; pages stay cached
/// between batches instead of being read back. `finish()` restores the usual settings.
public final class DictionaryTables {
    let corpus: Corpus
    let database: Database
    let insert: Statement

    public init(corpus: Corpus) throws(PointillistError) {
        self.corpus = corpus
        database = corpus.database
        try corpus.beginBulkWrite(cacheKiB: 32768)
        // Every mention's narrative was just read from the corpus and its class was just
        // written by `replace`, so the references hold by construction. Checking them would
        // look each narrative up in its table for every row: 8% of the build's wall time on
        // the 1 GB benchmark corpus (Benchmarks/vocab/README.md).
        try database.execute("PRAGMA foreign_keys = OFF")
        insert = try database.prepare(
            """
            INSERT INTO mentions(narrative_id, class_id, start, length, first_word, word_count, surface, lemma,
                                 start_time, end_time, point_count, interpolated, points)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Back to the connection's usual page cache, synchronous mode and foreign-key checks.
    public func finish() {
        corpus.endBulkWrite(sync: false)  // `complete()` synced the file
        try? database.execute("PRAGMA foreign_keys = ON")
    }

    public func narrativeCount() throws(PointillistError) -> Int { Int(try database.scalar("SELECT count(*) FROM narratives")) }

    /// Reads narratives in id order, `size` at a time; with `geometry`, their words and traces too.
    public final class Batches {
        let select: Statement
        let geometry: Bool
        var last: Int64 = 0
        /// The columns' indexes, resolved once by name.
        let id, image, caption: Int32
        let words, traces: Int32?

        init(_ database: Database, geometry: Bool, size: Int) throws(PointillistError) {
            let columns = geometry ? "id, image_id, caption, words, traces" : "id, image_id, caption"
            select = try database.prepare("SELECT \(columns) FROM narratives WHERE id > ? ORDER BY id LIMIT \(size)")
            self.geometry = geometry
            (id, image, caption) = (select.column("id"), select.column("image_id"), select.column("caption"))
            (words, traces) = geometry ? (select.column("words"), select.column("traces")) : (nil, nil)
        }

        /// The next batch, or nil after the last.
        public func next() throws(PointillistError) -> [NarrativeText]? {
            try select.bind([.integer(last)])
            var rows: [NarrativeText] = []
            while try select.step() {
                rows.append(
                    NarrativeText(
                        id: select.int64(id), image: select.text(image), caption: select.text(caption),
                        words: words.map { select.blob($0) } ?? [], traces: traces.map { select.blob($0) } ?? []))
            }
            guard let tail = rows.last else { return nil }
            last = tail.id
            return rows
        }
    }

    public func batches(geometry: Bool, size: Int) throws(PointillistError) -> Batches { try Batches(database, geometry: geometry, size: size) }

    /// Replaces the classes and near-misses, empties the mentions, records the build's
    /// settings and marks the build as under way, in one transaction. The mentions' indexes
    /// are built once, after the last batch (`complete()`): sorting 400k keys at the end costs
    /// less than keeping two B-trees in order.
    public func replace(with dictionary: ClassDictionary, settings: DictionaryOptions) throws {
        try database.transaction { () throws(PointillistError) in
            try database.execute(
                "DROP INDEX IF EXISTS mentions_by_class; DROP INDEX IF EXISTS mentions_by_narrative; "
                    + "DELETE FROM mentions; DELETE FROM classes; DELETE FROM near_misses;")
            try Settings.recordBuild(settings, in: database)
            let insertClass = try database.prepare("INSERT INTO classes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for c in dictionary.classes {
                try insertClass.run([
                    .integer(Int64(c.id)), .text(c.name), .text(c.sense), .text(c.synset), .text(c.ili), .text(c.lexFile),
                    .integer(Int64(c.mentions)), .integer(Int64(c.images)), .integer(c.train ? 1 : 0), .text(c.openImagesMID),
                    .text(c.openImagesName), .integer(Int64(c.ambiguous)), .text(c.variants), .text(c.gloss),
                    .text(c.examples.joined(separator: "\n")), .text(c.rules),
                ])
            }
            let insertMiss = try database.prepare(
                "INSERT INTO near_misses(lemma, sense, verdict, reason, mentions, examples) VALUES (?, ?, ?, ?, ?, ?)")
            for m in dictionary.nearMisses {
                try insertMiss.run([
                    .text(m.lemma), .text(m.sense), .text(m.verdict), .text(m.reason), .integer(Int64(m.mentions)),
                    .text(m.examples.joined(separator: "\n")),
                ])
            }
        }
    }

    /// Stores one batch's mentions in a transaction of its own.
    public func store<S: Sequence>(_ mentions: S) throws where S.Element == StoredMention {
        try database.transaction { () throws in
            for m in mentions {
                try insert.runBorrowingBlobs([
                    .integer(m.narrativeID), .integer(Int64(m.classID)), .integer(Int64(m.start)), .integer(Int64(m.length)),
                    .integer(Int64(m.firstWord)), .integer(Int64(m.wordCount)), .text(m.surface), .text(m.lemma),
                    m.startTime.map { .real(Double($0)) } ?? .null, m.endTime.map { .real(Double($0)) } ?? .null,
                    .integer(Int64(m.pointCount)), .integer(m.interpolated ? 1 : 0), .blob(m.points),
                ])
            }
        }
    }

    /// Builds the mentions' indexes and marks the build complete, then syncs the file.
    public func complete() throws {
        try database.transaction { () throws(PointillistError) in
            try database.execute(Corpus.mentionIndexes)
            try Settings.markBuildComplete(in: database)
        }
        database.syncFile()
    }
}
