import Dispatch
import Narratives
import Support
import Synchronization

/// Where an ingest is, for a progress display.
public struct IngestProgress: Sendable {
    public var file: String
    /// Bytes of input files on disk processed, over all files of the run.
    public var bytesDone: Int64
    public var bytesTotal: Int64
    /// Lines processed in this run.
    public var lines: Int

    public init(file: String, bytesDone: Int64, bytesTotal: Int64, lines: Int) {
        self.file = file
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.lines = lines
    }
}

/// What one run did to one input file.
public struct SourceReport: Sendable {
    public enum Outcome: String, Sendable {
        /// Read from the start to the end in this run.
        case ingested
        /// An earlier run had stopped part-way; this one continued and finished it.
        case resumed
        /// Read to the end by an earlier run; nothing to do.
        case alreadyComplete = "already complete"
        /// This run stopped before the end (error limit); a later run resumes it.
        case stopped
        /// A damaged or truncated gzip file: the complete lines before the damage are stored;
        /// a later run with the file repaired continues after them.
        case damaged
    }

    public var path: String
    public var outcome: Outcome
    /// Where and why the file is damaged (outcome `damaged`).
    public var damage: InputDamage?
    /// Counts over the whole file, all runs together.
    public var counts: IngestCounts
    /// Counts of this run alone.
    public var thisRun: IngestCounts

    public init(path: String, outcome: Outcome, damage: InputDamage? = nil, counts: IngestCounts, thisRun: IngestCounts) {
        self.path = path
        self.outcome = outcome
        self.damage = damage
        self.counts = counts
        self.thisRun = thisRun
    }
}

/// A decoded line, ready to store.
public enum DecodedLine: Sendable {
    case blank
    case record(DecodedRecord)
    /// A VidLN line: its narratives, one per (actor, keyframe).
    case video([DecodedRecord])
    case rejected(JSONError)
}

/// A narrative decoded and aligned, ready to store: a `narratives` row and what it adds to its
/// source's counters.
public struct DecodedRecord: Sendable {
    public var key: Narrative.Key
    public var caption: String
    public var voiceRecording: String?
    public var hasTraces: Bool
    public var segmentCount: Int
    /// What the record adds to its source's counters if it is stored.
    public var counts: IngestCounts
    public var utterances: [UInt8]
    public var words: [UInt8]
    public var traces: [UInt8]

    public init(
        key: Narrative.Key, caption: String, voiceRecording: String?, hasTraces: Bool, segmentCount: Int, counts: IngestCounts,
        utterances: [UInt8], words: [UInt8], traces: [UInt8]
    ) {
        self.key = key
        self.caption = caption
        self.voiceRecording = voiceRecording
        self.hasTraces = hasTraces
        self.segmentCount = segmentCount
        self.counts = counts
        self.utterances = utterances
        self.words = words
        self.traces = traces
    }
}

/// A batch of decoded lines of one input file, as the writer stores it.
public protocol DecodedBatch {
    var batch: LineBatch { get }
    /// Index of the batch's file in the run.
    var source: Int { get }
    /// Bytes of the file on disk read up to the end of the batch.
    var diskPosition: Int64 { get }
    /// Calls `body` with each line's index in the batch and its decoded form, in order, until it returns false.
    func forEachDecoded<E: Error>(_ body: (Int, DecodedLine) throws(E) -> Bool) throws(E)
}

/// When the writer commits and stops.
public struct CommitPolicy: Sendable {
    /// Stop after this many rejected lines in the run (nil: never).
    public var maxErrors: Int?
    /// Commit at least every this many lines.
    public var batchLines: Int
    /// Bytes of input the open transaction holds before it commits, with this many bytes of the file left to read.
    public var bytesDue: @Sendable (Int64) -> Int

    public init(maxErrors: Int?, batchLines: Int, bytesDue: @escaping @Sendable (Int64) -> Int) {
        self.maxErrors = maxErrors
        self.batchLines = batchLines
        self.bytesDue = bytesDue
    }
}

/// The writing side of one ingest run, on the calling thread: the statements, the open
/// transaction, and each source's committed progress and report. A transaction holds whole
/// batches and the source's new offset, line count and counters with them, so what is
/// committed is always a consistent prefix of each file.
public final class IngestWriter {
    let database: Database
    let policy: CommitPolicy
    let files: [SourceFile]
    /// Each source's progress row as committed (or about to be, in the open transaction).
    var rows: [SourceProgress]
    public private(set) var reports: [SourceReport]
    let bytesTotal: Int64
    let progress: ((IngestProgress) -> Void)?
    let onReject: ((RejectedLine) -> Void)?
    /// Each commit is flushed to disk in the background, so the sync that makes a finished
    /// ingest durable has little left to wait for.
    let flush: BackgroundFlush

