import Dispatch
import Narratives
import Store
import Support

/// How an ingest reads, checks and commits.
public struct IngestOptions: Sendable {
    /// Lines are read and decoded in batches of about this many bytes...
    public var batchBytes = 4 << 20
    /// ...or this many lines, whichever comes first.
    public var batchLines = Int.max
    /// A transaction holds whole batches and commits once it holds this many bytes of input
    /// or `batchLines` lines, at the end of a file, and at the end of the run. Fewer commits
    /// rewrite the key index's pages (random keys touch most of them) fewer times.
    public var commitBytes = 32 << 20
    /// Stop after this many rejected lines in one run (nil: never). Work up to and including
    /// the last rejected line is committed, so a later run resumes right after it.
    public var maxErrors: Int?
    /// How word trace segments are derived, for the counts (and recorded in a new corpus).
    public var segmenter = TraceSegmenter.standard
    /// Decode worker threads; the reader and the writer (the calling thread) are two more.
    public var decodeWorkers = 2
    /// SQLite page cache of the writing connection, in KiB.
    public var cacheKiB = 32768
    /// Longer lines are rejected without being held in memory whole.
    public var maxLineBytes = LineReader.defaultMaximumLineBytes

    public init() {}

    /// Bytes of input the open transaction holds before it commits, with `remaining` bytes of
    /// the file left to read: `commitBytes`, but near the end of the file half of what
    /// remains (at least a batch), so the last commit, whose pages the sync at the end of the
    /// file waits for, holds about one batch while the earlier ones are flushed meanwhile.
    public func commitDue(remaining: Int64) -> Int {
        min(commitBytes, max(batchBytes, Int(clamping: remaining / 2)))
    }

    /// Bytes the next batch of a file holds, with `read` bytes of it read and `remaining` left:
    /// `batchBytes`, but smaller at the start (from 256 KiB, doubling) so that the decode
    /// workers start at once, and near the end (a quarter of what remains) so that the writer,
    /// which stores a batch only once it is decoded, is left little to do alone.
    public func batchDue(read: Int64, remaining: Int64) -> Int {
        let smallest = min(batchBytes, 256 << 10)
        return max(smallest, min(batchBytes, Int(clamping: read + Int64(smallest)), Int(clamping: remaining / 4)))
    }
}

/// The result of an ingest run.
public struct IngestReport: Sendable {
    public var sources: [SourceReport]
    /// True when the run stopped at the error limit.
    public var stoppedAtErrorLimit: Bool

    /// The files that turned out damaged.
    public var damaged: [SourceReport] { sources.filter { $0.outcome == .damaged } }

    /// Counts over the run's files, all runs together.
    public var counts: IngestCounts { sources.reduce(IngestCounts()) { $0 + $1.counts } }
    public var thisRun: IngestCounts { sources.reduce(IngestCounts()) { $0 + $1.thisRun } }
}

/// Streams input files into a corpus: read → decode and validate → align → store.
///
/// Batches are cut and decoded on other threads while this one writes earlier ones. A
/// transaction holds whole batches and advances the file's committed offset with them, so a
/// run killed at any moment and started again ends with exactly the same corpus.
public final class Ingester {
    public let corpus: Corpus
    public let options: IngestOptions

    public init(corpus: Corpus, options: IngestOptions = IngestOptions()) {
        self.corpus = corpus
        self.options = options
    }

