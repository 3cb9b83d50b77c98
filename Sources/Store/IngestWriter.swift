import Narratives

/// The writing side of one ingest run, on the calling thread: the statements, the open
/// transaction, and each source's committed progress and report. A transaction holds whole
/// batches and the source's new offset, line count and counters with them, so what is
/// committed is always a consistent prefix of each file.
final class IngestWriter {
    let database: Database
    let options: IngestOptions
    let files: [SourceFile]
    /// Each source's progress row as committed (or about to be, in the open transaction).
    var rows: [SourceProgress]
    var reports: [SourceReport]
    let bytesTotal: Int64
    let progress: ((IngestProgress) -> Void)?
    let onReject: ((RejectedLine) -> Void)?
    /// Each commit is flushed to disk in the background, so the sync that makes a finished
    /// ingest durable has little left to wait for.
    let flush: BackgroundFlush

    /// Bytes of the files finished (complete or damaged), lines and rejects of this run.
    var bytesBefore: Int64 = 0
    var linesThisRun = 0
    var errorsThisRun = 0
    /// True once the error limit is reached: the run stops after committing.
    var stopped = false

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

    init(
        corpus: Corpus, options: IngestOptions, files: [SourceFile], rows: [SourceProgress], reports: [SourceReport],
        bytesTotal: Int64, progress: ((IngestProgress) -> Void)?, onReject: ((RejectedLine) -> Void)?
    ) throws(StoreError) {
        database = corpus.database
        self.options = options
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
    func commit() throws(StoreError) {
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
    func rollback() {
        if open { try? database.execute("ROLLBACK") }
    }

    /// Stores one decoded batch and advances its source's progress in the open transaction
    /// (begun if none is), then commits when the transaction is due.
    func store(_ decoding: DecodingBatch) throws(StoreError) {
        let index = decoding.source, batch = decoding.batch
        if !open {
            try database.execute("BEGIN IMMEDIATE")
            open = true
        }
        var row = rows[index]
        var added = IngestCounts()
        if batch.skippedByteOrderMark { added.byteOrderMarks = 1 }
        var consumed = batch.lines.count
        try decoding.forEachDecoded { (i, line) throws(StoreError) -> Bool in
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
                if let limit = options.maxErrors, errorsThisRun >= limit {
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
        let due = options.commitDue(remaining: files[index].size - decoding.diskPosition)
        if stopped || pendingBytes >= due || pendingLines >= options.batchLines {
            try commit()
        }
        progress?(IngestProgress(file: row.path, bytesDone: bytesBefore + decoding.diskPosition, bytesTotal: bytesTotal, lines: linesThisRun))
        if stopped { reports[index].outcome = .stopped }
    }

    /// Inserts one decoded narrative; false when its key is already stored.
    func store(_ r: DecodedRecord, source: Int64, line: Int) throws(StoreError) -> Bool {
        try insert.runBorrowingBlobs([
            .text(r.key.datasetID), .text(r.key.imageID), .integer(r.key.annotatorID), .text(r.caption),
            r.voiceRecording.map(SQLValue.text) ?? .null, .integer(source), .integer(Int64(line)),
            .integer(Int64(r.counts.words)), .integer(Int64(r.counts.alignedWords)), .integer(Int64(r.segmentCount)),
            .integer(Int64(r.counts.points)), .integer(r.hasTraces ? 1 : 0), .blob(r.utterances), .blob(r.words), .blob(r.traces),
        ]) == 1
    }

    /// Stores a rejected line with its original bytes; `onReject` sees it once committed.
    func recordReject(_ error: JSONError, raw: [UInt8], path: String, source: Int64, line: Int) throws(StoreError) {
        try reject.run([
            .integer(source), .integer(Int64(line)), .integer(Int64(error.offset + 1)), error.field.map(SQLValue.text) ?? .null,
            .text(error.reason), .blob(raw),
        ])
        pendingRejects.append(
            RejectedLine(path: path, line: line, column: error.offset + 1, field: error.field, reason: error.reason, raw: raw))
        errorsThisRun += 1
    }

    /// A damaged file: the lines before the damage stay stored, the damage is recorded.
    func damaged(_ index: Int, _ damage: InputDamage) throws(StoreError) {
        try commit()
        try markDamaged.run([.text(damage.description), .integer(rows[index].id)])
        rows[index].damage = damage.description
        reports[index].outcome = .damaged
        reports[index].damage = damage
        finished(index)
    }

    /// A file read to its end: marked complete in a transaction of its own, with fsync.
    func endOfSource(_ index: Int) throws(StoreError) {
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
