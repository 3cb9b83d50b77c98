import Narratives
import Support

/// The narrative corpus: one SQLite file holding narratives, their aligned words and packed
/// traces, the input files they came from with how far each was read, and rejected lines.
///
/// Schema (migration 1; `PRAGMA user_version` records the version reached):
/// - `settings(key, value)`: corpus-wide settings fixed at the first ingest (word-segment margin…).
/// - `sources`: one row per input file: path, size, fingerprint, how far committed batches reached
///   (`offset` in the decompressed stream, `lines`), and its counters. `complete` once read to the end.
/// - `narratives`: one row per (dataset_id, image_id, annotator_id), with the caption, counts and
///   three blobs in the layouts of `Packing`: `utterances`, `words` (the alignment), `traces`.
/// - `rejects`: each invalid line with its file, line, column, field, reason and original bytes.
///
/// Migration 2, written by `VocabularyBuild` (replaced whole at each build):
/// - `classes`: the class dictionary, one row per class (the columns of the dictionary TSV).
/// - `mentions`: one row per kept mention: narrative, class, caption span, word range, time span
///   and its trace points (a one-segment blob in the `traces` layout).
/// - `near_misses`: lemmas filtered out, with the verdict, reason, count and example captions.
///
/// Migration 3, the question stage:
/// - `question_points`: the sampled points of each image with M's ranked class ids.
/// - `questions`: (image, point, class, round) with a stable id and the batch it went out in.
/// - `batches`: numbered batches of questions written to files; numbering survives restarts.
/// - `answers`: accepted answers, one per (question, annotator); `answer_rejects`: the rest.
///
/// Migration 4, Video Localized Narratives: `sources` gains `narratives` (narratives stored;
/// a VidLN line stores several) and `video_lines` (VidLN lines read).
///
/// Migration 5 rebuilds `narratives` with its key led by image_id. Migration 6: `sources`
/// gains `byte_order_marks` (1 when the file began with a UTF-8 byte-order mark, skipped)
/// and `damage` (why and where a damaged gzip file stopped being readable; NULL otherwise).
///
/// Migration 7: `candidates(image_id, class_id, source)`, each sampled image's candidate
/// classes and where each came from (`CandidateSource`: mention, label, model). For images
/// sampled before it, the migration records the mentioned classes; a class asked there that
/// no narrative mentions reads as `unrecorded`.
///
/// Migration 8: `image_sizes(image_id, width, height)`, each sampled image's width and height
/// as stored in its file (the batch files' pixel coordinates). Images sampled before it have
/// none; `questions batch --image-size` gives theirs.
public final class Corpus {
    /// The connection; Store's own (commands and jobs above go through the corpus's methods).
    let database: Database
    /// The database file.
    public var path: String { database.path }

