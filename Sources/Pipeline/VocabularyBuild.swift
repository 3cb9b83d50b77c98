import Lexicon
import Narratives
import Store
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
/// tables are replaced whole through `DictionaryTables`, whose `vocabulary` setting is
/// `building` until the last batch commits, then `complete`, so an interrupted build is
/// visible and a rerun starts it over and ends in the same state.
public struct VocabularyBuild: Sendable {
    public var extractor: MentionExtractor
    public var options: DictionaryOptions
    public var openImages: OpenImagesMapping?
    public var workers = 2
    public var batchSize = 2048

    public init(extractor: MentionExtractor, options: DictionaryOptions, openImages: OpenImagesMapping?) {
        self.extractor = extractor
        self.options = options
        self.openImages = openImages
    }

    public enum Phase: String, Sendable {
        case counting = "counting mentions"
        case writing = "writing mentions"
    }

    /// Runs the build. `previousIDs` (synset → id) keeps ids stable across rebuilds, and new
    /// classes are numbered above `idsUsedUpTo` too (ids of classes since dropped). With
    /// `counts` (the merged tallies of this corpus's shards, `vocab count`), the dictionary is
    /// decided from them instead of from a first pass over this corpus, which then holds one
    /// shard and stores the mentions of its own narratives. `progress` gets the phase,
    /// narratives done and the total.
    public func run(
        corpus: Corpus, previousIDs: [String: Int], idsUsedUpTo: Int = 0, counts: DictionaryTally? = nil,
        progress: ((Phase, Int, Int) -> Void)? = nil
    ) throws -> (ClassDictionary, VocabularyReport) {
        let tables = try DictionaryTables(corpus: corpus)
        defer { tables.finish() }
        var report = VocabularyReport()
        report.narratives = try tables.narrativeCount()
        let clock = ContinuousClock()
        let started = clock.now
        // Each worker keeps its memo from batch to batch and from the first pass to the second.
        let memos = Borrowed { ExtractionMemo() }

        let tally = try counts ?? countMentions(tables, total: report.narratives, memos: memos, progress: progress)
        let dictionary = ClassDictionary(
            tally: tally, extractor: extractor, options: options, previous: previousIDs, idsUsedUpTo: idsUsedUpTo, openImages: openImages)
        report.record(tally, dictionary)
        let counted = clock.now
        report.countingSeconds = (counted - started) / .seconds(1)

        try tables.replace(with: dictionary, settings: options)
        try writeMentions(tables, corpus: corpus, of: dictionary, total: report.narratives, memos: memos, progress: progress, report: &report)
        try tables.complete()
        report.writingSeconds = (clock.now - counted) / .seconds(1)
        return (dictionary, report)
    }

    /// Pass 1 alone: the tally of every caption's candidates (`vocab count`).
    public func count(corpus: Corpus, progress: ((Phase, Int, Int) -> Void)? = nil) throws -> DictionaryTally {
        let tables = try DictionaryTables(corpus: corpus)
        defer { tables.finish() }
        return try countMentions(tables, total: try tables.narrativeCount(), memos: Borrowed { ExtractionMemo() }, progress: progress)
    }

    /// Pass 1: every caption's candidates, counted. Workers extract one batch while this
    /// thread reads the next.
    func countMentions(
        _ tables: DictionaryTables, total: Int, memos: Borrowed<ExtractionMemo>, progress: ((Phase, Int, Int) -> Void)?
    ) throws -> DictionaryTally {
        var tally = DictionaryTally()
        var imageNumbers: [String: Int32] = [:]
        let (workers, extractor) = (self.workers, self.extractor)
        let counting = Progress(phase: .counting, total: total, report: progress)
        let batches = try tables.batches(geometry: false, size: batchSize)
        try pipelined(
            next: { () throws -> ([NarrativeText], [Int32])? in
                guard let rows = try batches.next() else { return nil }
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
                            t.add(
                                extractor.candidates(in: caption, memo: &memo), caption: caption, image: rows[i].image,
                                imageNumber: images[i])
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

    /// Pass 2: the mentions of the dictionary's classes, stored with their time spans and
    /// trace points. Workers unpack, extract and locate one batch while this thread stores
    /// the one before and reads the one after; each batch commits on its own.
    func writeMentions(
        _ tables: DictionaryTables, corpus: Corpus, of dictionary: ClassDictionary, total: Int, memos: Borrowed<ExtractionMemo>,
        progress: ((Phase, Int, Int) -> Void)?, report: inout VocabularyReport
    ) throws {
        let (workers, extractor) = (self.workers, self.extractor)
        var classIDs: [Int32: Int] = [:]
        for c in dictionary.classes {
            if let s = extractor.lexicon.synset(id: c.synset) { classIDs[s] = c.id }
        }
        let classOf = classIDs
        let segmenter = try corpus.segmenter()
        let writing = Progress(phase: .writing, total: total, report: progress)
        let batches = try tables.batches(geometry: true, size: batchSize)
        try pipelined(
            next: { try batches.next() },
            work: { rows in
                (
                    rows.count,
                    parallelMap(rows.count, workers: workers) { range in
                        memos.with { memo in
                            Swift.Result {
                                try MentionLocator.locate(
                                    in: rows[range], classOf: classOf, extractor: extractor, segmenter: segmenter, memo: &memo)
                            }
                        }
                    }
                )
            },
            consume: { count, shares in
                let mentions = try shares.flatMap { try $0.get() }
                try tables.store(mentions)
                for m in mentions {
                    report.mentions += 1
                    if m.pointCount > 0 { report.mentionsWithPoints += 1 }
                    report.points += m.pointCount
                }
                writing.done(count)
            })
    }

    /// Reports a pass's progress as batches are done.
    final class Progress {
        let phase: Phase
        let total: Int
        let report: ((Phase, Int, Int) -> Void)?
        var done = 0

        init(phase: Phase, total: Int, report: ((Phase, Int, Int) -> Void)?) {
            self.phase = phase
            self.total = total
            self.report = report
            report?(phase, 0, total)
        }

        /// `count` more narratives are done.
        func done(_ count: Int) {
            done += count
            report?(phase, done, total)
        }
    }
}

/// Locates the mentions of a batch of narratives in time and on the image, ready to store.
enum MentionLocator {
    /// The points blob of a mention without points, packed once.
    static let noPoints = Packing.pack(Traces())

    /// The mentions of the dictionary's classes in `rows`.
    static func locate(
        in rows: ArraySlice<NarrativeText>, classOf: [Int32: Int], extractor: MentionExtractor,
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
            wordCount: c.tokens.count, surface: c.surface, lemma: c.lemma, points: noPoints)
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
