import Foundation
import Narratives
import Pipeline
import Support
import Testing

@testable import Store

/// Inputs from other tools and hostile ones: nothing is lost, nothing is misreported.
@Suite struct HardeningTests {
    func ingest(_ paths: [URL], into db: URL, options: IngestOptions = IngestOptions()) throws -> IngestReport {
        let files = try FileSystem.expandInputs(paths.map(\.path))
        return try Ingester(corpus: try Corpus(path: db.path), options: options).run(files)
    }

    /// A valid line whose key and caption are given (JSON string bodies, escapes allowed).
    func line(imageID: String, caption: String, annotator: String = "3", extra: String = "") -> String {
        #"{"dataset_id": "d", "image_id": "\#(imageID)", "annotator_id": \#(annotator), "caption": "\#(caption)", "timed_caption": [{"utterance": "a dog", "start_time": 1.0, "end_time": 1.5}], "traces": [[{"x": 0.5, "y": 0.5, "t": 1.2}]]\#(extra)}"#
    }

    // MARK: NUL characters

    @Test func stringsWithNULRoundTripWhole() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("nul.jsonl")
        try Fixture.write(
            [
                line(imageID: "only", caption: #"\u0000"#),
                line(imageID: "middle", caption: #"A dog\u0000 and a cat."#, extra: #", "voice_recording": "v\u0000.ogg""#),
                line(imageID: #"k\u0000one"#, caption: "One."),
                line(imageID: #"k\u0000two"#, caption: "Two."),
            ], to: input)
        let db = dir.appendingPathComponent("c.sqlite")
        let report = try ingest([input], into: db)
        #expect(report.counts.stored == 4)
        #expect(report.counts.duplicates == 0)
        let corpus = try Corpus(path: db.path)
        #expect(try corpus.narratives(imageID: "only").map(\.narrative.caption) == ["\u{0}"])
        let middle = try #require(try corpus.narratives(imageID: "middle").first)
        #expect(middle.narrative.caption == "A dog\u{0} and a cat.")
        #expect(middle.narrative.voiceRecording == "v\u{0}.ogg")
        #expect(middle.words == WordAligner.align(caption: middle.narrative.caption, utterances: middle.narrative.utterances))
        #expect(try corpus.narratives(imageID: "k\u{0}one").map(\.narrative.caption) == ["One."])
        #expect(try corpus.narratives(imageID: "k\u{0}two").map(\.narrative.caption) == ["Two."])
        #expect(try corpus.narratives(imageID: "k").isEmpty)
    }

    // MARK: Corrupt stored blobs

    @Test func aCorruptStoredBlobIsReportedWithTheDatabase() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("one.jsonl")
        try Fixture.write([line(imageID: "img", caption: "A dog on the grass.")], to: input)
        let db = dir.appendingPathComponent("c.sqlite")
        #expect(try ingest([input], into: db).counts.stored == 1)
        let corpus = try Corpus(path: db.path)
        try corpus.database.execute("UPDATE narratives SET traces = x'0102'")
        do {
            _ = try corpus.narratives(imageID: "img")
            Issue.record("a corrupt traces blob was read")
        } catch let error as PointillistError {
            #expect(error.description == "reading \(db.path): corrupt traces blob")
        }
    }

    // MARK: Byte-order marks

    @Test func aByteOrderMarkIsSkippedAndCountedInPlainAndGzipFiles() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = Fixture.lines(5)
        let plain = dir.appendingPathComponent("bom.jsonl")
        try (Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\n") + "\n").utf8)).write(to: plain)
        let zipped = dir.appendingPathComponent("bom.jsonl.gz")
        try gzip(plain, to: zipped)
        for (name, file) in [("plain", plain), ("gzip", zipped)] {
            let report = try ingest([file], into: dir.appendingPathComponent("\(name).sqlite"))
            #expect(report.counts.stored == 5, "\(name)")
            #expect(report.counts.rejected == 0, "\(name)")
            #expect(report.counts.byteOrderMarks == 1, "\(name)")
            let corpus = try Corpus(path: dir.appendingPathComponent("\(name).sqlite").path)
            #expect(try corpus.sources().first?.counts.byteOrderMarks == 1)
            #expect(try corpus.narratives(imageID: String(format: "%016llx", UInt64(0))).first?.sourceLine == 1)
        }
        // A byte-order mark anywhere else is not skipped: it is part of a line.
        let late = dir.appendingPathComponent("late.jsonl")
        try Fixture.write([lines[0], "\u{FEFF}" + lines[1]], to: late)
        let report = try ingest([late], into: dir.appendingPathComponent("late.sqlite"))
        #expect(report.counts.rejected == 1)
        #expect(report.counts.byteOrderMarks == 0)
    }

    // MARK: Damaged gzip files

    /// 60 lines, gzip-compressed, and the same bytes cut at two thirds.
    func damagedFixture(in dir: URL) throws -> (whole: Data, cut: URL, lines: [String]) {
        let lines = Fixture.lines(60)
        let plain = dir.appendingPathComponent("a.jsonl")
        try Fixture.write(lines, to: plain)
        let whole = dir.appendingPathComponent("whole.jsonl.gz")
        try gzip(plain, to: whole)
        let bytes = try Data(contentsOf: whole)
        let cut = dir.appendingPathComponent("cut.jsonl.gz")
        try bytes.prefix(bytes.count * 2 / 3).write(to: cut)
        return (bytes, cut, lines)
    }

    /// How many whole lines the first `count` decompressed bytes of `lines` hold.
    func wholeLines(_ lines: [String], within count: Int64) -> Int {
        var end = 0, n = 0
        for line in lines {
            end += line.utf8.count + 1
            if end > count { break }
            n += 1
        }
        return n
    }

    @Test func aTruncatedGzipFileKeepsItsCompleteLinesAndTheRunGoesOn() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (whole, cut, lines) = try damagedFixture(in: dir)
        let after = dir.appendingPathComponent("after.jsonl")
        try Fixture.write(Fixture.lines(10, seed: 7, from: 1000), to: after)
        let db = dir.appendingPathComponent("c.sqlite")

        let report = try ingest([cut, after], into: db)
        let damaged = try #require(report.sources.first)
        #expect(damaged.outcome == .damaged)
        let damage = try #require(damaged.damage)
        #expect(damage.reason.contains("truncated"))
        #expect(damage.compressedOffset <= Int64(whole.count * 2 / 3))
        let expected = wholeLines(lines, within: damage.decompressedOffset)
        #expect(expected > 20)
        #expect(damaged.counts.stored == expected)
        #expect(damaged.counts.reconciles)
        #expect(report.sources[1].outcome == .ingested)
        #expect(report.sources[1].counts.stored == 10)
        let source = try #require(try Corpus(path: db.path).sources().first)
        #expect(!source.complete)
        #expect(source.damage?.contains("truncated") == true)

        // The repaired file continues after the last stored line and completes the corpus.
        try whole.write(to: cut)
        let again = try ingest([cut, after], into: db)
        #expect(again.sources[0].outcome == .resumed)
        #expect(again.sources[0].thisRun.stored == 60 - expected)
        #expect(again.sources[0].counts.stored == 60)
        #expect(again.damaged.isEmpty)
        let repaired = try #require(try Corpus(path: db.path).sources().first)
        #expect(repaired.complete && repaired.damage == nil)

        let reference = dir.appendingPathComponent("reference.sqlite")
        _ = try ingest([cut, after], into: reference)
        // The same narratives, from the same lines (row ids differ: the other file came between).
        func rows(_ path: URL) throws -> [[SQLValue]] {
            try Fixture.dump(path.path)["narratives"]!.map { Array($0.dropFirst()) }.sorted { "\($0)" < "\($1)" }
        }
        #expect(try rows(db) == rows(reference))
    }

    @Test func corruptCompressedBytesAreReportedWithTheirPosition() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (whole, cut, lines) = try damagedFixture(in: dir)
        var bytes = whole
        for i in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[i] ^= 0x5A }
        try bytes.write(to: cut)
        let report = try ingest([cut], into: dir.appendingPathComponent("c.sqlite"))
        let source = try #require(report.sources.first)
        #expect(source.outcome == .damaged)
        let damage = try #require(source.damage)
        #expect(damage.compressedOffset >= Int64(whole.count / 2))
        // Bytes decompressed from the damaged part before zlib notices are not trusted
        // lines: at most the lines wholly before the damage were read, and the ones before
        // the flipped bytes were stored.
        #expect(source.counts.read <= wholeLines(lines, within: damage.decompressedOffset))
        #expect(source.counts.stored >= 20)
        #expect(source.counts.reconciles)
    }

    @Test func concatenatedGzipMembersReadAsOneFile() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.jsonl"), b = dir.appendingPathComponent("b.jsonl")
        try Fixture.write(Fixture.lines(20), to: a)
        try Fixture.write(Fixture.lines(20, seed: 3, from: 100), to: b)
        let za = dir.appendingPathComponent("a.gz"), zb = dir.appendingPathComponent("b.gz")
        try gzip(a, to: za)
        try gzip(b, to: zb)
        let joined = dir.appendingPathComponent("joined.jsonl.gz")
        try (Data(contentsOf: za) + Data(contentsOf: zb)).write(to: joined)
        let report = try ingest([joined], into: dir.appendingPathComponent("c.sqlite"))
        #expect(report.counts.stored == 40)
        #expect(report.damaged.isEmpty)
    }

    // MARK: Absurd values

    @Test func integersAndTimesOutsideTheirDomainAreRejectedWithTheField() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = line(imageID: "i", caption: "A dog.")
        let cases: [(String, String?)] = [
            (base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": 1e-999999"#), "annotator_id"),
            (base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": 4.9e-325"#), "annotator_id"),
            (base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": 0.5e-320"#), "annotator_id"),
            (base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": 3e0"#), "annotator_id"),
            (base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": -2"#), "annotator_id"),
            (base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": 9223372036854775808"#), "annotator_id"),
            (base.replacingOccurrences(of: #""start_time": 1.0"#, with: #""start_time": -1.0"#), "timed_caption[0].start_time"),
            (base.replacingOccurrences(of: #""end_time": 1.5"#, with: #""end_time": 1e300"#), "timed_caption[0].end_time"),
            (
                base.replacingOccurrences(
                    of: #"{"utterance": "a dog", "start_time": 1.0, "end_time": 1.5}"#,
                    with: #"{"end_time": 1.5, "utterance": "a dog", "start_time": -0.25}"#), "timed_caption[0].start_time"
            ),
            (base.replacingOccurrences(of: #""t": 1.2"#, with: #""t": -0.5"#), "traces[0][0].t"),
            (base.replacingOccurrences(of: #""t": 1.2"#, with: #""t": 1e9"#), "traces[0][0].t"),
            (
                base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": 93.0"#).replacingOccurrences(of: #""i""#, with: #""j""#),
                nil
            ),
            (
                base.replacingOccurrences(of: #""annotator_id": 3"#, with: #""annotator_id": 9223372036854775807"#).replacingOccurrences(
                    of: #""i""#, with: #""k""#), nil
            ),
        ]
        let input = dir.appendingPathComponent("absurd.jsonl")
        try Fixture.write(cases.map(\.0), to: input)
        let db = dir.appendingPathComponent("c.sqlite")
        let report = try ingest([input], into: db)
        #expect(report.counts.stored == 2)
        let rejects = try Corpus(path: db.path).rejects()
        #expect(rejects.map(\.field) == cases.compactMap(\.1))
        #expect(rejects[0].reason.contains("expected an integer, found 1e-999999"))
        #expect(rejects[6].reason.contains("-1.0") || rejects[6].reason.contains("time -1"))
        #expect(try Corpus(path: db.path).narratives(imageID: "j").first?.narrative.key.annotatorID == 93)
        #expect(try Corpus(path: db.path).narratives(imageID: "k").first?.narrative.key.annotatorID == Int64.max)
    }

    // MARK: Over-long lines

    @Test func linesOverTheLimitAreRejectedWithoutStoppingTheFile() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = line(imageID: "long", caption: String(repeating: "a dog ", count: 40_000))
        var lines = Fixture.lines(30)
        lines.insert(long, at: 10)
        lines.insert(long.replacingOccurrences(of: "long", with: "lon2"), at: 11)
        lines.append(long.replacingOccurrences(of: "long", with: "last"))
        let plain = dir.appendingPathComponent("long.jsonl")
        // The last line has no newline.
        try lines.joined(separator: "\n").write(to: plain, atomically: true, encoding: .utf8)
        let zipped = dir.appendingPathComponent("long.jsonl.gz")
        try gzip(plain, to: zipped)
        var options = IngestOptions()
        options.maxLineBytes = 64 << 10
        options.batchBytes = 16 << 10
        for (name, file) in [("plain", plain), ("gzip", zipped)] {
            let db = dir.appendingPathComponent("\(name).sqlite")
            let report = try ingest([file], into: db, options: options)
            #expect(report.counts.stored == 30, "\(name)")
            #expect(report.counts.rejected == 3, "\(name)")
            #expect(report.counts.reconciles)
            let rejects = try Corpus(path: db.path).rejects()
            #expect(rejects.map(\.line) == [11, 12, 33], "\(name)")
            #expect(rejects.allSatisfy { $0.reason.contains("\(long.utf8.count) bytes long") && $0.reason.contains("--max-line-bytes") })
            #expect(rejects.allSatisfy { $0.raw.count == LineReader.overlongPrefixBytes })
            #expect(rejects[0].raw == Array(long.utf8.prefix(LineReader.overlongPrefixBytes)))
            let source = try #require(try Corpus(path: db.path).sources().first)
            #expect(source.complete && source.lines == 33)
            // Nothing is added by a second run, and the line numbers after the long lines are right.
            #expect(try ingest([file], into: db, options: options).thisRun.read == 0)
            #expect(
                try Corpus(path: db.path).narratives(imageID: String(format: "%016llx", UInt64(10) &* 0x9E37_79B9_7F4A_7C15)).first?.sourceLine == 13)
        }
    }
}