    /// The schema, one migration per element; a migration runs once, in a transaction.
    static let migrations: [Migration] = [
        Migration(
            "the ingest's tables: settings, sources, narratives, rejects",
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE sources (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                size INTEGER NOT NULL,
                fingerprint TEXT NOT NULL,
                offset INTEGER NOT NULL DEFAULT 0,
                lines INTEGER NOT NULL DEFAULT 0,
                complete INTEGER NOT NULL DEFAULT 0,
                read INTEGER NOT NULL DEFAULT 0,
                stored INTEGER NOT NULL DEFAULT 0,
                duplicates INTEGER NOT NULL DEFAULT 0,
                rejected INTEGER NOT NULL DEFAULT 0,
                blank INTEGER NOT NULL DEFAULT 0,
                words INTEGER NOT NULL DEFAULT 0,
                aligned_words INTEGER NOT NULL DEFAULT 0,
                traced_words INTEGER NOT NULL DEFAULT 0,
                interpolated_words INTEGER NOT NULL DEFAULT 0,
                points INTEGER NOT NULL DEFAULT 0,
                off_image_points INTEGER NOT NULL DEFAULT 0,
                untraced_narratives INTEGER NOT NULL DEFAULT 0,
                utterances INTEGER NOT NULL DEFAULT 0,
                untimed_utterances INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE narratives (
                id INTEGER PRIMARY KEY,
                dataset_id TEXT NOT NULL,
                image_id TEXT NOT NULL,
                annotator_id INTEGER NOT NULL,
                caption TEXT NOT NULL,
                voice_recording TEXT,
                source_id INTEGER NOT NULL REFERENCES sources(id),
                source_line INTEGER NOT NULL,
                word_count INTEGER NOT NULL,
                aligned_word_count INTEGER NOT NULL,
                segment_count INTEGER NOT NULL,
                point_count INTEGER NOT NULL,
                has_traces INTEGER NOT NULL,
                utterances BLOB NOT NULL,
                words BLOB NOT NULL,
                traces BLOB NOT NULL,
                UNIQUE (dataset_id, image_id, annotator_id)
            );
            CREATE INDEX narratives_by_image ON narratives(image_id);
            CREATE TABLE rejects (
                id INTEGER PRIMARY KEY,
                source_id INTEGER NOT NULL REFERENCES sources(id),
                line INTEGER NOT NULL,
                column INTEGER,
                field TEXT,
                reason TEXT NOT NULL,
                raw BLOB NOT NULL,
                UNIQUE (source_id, line)
            );
            """),
        Migration(
            "the class dictionary's tables: classes, mentions, near-misses",
            """
            CREATE TABLE classes (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                sense TEXT NOT NULL,
                synset TEXT NOT NULL UNIQUE,
                ili TEXT NOT NULL,
                lexfile TEXT NOT NULL,
                mentions INTEGER NOT NULL,
                images INTEGER NOT NULL,
                train INTEGER NOT NULL,
                oi_mid TEXT NOT NULL,
                oi_name TEXT NOT NULL,
                ambiguous INTEGER NOT NULL,
                variants TEXT NOT NULL,
                gloss TEXT NOT NULL,
                examples TEXT NOT NULL,
                rules TEXT NOT NULL
            );
            CREATE TABLE mentions (
                id INTEGER PRIMARY KEY,
                narrative_id INTEGER NOT NULL REFERENCES narratives(id),
                class_id INTEGER NOT NULL REFERENCES classes(id),
                start INTEGER NOT NULL,
                length INTEGER NOT NULL,
                first_word INTEGER NOT NULL,
                word_count INTEGER NOT NULL,
                surface TEXT NOT NULL,
                lemma TEXT NOT NULL,
                start_time REAL,
                end_time REAL,
                point_count INTEGER NOT NULL,
                interpolated INTEGER NOT NULL,
                points BLOB NOT NULL
            );
            CREATE INDEX mentions_by_class ON mentions(class_id);
            CREATE INDEX mentions_by_narrative ON mentions(narrative_id);
            CREATE TABLE near_misses (
                id INTEGER PRIMARY KEY,
                lemma TEXT NOT NULL,
                sense TEXT NOT NULL,
                verdict TEXT NOT NULL,
                reason TEXT NOT NULL,
                mentions INTEGER NOT NULL,
                examples TEXT NOT NULL
            );
            """),
        Migration(
            "the question tables: points, questions, batches, answers",
            """
            CREATE TABLE question_points (
                image_id TEXT NOT NULL,
                point_index INTEGER NOT NULL,
                x REAL NOT NULL,
                y REAL NOT NULL,
                ranked TEXT NOT NULL,
                PRIMARY KEY (image_id, point_index)
            ) WITHOUT ROWID;
            CREATE TABLE batches (
                id INTEGER PRIMARY KEY,
                round INTEGER NOT NULL,
                questions INTEGER NOT NULL,
                assignments INTEGER NOT NULL,
                csv TEXT NOT NULL,
                jsonl TEXT NOT NULL
            );
            CREATE TABLE questions (
                id TEXT PRIMARY KEY,
                image_id TEXT NOT NULL,
                point_index INTEGER NOT NULL,
                class_id INTEGER NOT NULL,
                round INTEGER NOT NULL,
                batch_id INTEGER REFERENCES batches(id),
                FOREIGN KEY (image_id, point_index) REFERENCES question_points(image_id, point_index)
            ) WITHOUT ROWID;
            CREATE INDEX questions_by_batch ON questions(batch_id);
            CREATE INDEX questions_by_point ON questions(image_id, point_index, round);
            CREATE TABLE answers (
                question_id TEXT NOT NULL REFERENCES questions(id),
                annotator_id TEXT NOT NULL,
                value TEXT NOT NULL,
                duration REAL,
                source TEXT NOT NULL,
                line INTEGER NOT NULL,
                PRIMARY KEY (question_id, annotator_id)
            ) WITHOUT ROWID;
            CREATE TABLE answer_rejects (
                id INTEGER PRIMARY KEY,
                source TEXT NOT NULL,
                line INTEGER NOT NULL,
                field TEXT,
                reason TEXT NOT NULL,
                raw TEXT NOT NULL
            );
            """),
        Migration(
            "narrative and VidLN line counts per source",
            """
            ALTER TABLE sources ADD COLUMN narratives INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE sources ADD COLUMN video_lines INTEGER NOT NULL DEFAULT 0;
            UPDATE sources SET narratives = stored;
            """),
        // The narrative key leads with image_id, so its unique index also serves lookups by
        // image and the separate image index goes: an ingest maintains one index on random
        // keys instead of two (measured: 13% less wall time on a 1 GB ingest). The table is
        // rebuilt (SQLite cannot change a table's constraint in place); ids are kept.
        Migration(
            "the narrative key leads with image_id",
            """
            CREATE TABLE narratives_rebuilt (
                id INTEGER PRIMARY KEY,
                dataset_id TEXT NOT NULL,
                image_id TEXT NOT NULL,
                annotator_id INTEGER NOT NULL,
                caption TEXT NOT NULL,
                voice_recording TEXT,
                source_id INTEGER NOT NULL REFERENCES sources(id),
                source_line INTEGER NOT NULL,
                word_count INTEGER NOT NULL,
                aligned_word_count INTEGER NOT NULL,
                segment_count INTEGER NOT NULL,
                point_count INTEGER NOT NULL,
                has_traces INTEGER NOT NULL,
                utterances BLOB NOT NULL,
                words BLOB NOT NULL,
                traces BLOB NOT NULL,
                UNIQUE (image_id, dataset_id, annotator_id)
            );
            INSERT INTO narratives_rebuilt SELECT id, dataset_id, image_id, annotator_id, caption, voice_recording,
                source_id, source_line, word_count, aligned_word_count, segment_count, point_count, has_traces,
                utterances, words, traces FROM narratives ORDER BY id;
            DROP TABLE narratives;
            ALTER TABLE narratives_rebuilt RENAME TO narratives;
            """),
        Migration(
            "byte-order marks and damage per source",
            """
            ALTER TABLE sources ADD COLUMN byte_order_marks INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE sources ADD COLUMN damage TEXT;
            """),
        Migration(
            "each sampled image's candidate classes with their source",
            """
            CREATE TABLE candidates (
                image_id TEXT NOT NULL,
                class_id INTEGER NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (image_id, class_id)
            ) WITHOUT ROWID;
            INSERT INTO candidates(image_id, class_id, source)
                SELECT DISTINCT n.image_id, m.class_id, 'mention' FROM mentions m JOIN narratives n ON n.id = m.narrative_id
                WHERE n.image_id IN (SELECT image_id FROM question_points);
            """),
        Migration(
            "each sampled image's size as stored",
            """
            CREATE TABLE image_sizes (
                image_id TEXT PRIMARY KEY,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
    ]

    /// One step of the schema: `user_version` counts the steps a corpus has taken.
    struct Migration {
        let name: String
        let sql: String

        init(_ name: String, _ sql: String) {
            self.name = name
            self.sql = sql
        }
    }

    /// The mentions' indexes (migration 2), which `VocabularyBuild` drops while it writes the
    /// mentions and builds again after the last one.
    static let mentionIndexes = """
        CREATE INDEX IF NOT EXISTS mentions_by_class ON mentions(class_id);
        CREATE INDEX IF NOT EXISTS mentions_by_narrative ON mentions(narrative_id);
        """

    /// Opens the corpus at `path`, creating it and bringing its schema up to date.
    public init(path: String, readOnly: Bool = false) throws(PointillistError) {
        database = try Database(path: path, readOnly: readOnly)
        if readOnly {
            guard try database.userVersion == Corpus.migrations.count else {
                throw PointillistError(
                    "not a corpus of this version (schema \(try database.userVersion), expected \(Corpus.migrations.count))", doing: "opening \(path)"
                )
            }
            return
        }
        // 64 KiB pages (fixed when the file is created): a narrative row with its ~6 KB of
        // blobs fits in one page instead of an overflow chain; ingest writes measured 1.3×
        // faster at 1 GB of input than with the 4 KiB default.
        // Rollback journal, not WAL: ingest appends, and SQLite journals only pages that
        // existed before the transaction, so new rows are written once (WAL writes every
        // page to the log and again at the checkpoint). An existing WAL corpus is switched
        // over when no other connection has it open. Synchronous NORMAL here; the ingester
        // relaxes it for its batches and syncs at the end (see `Ingester`, ARCHITECTURE.md).
        try database.execute(
            "PRAGMA page_size = 65536; PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        try migrate()
    }

    func migrate() throws(PointillistError) {
        let current = try database.userVersion
        guard current <= Corpus.migrations.count else {
            throw PointillistError(
                "schema version \(current) is newer than this program knows (\(Corpus.migrations.count))", doing: "opening \(database.path)")
        }
        guard current < Corpus.migrations.count else { return }
        // Foreign keys are off while tables are rebuilt (SQLite's documented procedure: a
        // DROP TABLE would otherwise check every referencing row) and checked after each
        // migration. All pending migrations are one transaction (a new corpus is created with
        // one commit, not one per migration).
        try database.execute("PRAGMA foreign_keys = OFF")
        defer { try? database.execute("PRAGMA foreign_keys = ON") }
        var version = current
        do {
            try database.transaction { () throws(PointillistError) in
                while version < Corpus.migrations.count {
                    try database.execute(Corpus.migrations[version].sql)
                    let check = try database.prepare("PRAGMA foreign_key_check")
                    if try check.step() {
                        throw PointillistError(
                            "a row of \(check.text("table")) refers to a missing row of \(check.text("parent"))", doing: "checking foreign keys")
                    }
                    version += 1
                }
                try database.execute("PRAGMA user_version = \(version)")
            }
        } catch {
            throw PointillistError(
                "\(error)",
                doing: version < Corpus.migrations.count
                    ? "migrating \(database.path) to schema \(version + 1) (\(Corpus.migrations[version].name))"
                    : "recording schema \(version) in \(database.path)")
        }
    }

    // MARK: Reading

    /// Every narrative of `imageID` (all datasets), in key order.
    public func narratives(imageID: String) throws -> [StoredNarrative] {
        let s = try database.prepare(
            """
            SELECT n.id, n.dataset_id, n.image_id, n.annotator_id, n.caption, n.voice_recording, n.has_traces,
                   n.utterances, n.words, n.traces, s.path, n.source_line
            FROM narratives n JOIN sources s ON s.id = n.source_id
            WHERE n.image_id = ? ORDER BY n.dataset_id, n.annotator_id
            """)
        try s.bind([.text(imageID)])
        var result: [StoredNarrative] = []
        while try s.step() {
            let utterances = try s.unpacked("utterances", Packing.unpackUtterances)
            let words = try s.unpacked("words", Packing.unpackWords)
            let traces = try s.unpacked("traces", Packing.unpackTraces)
            let narrative = Narrative(
                key: .init(datasetID: s.text("dataset_id"), imageID: s.text("image_id"), annotatorID: s.int64("annotator_id")),
                caption: s.text("caption"), utterances: utterances, traces: traces, hasTraces: s.int("has_traces") != 0,
                voiceRecording: s.isNull("voice_recording") ? nil : s.text("voice_recording"))
            result.append(
                StoredNarrative(
                    id: s.int64("id"), narrative: narrative, words: words, sourcePath: s.text("path"), sourceLine: s.int("source_line")))
        }
        return result
    }

    /// All sources, in the order they were first ingested.
    public func sources() throws(PointillistError) -> [SourceProgress] {
        let s = try database.prepare("SELECT \(SourceProgress.columns) FROM sources ORDER BY id")
        var result: [SourceProgress] = []
        while try s.step() { result.append(SourceProgress(row: s)) }
        return result
    }

    /// The progress row of `file`, created if new. A file already ingested under the same
    /// path but with different content is an error: its counts would no longer mean anything.
    /// The exception is a file recorded as damaged: a repaired copy continues after the last
    /// line stored (the reader checks that a line ends there).
    public func source(for file: SourceFile) throws(PointillistError) -> SourceProgress {
        let find = try database.prepare("SELECT \(SourceProgress.columns) FROM sources WHERE path = ?")
        try find.bind([.text(file.path)])
        if try find.step() {
            var existing = SourceProgress(row: find)
            if existing.size == file.size, existing.fingerprint == file.fingerprint { return existing }
            guard existing.damage != nil else {
                throw PointillistError(
                    "this file changed since it was ingested (size \(existing.size) → \(file.size)); ingest it under a new name or into a new corpus",
                    doing: "resuming \(file.path)")
            }
            try database.prepare("UPDATE sources SET size = ?, fingerprint = ? WHERE id = ?")
                .run([.integer(file.size), .text(file.fingerprint), .integer(existing.id)])
            existing.size = file.size
            existing.fingerprint = file.fingerprint
            return existing
        }
        try database.prepare("INSERT INTO sources(path, size, fingerprint) VALUES (?, ?, ?)")
            .run([.text(file.path), .integer(file.size), .text(file.fingerprint)])
        try find.bind([.text(file.path)])
        guard try find.step() else { throw PointillistError("row vanished", doing: "registering \(file.path)") }
        return SourceProgress(row: find)
    }

    /// Rejected lines of the given sources (all when nil), in file and line order.
    public func rejects(sourceIDs: [Int64]? = nil) throws(PointillistError) -> [RejectedLine] {
        let filter = sourceIDs.map { " WHERE r.source_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let s = try database.prepare(
            "SELECT s.path, r.line, r.column, r.field, r.reason, r.raw FROM rejects r JOIN sources s ON s.id = r.source_id\(filter) ORDER BY r.source_id, r.line"
        )
        var result: [RejectedLine] = []
        while try s.step() {
            result.append(
                RejectedLine(
                    path: s.text("path"), line: s.int("line"), column: s.isNull("column") ? nil : s.int("column"),
                    field: s.isNull("field") ? nil : s.text("field"), reason: s.text("reason"), raw: s.blob("raw")))
        }
        return result
    }

    /// Number of narratives and of distinct images.
    public func size() throws(PointillistError) -> (narratives: Int, images: Int) {
        (
            Int(try database.scalar("SELECT count(*) FROM narratives")),
            Int(try database.scalar("SELECT count(DISTINCT image_id) FROM narratives"))
        )
    }
}

/// A narrative as stored, with its alignment and where it came from.
public struct StoredNarrative: Sendable {
    public var id: Int64
    public var narrative: Narrative
    public var words: [Word]
    public var sourcePath: String
    public var sourceLine: Int

    /// The caption text of `word`.
    public func text(of word: Word) -> String {
        let scalars = narrative.caption.unicodeScalars
        guard let from = scalars.index(scalars.startIndex, offsetBy: word.start, limitedBy: scalars.endIndex),
            let to = scalars.index(from, offsetBy: word.length, limitedBy: scalars.endIndex)
        else { return "" }
        return String(scalars[from..<to])
    }
}

/// A line that was not stored, and why.
public struct RejectedLine: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    /// 1-based byte column in the line, when the problem is at a place in the text.
    public var column: Int?
    public var field: String?
    public var reason: String
    /// The line exactly as read.
    public var raw: [UInt8]

    public var description: String {
        var where_ = "\(path):\(line)"
        if let column { where_ += ":\(column)" }
        if let field { where_ += ": field \(field)" }
        return "\(where_): \(reason)"
    }
}

/// How far one input file was read, and what it held.
public struct SourceProgress: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var size: Int64
    public var fingerprint: String
    public var offset: Int64
    public var lines: Int
    public var complete: Bool
    /// Why a damaged file could not be read to its end (nil: not damaged).
    public var damage: String?
    public var counts: IngestCounts

    static let columns = "id, path, size, fingerprint, offset, lines, complete, damage, " + IngestCounts.columns.joined(separator: ", ")

    init(row s: Statement) {
        id = s.int64("id")
        path = s.text("path")
        size = s.int64("size")
        fingerprint = s.text("fingerprint")
        offset = s.int64("offset")
        lines = s.int("lines")
        complete = s.int("complete") != 0
        damage = s.isNull("damage") ? nil : s.text("damage")
        counts = IngestCounts(values: IngestCounts.columns.map { s.int($0) })
    }
}

/// Counters of an ingest, per source and in total. read = stored + duplicates + rejected.
public struct IngestCounts: Sendable, Equatable {
    /// Non-blank lines read.
    public var read = 0
    public var stored = 0
    /// Lines whose (dataset, image, annotator) key was already in the corpus (a VidLN line:
    /// all of its narratives were). `stored` counts lines that added at least one narrative.
    public var duplicates = 0
    public var rejected = 0
    /// Lines holding only whitespace: skipped, not records.
    public var blank = 0
    // The rest describe stored narratives only.
    public var words = 0
    public var alignedWords = 0
    /// Aligned words whose trace segment has at least one point.
    public var tracedWords = 0
    /// Aligned words whose segment had to be interpolated.
    public var interpolatedWords = 0
    public var points = 0
    public var offImagePoints = 0
    /// Narratives without a `traces` key.
    public var untracedNarratives = 0
    public var utterances = 0
    public var untimedUtterances = 0
    /// Narratives stored: one per stored LN line, one per (actor, keyframe) of a VidLN line.
    public var narratives = 0
    /// VidLN lines read (counted in `read` too).
    public var videoLines = 0
    /// Files that began with a UTF-8 byte-order mark (skipped, not part of the first line).
    public var byteOrderMarks = 0

    public init() {}

    /// Column names in `sources`, in the order of `values`.
    static let columns = [
        "read", "stored", "duplicates", "rejected", "blank", "words", "aligned_words", "traced_words",
        "interpolated_words", "points", "off_image_points", "untraced_narratives", "utterances", "untimed_utterances",
        "narratives", "video_lines", "byte_order_marks",
    ]

    var values: [Int] {
        [
            read, stored, duplicates, rejected, blank, words, alignedWords, tracedWords, interpolatedWords, points,
            offImagePoints, untracedNarratives, utterances, untimedUtterances, narratives, videoLines, byteOrderMarks,
        ]
    }

    init(values v: [Int]) {
        (read, stored, duplicates, rejected, blank) = (v[0], v[1], v[2], v[3], v[4])
        (words, alignedWords, tracedWords, interpolatedWords) = (v[5], v[6], v[7], v[8])
        (points, offImagePoints, untracedNarratives, utterances, untimedUtterances) = (v[9], v[10], v[11], v[12], v[13])
        (narratives, videoLines, byteOrderMarks) = (v[14], v[15], v[16])
    }

    public static func + (a: IngestCounts, b: IngestCounts) -> IngestCounts {
        IngestCounts(values: zip(a.values, b.values).map(+))
    }

    public static func += (a: inout IngestCounts, b: IngestCounts) { a = a + b }

    /// Whether read = stored + duplicates + rejected.
    public var reconciles: Bool { read == stored + duplicates + rejected }
}