    /// Waits for the background flushes to finish.
    public func finish() { flush.finish() }

    /// Bytes of the files finished (complete or damaged), lines and rejects of this run.
    var bytesBefore: Int64 = 0
    var linesThisRun = 0
    var errorsThisRun = 0
    /// True once the error limit is reached: the run stops after committing.
    public private(set) var stopped = false

    /// The open transaction: the batches stored since the last commit, and their rejects,
    /// which `onReject` sees once they are committed.
    var open = false
    var pendingBytes = 0
    var pendingLines = 0
    var pendingRejects: [RejectedLine] = []

    let insert: Statement
    let reject: Statement
    let advance: Statement
    let markComplete: Statement
    let markDamaged: Statement

    public init(
        corpus: Corpus, policy: CommitPolicy, files: [SourceFile], rows: [SourceProgress], reports: [SourceReport],
        bytesTotal: Int64, progress: ((IngestProgress) -> Void)?, onReject: ((RejectedLine) -> Void)?
    ) throws(PointillistError) {
        database = corpus.database
        self.policy = policy
        self.files = files
        self.rows = rows
        self.reports = reports
        self.bytesTotal = bytesTotal
        self.progress = progress
        self.onReject = onReject
        insert = try database.prepare(
            """
            INSERT OR IGNORE INTO narratives(dataset_id, image_id, annotator_id, caption, voice_recording,
                source_id, source_line, word_count, aligned_word_count, segment_count, point_count, has_traces,
                utterances, words, traces)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        reject = try database.prepare(
            "INSERT OR IGNORE INTO rejects(source_id, line, column, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?)")
        advance = try database.prepare(
            "UPDATE sources SET offset = ?, lines = ?, complete = ?, "
                + IngestCounts.columns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE id = ?")
        markComplete = try database.prepare("UPDATE sources SET complete = 1, damage = NULL WHERE id = ?")
        markDamaged = try database.prepare("UPDATE sources SET damage = ? WHERE id = ?")
        flush = BackgroundFlush(path: database.path)
    }

    /// Commits the open transaction, if any, and hands its rejects to `onReject`.
    public func commit() throws(PointillistError) {
        guard open else { return }
        try database.execute("COMMIT")
        flush.request()
        open = false
        pendingBytes = 0
        pendingLines = 0
        pendingRejects.forEach { onReject?($0) }
        pendingRejects = []
    }

    /// Rolls back the open transaction after an error.
    public func rollback() {
        if open { try? database.execute("ROLLBACK") }
    }

    /// Stores one decoded batch and advances its source's progress in the open transaction
    /// (begun if none is), then commits when the transaction is due.
    public func store<B: DecodedBatch>(_ decoding: B) throws(PointillistError) {
        let index = decoding.source, batch = decoding.batch
        if !open {
            try database.execute("BEGIN IMMEDIATE")
            open = true
        }
        var row = rows[index]
        var added = IngestCounts()
        if batch.skippedByteOrderMark { added.byteOrderMarks = 1 }
        var consumed = batch.lines.count
        try decoding.forEachDecoded { (i, line) throws(PointillistError) -> Bool in
            let lineNumber = batch.firstLineNumber + i
            switch line {
            case .blank:
                added.blank += 1
            case .record(let r):
                added.read += 1
                if try store(r, source: row.id, line: lineNumber) {
                    added += r.counts
                } else {
                    added.duplicates += 1
                }
            case .video(let records):
                added.read += 1
                added.videoLines += 1
                var inserted = 0
                for r in records where try store(r, source: row.id, line: lineNumber) {
                    added += r.counts
                    inserted += 1
                }
                if inserted > 0 { added.stored += 1 } else { added.duplicates += 1 }
            case .rejected(let error):
                added.read += 1
                added.rejected += 1
                try recordReject(error, raw: batch.bytes.copy(batch.lines[i]), path: row.path, source: row.id, line: lineNumber)
                if let limit = policy.maxErrors, errorsThisRun >= limit {
                    consumed = i + 1
                    stopped = true
                }
            }
            return !stopped
        }
        row.offset = batch.offset(after: consumed - 1)
        row.lines += consumed
        row.counts += added
        try advance.run(
            [.integer(row.offset), .integer(Int64(row.lines)), .integer(0)] + row.counts.values.map { .integer(Int64($0)) }
                + [.integer(row.id)])
        rows[index] = row
        reports[index].counts = row.counts
        reports[index].thisRun += added
        linesThisRun += consumed
        pendingBytes += batch.bytes.count
        pendingLines += consumed
        let due = policy.bytesDue(files[index].size - decoding.diskPosition)
        if stopped || pendingBytes >= due || pendingLines >= policy.batchLines {
            try commit()
        }
        progress?(IngestProgress(file: row.path, bytesDone: bytesBefore + decoding.diskPosition, bytesTotal: bytesTotal, lines: linesThisRun))
        if stopped { reports[index].outcome = .stopped }
    }

    /// Inserts one decoded narrative; false when its key is already stored.
    func store(_ r: DecodedRecord, source: Int64, line: Int) throws(PointillistError) -> Bool {
        try insert.runBorrowingBlobs([
            .text(r.key.datasetID), .text(r.key.imageID), .integer(r.key.annotatorID), .text(r.caption),
            r.voiceRecording.map(SQLValue.text) ?? .null, .integer(source), .integer(Int64(line)),
            .integer(Int64(r.counts.words)), .integer(Int64(r.counts.alignedWords)), .integer(Int64(r.segmentCount)),
            .integer(Int64(r.counts.points)), .integer(r.hasTraces ? 1 : 0), .blob(r.utterances), .blob(r.words), .blob(r.traces),
        ]) == 1
    }

    /// Stores a rejected line with its original bytes; `onReject` sees it once committed.
    func recordReject(_ error: JSONError, raw: [UInt8], path: String, source: Int64, line: Int) throws(PointillistError) {
        try reject.run([
            .integer(source), .integer(Int64(line)), .integer(Int64(error.offset + 1)), error.field.map(SQLValue.text) ?? .null,
            .text(error.reason), .blob(raw),
        ])
        pendingRejects.append(
            RejectedLine(path: path, line: line, column: error.offset + 1, field: error.field, reason: error.reason, raw: raw))
        errorsThisRun += 1
    }

    /// A damaged file: the lines before the damage stay stored, the damage is recorded.
    public func damaged(_ index: Int, _ damage: InputDamage) throws(PointillistError) {
        try commit()
        try markDamaged.run([.text(damage.description), .integer(rows[index].id)])
        rows[index].damage = damage.description
        reports[index].outcome = .damaged
        reports[index].damage = damage
        finished(index)
    }

    /// A file read to its end: marked complete in a transaction of its own, with fsync.
    public func endOfSource(_ index: Int) throws(PointillistError) {
        try commit()
        try database.execute("PRAGMA synchronous = NORMAL")
        try markComplete.run([.integer(rows[index].id)])
        try database.execute("PRAGMA synchronous = OFF")
        rows[index].complete = true
        finished(index)
    }

    func finished(_ index: Int) {
        bytesBefore += files[index].size
        progress?(IngestProgress(file: files[index].path, bytesDone: bytesBefore, bytesTotal: bytesTotal, lines: linesThisRun))
    }
}

/// Flushes a file to disk (`Database.syncFile`) on a background thread whenever asked; a
/// request made while an earlier one still waits to start is merged into it. The asker never
/// waits.
final class BackgroundFlush: Sendable {
    private let path: String
    private let queue = DispatchQueue(label: "pointillist.flush")
    private let waiting = Atomic<Bool>(false)

    init(path: String) {
        self.path = path
    }

    func request() {
        guard !waiting.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { [self] in
            waiting.store(false, ordering: .releasing)
            Database.syncFile(at: path)
        }
    }

    /// Waits for the flushes asked for.
    func finish() {
        queue.sync {}
    }
}

extension Corpus {
    /// Bulk writing for ingest: commits without fsync (each stays atomic against the process
    /// being killed, which is what resumption needs; a power loss during the run may damage
    /// the file) and a page cache of `cacheKiB`, so the key index's pages stay cached between
    /// commits instead of being read back.
    public func beginBulkWrite(cacheKiB: Int) throws(PointillistError) {
        try database.execute("PRAGMA synchronous = OFF")
        try database.execute("PRAGMA cache_size = -\(cacheKiB)")
    }

    /// Back to the usual page cache and synchronous mode, and (with `sync`) the file synced:
    /// a finished ingest is durable.
    public func endBulkWrite(sync: Bool = true) {
        try? database.execute("PRAGMA cache_size = -2000")
        try? database.execute("PRAGMA synchronous = NORMAL")
        if sync { database.syncFile() }
    }
}