    /// Ingests `files` in order. `onReject` sees each rejected line as it is committed.
    public func run(
        _ files: [SourceFile],
        progress: ((IngestProgress) -> Void)? = nil,
        onReject: ((RejectedLine) -> Void)? = nil
    ) throws -> IngestReport {
        // The run's setup and its batches commit without fsync: each commit is still atomic
        // against the process being killed (the kernel keeps every write), which is what
        // resumption needs. The file is synced when a source is complete and when the run
        // ends, so a finished ingest is durable; a power loss during one may damage the
        // corpus (ARCHITECTURE.md).
        // The key index's pages stay cached between batches instead of being read back
        // (SQLite's default cache is 2 MB, about 30 pages of 64 KiB).
        try corpus.beginBulkWrite(cacheKiB: options.cacheKiB)
        defer { corpus.endBulkWrite() }

        let segmenter = try corpus.fixSegmenter(options.segmenter)
        let progressRows = try files.map { (file) throws(PointillistError) in try corpus.source(for: file) }
        let reports = zip(files, progressRows).map { file, row in
            SourceReport(
                path: file.path, outcome: row.complete ? .alreadyComplete : row.offset > 0 ? .resumed : .ingested,
                counts: row.counts, thisRun: IngestCounts())
        }
        let pending = files.indices.filter { !progressRows[$0].complete }
        let bytesTotal = pending.reduce(Int64(0)) { $0 + files[$1].size }

        // The reader stays at most `capacity` batches ahead of the writer; the workers decode
        // them meanwhile.
        let channel = BatchChannel(capacity: 3)
        let jobs = DecodeQueue(workers: options.decodeWorkers)
        let workers = Ingester.startWorkers(for: jobs, segmenter: segmenter)
        let producerOptions = options
        let work = pending.map { (files[$0], progressRows[$0], $0) }
        DispatchQueue.global(qos: .userInitiated).async {
            Ingester.produce(work, options: producerOptions, into: channel, decoding: jobs)
        }
        defer {
            // Stops the reader, which closes the workers' queue; they finish what was queued.
            channel.cancel()
            workers.join()
        }

        let policy = CommitPolicy(maxErrors: options.maxErrors, batchLines: options.batchLines) { [options] in
            options.commitDue(remaining: $0)
        }
        let writer = try IngestWriter(
            corpus: corpus, policy: policy, files: files, rows: progressRows, reports: reports, bytesTotal: bytesTotal,
            progress: progress, onReject: onReject)
        defer { writer.finish() }
        do {
            while !writer.stopped, let message = channel.take() {
                switch message {
                case .failed(let error):
                    try writer.commit()  // what was read before the failure stays stored
                    throw error
                case .batch(let decoding): try writer.store(decoding)
                case .damaged(let index, let damage): try writer.damaged(index, damage)
                case .endOfSource(let index): try writer.endOfSource(index)
                }
            }
            try writer.commit()
        } catch {
            writer.rollback()
            throw error
        }
        return IngestReport(sources: writer.reports, stoppedAtErrorLimit: writer.stopped)
    }

    // MARK: Producer

    /// Reads every pending file, batch by batch, hands each batch's shares to the decode
    /// workers and puts the batch, in file order, into `channel`, where the writer waits for
    /// its decoding to finish. The channel's capacity bounds the batches in flight.
    static func produce(
        _ work: [(SourceFile, SourceProgress, Int)], options: IngestOptions, into channel: BatchChannel,
        decoding jobs: DecodeQueue
    ) {
        // Workers drain what was queued and stop, however this ends.
        defer { jobs.close() }
        do {
            for (file, row, index) in work {
                let reader = try LineReader(
                    file, startOffset: row.offset, startLineNumber: row.lines + 1, maxLineBytes: options.maxLineBytes)
                var read: Int64 = 0
                while let batch = reader.next(
                    maxBytes: options.batchDue(read: read, remaining: file.size - reader.diskPosition),
                    maxLines: options.batchLines)
                {
                    read += Int64(batch.bytes.count)
                    let decoding = DecodingBatch(
                        batch, source: index, diskPosition: reader.diskPosition,
                        shares: shareCount(lines: batch.lines.count, workers: options.decodeWorkers))
                    jobs.enqueue(decoding)
                    guard channel.put(.batch(decoding)) else { return }
                }
                let end: BatchChannel.Message = reader.damage.map { .damaged(index, $0) } ?? .endOfSource(index)
                guard channel.put(end) else { return }
            }
            channel.finish()
        } catch {
            // Lines read before the failure are stored first.
            _ = channel.put(.failed(error))
            channel.finish()
        }
    }

    /// Shares a batch of `lines` lines is cut into: about four per worker (eight lines at
    /// least each), so that workers finishing at different times still overlap batches.
    static func shareCount(lines: Int, workers: Int) -> Int {
        max(1, min(max(workers, 1) * 4, lines / 8))
    }

