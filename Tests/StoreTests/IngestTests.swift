import Foundation
import Narratives
import Pipeline
import Support
import Testing

@testable import Store

/// Lines every real-world file may hold, valid or not, each tagged with what must happen to it.
let oddLines: [(line: String, rejectedField: String?)] = {
    var rng = SplitMix64(seed: 99)
    let base = Fixture.line(index: 5000, rng: &rng)
    let noTraces = base.replacing(#/, "traces": \[\[.*\]\]/#, with: "")
    // The second point of the first segment goes back in time.
    let second = base.ranges(of: #""t": "#)[1]
    let valueEnd = base[second.upperBound...].firstIndex(of: "}")!
    let backwards = base.replacingCharacters(in: second.upperBound..<valueEnd, with: "0.001")
    return [
        (noTraces.replacingOccurrences(of: "\"annotator_id\": 7", with: "\"annotator_id\": 8"), nil),
        (
            #"{"dataset_id": "coco", "image_id": "1", "annotator_id": 3, "caption": "A dog.", "timed_caption": [{"utterance": "a dog", "start_time": 0, "end_time": 0}], "traces": [], "extra": {"k": [1, "\u00e9"]}}"#,
            nil
        ),
        (String(base.prefix(300)), "truncated"),
        (base.replacingOccurrences(of: "\"annotator_id\": 7", with: "\"annotator_id\": \"7\""), "annotator_id"),
        (base.replacing(#/"caption": "[^"]*", /#, with: ""), "caption"),
        (base.replacing(#/"caption": "[^"]*"/#, with: #""caption": " ""#), "caption"),
        (base.replacing(#/"x": [0-9.-]+/#, with: #""x": NaN"#), "traces[0][0].x"),
        (base.replacing(#/"y": [0-9.-]+/#, with: #""y": 1e999"#), "traces[0][0].y"),
        (backwards, "traces[0][1].t"),
    ]
}()

@Suite struct IngestTests {
    func ingest(_ paths: [URL], into db: URL, options: IngestOptions = IngestOptions()) throws -> IngestReport {
        let files = try FileSystem.expandInputs(paths.map(\.path))
        return try Ingester(corpus: try Corpus(path: db.path), options: options).run(files)
    }

    @Test func countsReconcileAndEveryRejectionIsKeptWithItsBytes() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let valid = Fixture.lines(40)
        var lines = valid
        lines.insert(valid[3], at: 10)  // an exact duplicate
        lines.insert("   ", at: 20)  // a blank line
        lines += oddLines.map(\.line)
        let input = dir.appendingPathComponent("shard-00000.jsonl")
        try Fixture.write(lines, to: input)

        let report = try ingest([input], into: dir.appendingPathComponent("c.sqlite"))
        let c = report.counts
        let expectedRejected = oddLines.filter { $0.rejectedField != nil }.count
        #expect(c.read == lines.count - 1)
        #expect(c.blank == 1)
        #expect(c.duplicates == 1)
        #expect(c.rejected == expectedRejected)
        #expect(c.stored == 40 + 2)
        #expect(c.reconciles)
        #expect(c.untracedNarratives == 1)
        #expect(c.untimedUtterances >= 1)
        #expect(c.offImagePoints > 0)
        #expect(c.alignedWords > c.words * 8 / 10)

        let corpus = try Corpus(path: dir.appendingPathComponent("c.sqlite").path)
        let rejects = try corpus.rejects()
        #expect(rejects.count == expectedRejected)
        for (reject, expected) in zip(rejects, oddLines.filter { $0.rejectedField != nil }) {
            #expect(reject.raw == Array(expected.line.utf8))
            #expect(reject.path == input.path)
            if expected.rejectedField != "truncated" { #expect(reject.field == expected.rejectedField, "\(reject)") }
        }
        #expect(rejects.first?.line == 42 + 2 + 1)  // 42 lines, then two valid odd ones

        let rejectsPath = dir.appendingPathComponent("rejects.jsonl").path
        try RejectsFile.write(rejects, to: rejectsPath)
        let rawLines = try String(contentsOfFile: rejectsPath, encoding: .utf8).split(separator: "\n")
        #expect(rawLines.map(String.init) == oddLines.filter { $0.rejectedField != nil }.map(\.line))
        let table = try String(contentsOfFile: rejectsPath + ".tsv", encoding: .utf8).split(separator: "\n")
        #expect(table.count == expectedRejected + 1)
        #expect(table[2].contains("\tannotator_id\texpected a number, found a string"))
    }

    @Test func ingestingAgainAddsNothing() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("a.jsonl")
        try Fixture.write(Fixture.lines(30) + oddLines.map(\.line), to: input)
        let db = dir.appendingPathComponent("c.sqlite")
        let first = try ingest([input], into: db)
        let before = try Fixture.dump(db.path)

        let second = try ingest([input], into: db)
        #expect(second.sources.map(\.outcome) == [.alreadyComplete])
        #expect(second.thisRun.read == 0)
        #expect(second.counts == first.counts)
        #expect(try Fixture.dump(db.path) == before)

        // The same narratives under another name are read again, and all are duplicates.
        let copy = dir.appendingPathComponent("copy.jsonl.gz")
        try gzip(input, to: copy)
        let third = try ingest([copy], into: db)
        let r = third.thisRun
        #expect(r.duplicates == first.counts.stored)
        #expect(r.stored == 0)
        #expect(r.rejected == first.counts.rejected)
        #expect(r.reconciles)
        #expect(try Fixture.dump(db.path)["narratives"] == before["narratives"])
    }

    @Test func gzipPlainDirectoriesAndGlobsGiveTheSameCorpus() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let shards = dir.appendingPathComponent("shards")
        try FileManager.default.createDirectory(at: shards, withIntermediateDirectories: true)
        for k in 0..<3 {
            try Fixture.write(Fixture.lines(15, seed: UInt64(k + 1), from: 100 * k), to: shards.appendingPathComponent("s\(k).jsonl"))
        }
        let zipped = dir.appendingPathComponent("zipped")
        try FileManager.default.createDirectory(at: zipped, withIntermediateDirectories: true)
        for k in 0..<3 { try gzip(shards.appendingPathComponent("s\(k).jsonl"), to: zipped.appendingPathComponent("s\(k).jsonl.gz")) }

        var small = IngestOptions()
        small.batchLines = 4
        _ = try ingest([shards], into: dir.appendingPathComponent("plain.sqlite"))
        _ = try ingest([URL(fileURLWithPath: zipped.path + "/s*.jsonl.gz")], into: dir.appendingPathComponent("gz.sqlite"), options: small)
        let plain = try Fixture.dump(dir.appendingPathComponent("plain.sqlite").path)
        let gz = try Fixture.dump(dir.appendingPathComponent("gz.sqlite").path)
        #expect(plain["narratives"]?.count == 45)
        // Same rows apart from the source paths.
        #expect(plain["narratives"] == gz["narratives"])
        #expect(plain["sources"]?.map { Array($0[4...]) } != nil)
        #expect(plain["sources"]?.map { Array($0[5...]) } == gz["sources"]?.map { Array($0[5...]) })
    }

    /// `a.jsonl` in `dir`: `before` valid lines, every odd line that is rejected, then `after`
    /// valid lines drawn with `seed` and numbered from `from`; and the rejected lines.
    func inputWithRejects(in dir: URL, before: Int, after: Int, seed: UInt64, from: Int) throws -> (URL, [String]) {
        let input = dir.appendingPathComponent("a.jsonl")
        let bad = oddLines.filter { $0.rejectedField != nil }.map(\.line)
        try Fixture.write(Fixture.lines(before) + bad + Fixture.lines(after, seed: seed, from: from), to: input)
        return (input, bad)
    }

    /// A transaction holds several decoded batches; stopping inside one (at the error
    /// limit) commits what was stored, and the next run ends with the corpus one run gives.
    @Test func transactionsSpanningBatchesStopAndResumeToTheSameCorpus() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (input, bad) = try inputWithRejects(in: dir, before: 12, after: 12, seed: 5, from: 70)

        _ = try ingest([input], into: dir.appendingPathComponent("whole.sqlite"))
        var options = IngestOptions()
        options.batchBytes = 1  // one line a batch
        options.commitBytes = 20_000  // a few lines a transaction
        options.maxErrors = 2
        let db = dir.appendingPathComponent("parts.sqlite")
        var seen: [Int] = []
        let files = try FileSystem.expandInputs([input.path])
        let first = try Ingester(corpus: try Corpus(path: db.path), options: options).run(files, onReject: { seen.append($0.line) })
        #expect(first.stoppedAtErrorLimit)
        #expect(seen == [13, 14])  // rejects reach the caller once committed
        options.maxErrors = nil
        let rest = try Ingester(corpus: try Corpus(path: db.path), options: options).run(files, onReject: { seen.append($0.line) })
        #expect(rest.counts.reconciles)
        #expect(seen.count == bad.count)
        let whole = try Fixture.dump(dir.appendingPathComponent("whole.sqlite").path)
        let parts = try Fixture.dump(db.path)
        #expect(parts["narratives"] == whole["narratives"])
        #expect(parts["rejects"] == whole["rejects"])
        #expect(parts["sources"]?.map { Array($0[2...]) } == whole["sources"]?.map { Array($0[2...]) })
    }

    /// Commits every `commitBytes` of input, closer together near the end of a file (half of
    /// what remains, at least a batch), so the last transaction of a file is about a batch.
    @Test func commitsComeCloserTogetherNearTheEndOfAFile() {
        let options = IngestOptions()
        #expect(options.commitDue(remaining: 7 << 30) == 32 << 20)
        #expect(options.commitDue(remaining: 64 << 20) == 32 << 20)
        #expect(options.commitDue(remaining: 40 << 20) == 20 << 20)
        #expect(options.commitDue(remaining: 6 << 20) == 4 << 20)
        #expect(options.commitDue(remaining: 0) == 4 << 20)
        // Simulated: a 200 MB file read in 4 MB batches: 11 commits instead of 7, the last one batch.
        var pending = 0, commits: [Int] = []
        for end in stride(from: 4, through: 200, by: 4) {
            pending += 4 << 20
            if pending >= options.commitDue(remaining: Int64(200 - end) << 20) || end == 200 {
                commits.append(pending >> 20)
                pending = 0
            }
        }
        #expect(commits == [32, 32, 32, 32, 24, 16, 12, 8, 4, 4, 4])
    }

    /// Batches start at 256 KiB and double until `batchBytes`; near the end of a file they
    /// are a quarter of what remains (at least 256 KiB).
    @Test func batchesStartSmallAndShrinkNearTheEndOfAFile() {
        let options = IngestOptions()
        #expect(options.batchDue(read: 0, remaining: 7 << 30) == 256 << 10)
        #expect(options.batchDue(read: 256 << 10, remaining: 7 << 30) == 512 << 10)
        #expect(options.batchDue(read: 768 << 10, remaining: 7 << 30) == 1 << 20)
        #expect(options.batchDue(read: 100 << 20, remaining: 7 << 30) == 4 << 20)
        #expect(options.batchDue(read: 100 << 20, remaining: 8 << 20) == 2 << 20)
        #expect(options.batchDue(read: 100 << 20, remaining: 100 << 10) == 256 << 10)
        // Simulated: a 200 MB file, batch after batch.
        let size: Int64 = 200 << 20
        var read: Int64 = 0, batches: [Int64] = []
        while read < size {
            let batch = min(Int64(options.batchDue(read: read, remaining: size - read)), size - read)
            batches.append(batch)
            read += batch
        }
        #expect(batches.prefix(6).map { $0 >> 10 } == [256, 512, 1024, 2048, 4096, 4096])
        #expect(batches.suffix(3).allSatisfy { $0 <= 256 << 10 })
        #expect(batches.count == 63)  // 50 batches of 4 MiB would do, with a 4 MiB start and end
        #expect(batches.reduce(0, +) == size)

        var tiny = IngestOptions()
        tiny.batchBytes = 1  // one line a batch, as tests use
        #expect(tiny.batchDue(read: 0, remaining: 1 << 20) == 1)
    }

    /// However many decode workers and however the lines are cut into batches and shares,
    /// the corpus is the same, row for row, rejects and counters included.
    @Test(arguments: [(1, 1), (2, 3_000), (3, 64 << 10), (2, 4 << 20)] as [(Int, Int)])
    func workersAndBatchSizesDoNotChangeTheCorpus(workers: Int, batchBytes: Int) throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = Fixture.lines(90, seed: 11)
        lines.insert(lines[7], at: 40)  // a duplicate
        lines.insert("", at: 60)  // a blank line
        lines.insert(contentsOf: oddLines.map(\.line), at: 25)
        let input = dir.appendingPathComponent("a.jsonl")
        try Fixture.write(lines, to: input)

        _ = try ingest([input], into: dir.appendingPathComponent("reference.sqlite"))
        var options = IngestOptions()
        options.decodeWorkers = workers
        options.batchBytes = batchBytes
        let report = try ingest([input], into: dir.appendingPathComponent("c.sqlite"), options: options)
        #expect(report.counts.reconciles)
        #expect(report.counts.read == lines.count - 1)
        let reference = try Fixture.dump(dir.appendingPathComponent("reference.sqlite").path)
        let dump = try Fixture.dump(dir.appendingPathComponent("c.sqlite").path)
        #expect(dump["narratives"]?.count == 90 + 2)
        #expect(dump["narratives"] == reference["narratives"])
        #expect(dump["rejects"] == reference["rejects"])
        #expect(dump["sources"]?.map { Array($0[2...]) } == reference["sources"]?.map { Array($0[2...]) })
    }

    @Test func maxErrorsStopsAfterTheLimitAndTheNextRunContinues() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (input, bad) = try inputWithRejects(in: dir, before: 10, after: 10, seed: 7, from: 50)
        let db = dir.appendingPathComponent("c.sqlite")
        var options = IngestOptions()
        options.maxErrors = 3
        let first = try ingest([input], into: db, options: options)
        #expect(first.stoppedAtErrorLimit)
        #expect(first.counts.rejected == 3)
        #expect(first.counts.read == 13)
        #expect(first.sources[0].outcome == .stopped)

        let rest = try ingest([input], into: db)
        #expect(!rest.stoppedAtErrorLimit)
        #expect(rest.sources[0].outcome == .resumed)
        #expect(rest.counts.read == 20 + bad.count)
        #expect(rest.counts.rejected == bad.count)
        #expect(rest.counts.stored == 20)

        let once = dir.appendingPathComponent("once.sqlite")
        _ = try ingest([input], into: once)
        #expect(try Fixture.dump(db.path) == Fixture.dump(once.path))
    }

    /// Random byte edits, truncations and splices of valid lines: the reader never crashes,
    /// every line is accounted for, and what is stored decodes again.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func corruptedInputNeverCrashesAndCountsReconcile(seed: UInt64) throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SplitMix64(seed: seed)
        let valid = Fixture.lines(60, seed: seed).map { Array($0.utf8) }
        var corrupted: [[UInt8]] = []
        for (i, line) in valid.enumerated() {
            var bytes = line
            switch rng.below(4) {
            case 0:  // byte edits, including newlines, quotes and invalid UTF-8
                for _ in 0..<(1 + rng.below(4)) {
                    let choices: [UInt8] = [0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x30, 0x2D, 0x65, 0xFF, 0xC3, 0x00, 0x0A, 0x20]
                    bytes[rng.below(bytes.count)] = choices[rng.below(choices.count)]
                }
            case 1:  // truncation
                bytes = Array(bytes.prefix(rng.below(bytes.count)))
            case 2:  // splice: the head of this line and the tail of another
                let other = valid[(i + 1 + rng.below(valid.count - 1)) % valid.count]
                bytes = Array(bytes.prefix(rng.below(bytes.count))) + Array(other.suffix(rng.below(other.count)))
            default:
                break
            }
            corrupted.append(bytes)
        }
        var file: [UInt8] = []
        for line in corrupted { file += line + [0x0A] }
        let input = dir.appendingPathComponent("corrupt.jsonl")
        try Data(file).write(to: input)
        let physicalLines = file.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        let nonBlank = physicalLines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }.count

        let db = dir.appendingPathComponent("c.sqlite")
        let report = try ingest([input], into: db)
        let c = report.counts
        #expect(c.reconciles)
        #expect(c.read == nonBlank)
        #expect(c.read + c.blank == physicalLines.count)
        #expect(c.rejected > 0)
        let corpus = try Corpus(path: db.path)
        #expect(try corpus.rejects().count == c.rejected)
        #expect(try corpus.size().narratives == c.stored)
        #expect(try corpus.rejects().allSatisfy { !$0.reason.isEmpty })
    }

    @Test func aChangedFileIsRefusedRatherThanMixed() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("a.jsonl")
        try Fixture.write(Fixture.lines(5), to: input)
        let db = dir.appendingPathComponent("c.sqlite")
        _ = try ingest([input], into: db)
        try Fixture.write(Fixture.lines(6), to: input)
        #expect(throws: PointillistError.self) { try ingest([input], into: db) }
        // Only a file recorded as damaged may be replaced (HardeningTests); this one was not.
        #expect { _ = try ingest([input], into: db) } throws: { "\($0)".contains("this file changed") }
    }

    @Test func storedNarrativesReadBackWithTheirAlignment() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = Fixture.lines(3)
        let input = dir.appendingPathComponent("a.jsonl")
        try Fixture.write(lines, to: input)
        let db = dir.appendingPathComponent("c.sqlite")
        _ = try ingest([input], into: db)
        let original = try lines[1].utf8CString.withUnsafeBufferPointer { b in
            try NarrativeDecoder.decode(
                UnsafeBufferPointer(start: UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: UInt8.self), count: b.count - 1))
        }
        let stored = try Corpus(path: db.path).narratives(imageID: original.key.imageID)
        #expect(stored.count == 1)
        #expect(stored[0].narrative == original)
        #expect(stored[0].words == WordAligner.align(caption: original.caption, utterances: original.utterances))
        #expect(stored[0].sourceLine == 2)
        #expect(stored[0].text(of: stored[0].words[0]) == String(original.caption.prefix { $0 != " " }))
    }
}

func gzip(_ input: URL, to output: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -c '\(input.path)' > '\(output.path)'"]
    try process.run()
    process.waitUntilExit()
}