    /// The decode workers: threads of their own, each taking the next share of the oldest
    /// batch from `jobs` until it is closed and empty.
    static func startWorkers(for jobs: DecodeQueue, segmenter: TraceSegmenter) -> WorkerThreads {
        WorkerThreads(jobs.workers) { _ in
            // The writer, the one serial stage, goes first when it shares a core with a
            // worker: it keeps up with the workers instead of being left a backlog to store
            // alone at the end.
            Platform.lowerThreadPriority(by: 5)
            while let (batch, share) = jobs.next() {
                batch.decode(share: share, segmenter: segmenter)
            }
        }
    }

    /// Lines at least this long are decoded one at a time: decoding takes memory in
    /// proportion to a line's words and points (tens of bytes per byte of input), so two
    /// workers on two such lines at once would double the peak.
    static let largeLineBytes = 1 << 20
    static let largeLineGate = DispatchSemaphore(value: 1)

    /// Decodes, validates and aligns one line, and packs what is stored.
    static func decodeLine(_ bytes: UnsafeBufferPointer<UInt8>, segmenter: TraceSegmenter) -> DecodedLine {
        if LineBytes.isBlank(bytes) { return .blank }
        if bytes.count >= largeLineBytes {
            largeLineGate.wait()
            defer { largeLineGate.signal() }
            return decodeNonBlankLine(bytes, segmenter: segmenter)
        }
        return decodeNonBlankLine(bytes, segmenter: segmenter)
    }

    private static func decodeNonBlankLine(_ bytes: UnsafeBufferPointer<UInt8>, segmenter: TraceSegmenter) -> DecodedLine {
        let narrative: Narrative
        do {
            narrative = try NarrativeDecoder.decode(bytes)
        } catch {
            // Only a line the LN decoder rejects is looked at again, so LN decoding pays nothing.
            if VideoNarrativeDecoder.looksLikeVideoNarrative(bytes) { return decodeVideoLine(bytes, segmenter: segmenter) }
            return .rejected(error)
        }
        let words = WordAligner.align(caption: narrative.caption, utterances: narrative.utterances)
        var record = record(narrative, words: words, segmenter: segmenter)
        record.counts.stored = 1
        return .record(record)
    }

    /// A VidLN line: one record per (actor, keyframe traced over), words aligned from the
    /// record's time alignment. A line that yields no narrative at all is rejected.
    static func decodeVideoLine(_ bytes: UnsafeBufferPointer<UInt8>, segmenter: TraceSegmenter) -> DecodedLine {
        let video: VideoNarrative
        do {
            video = try VideoNarrativeDecoder.decode(bytes)
        } catch {
            return .rejected(error)
        }
        let records = video.keyframeNarratives().map { record($0.narrative, words: $0.words, segmenter: segmenter) }
        if records.isEmpty {
            return .rejected(
                JSONError(
                    offset: 0, reason: "no actor narrative traces a keyframe or selects one", field: "actor_narratives"))
        }
        return .video(records)
    }

    /// What is stored for `narrative`, and what it adds to the counters (`stored` aside).
    static func record(_ narrative: Narrative, words: [Word], segmenter: TraceSegmenter) -> DecodedRecord {
        var counts = IngestCounts()
        counts.narratives = 1
        counts.words = words.count
        counts.points = narrative.traces.points.count
        counts.offImagePoints = narrative.traces.points.reduce(0) { $0 + ($1.isOnImage ? 0 : 1) }
        counts.untracedNarratives = narrative.hasTraces ? 0 : 1
        counts.utterances = narrative.utterances.count
        counts.untimedUtterances = narrative.utterances.reduce(0) { $0 + ($1.isTimed ? 0 : 1) }
        var counter = segmenter.counter(for: narrative.traces)
        for word in words where word.isAligned {
            counts.alignedWords += 1
            let segment = counter.count(of: word)
            if segment.count > 0 { counts.tracedWords += 1 }
            if segment.interpolated { counts.interpolatedWords += 1 }
        }
        return DecodedRecord(
            key: narrative.key, caption: narrative.caption, voiceRecording: narrative.voiceRecording,
            hasTraces: narrative.hasTraces, segmentCount: narrative.traces.segmentLengths.count, counts: counts,
            utterances: Packing.pack(narrative.utterances), words: Packing.pack(words),
            traces: Packing.pack(narrative.traces))
    }
}
