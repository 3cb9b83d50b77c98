import Foundation
import Narratives
import Pipeline
import Support
import Testing

@testable import Store

/// `pointillist shard` and the routing it enables: every line reaches exactly one shard with
/// its bytes and line number, and the shards' ingests together hold what one ingest holds.
@Suite(.serialized) struct ShardTests {
    struct Routed: Equatable {
        var shard: Int
        var file: Int
        var line: Int
        var bytes: [UInt8]
    }

    struct Records {
        var routed: [Routed] = []
        var rejected: [(file: Int, line: Int, reason: String)] = []
        /// The end records' fields after the kind.
        var ends: [[String]] = []
    }

    /// The records of `bytes`, as the driver splits them.
    static func parse(_ bytes: [UInt8]) -> Records {
        var records = Records()
        for record in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            let fields = record.split(separator: UInt8(ascii: "\t"), maxSplits: 4, omittingEmptySubsequences: false).map(Array.init)
            let text = fields.map { String(decoding: $0, as: UTF8.self) }
            switch text[0] {
            case "L": records.routed.append(Routed(shard: Int(text[1])!, file: Int(text[2])!, line: Int(text[3])!, bytes: fields[4]))
            case "R": records.rejected.append((Int(text[1])!, Int(text[2])!, text[3]))
            default:
                let fields = record.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).dropFirst()
                records.ends.append(fields.map { String(decoding: $0, as: UTF8.self) })
            }
        }
        return records
    }

    /// Runs the shard job in this process, its records written to a file.
    func shard(
        _ inputs: [URL], shards: Int, in dir: URL, maxLineBytes: Int = LineReader.defaultMaximumLineBytes
    ) throws -> (Records, [ShardJob.FileReport]) {
        let path = dir.appendingPathComponent("records-\(UUID().uuidString)").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var options = ShardJob.Options(inputs: inputs.map(\.path), sharding: Sharding(count: shards))
        options.maxLineBytes = maxLineBytes
        var sink = FileSink(descriptor: fd, path: path)
        let reports = try ShardJob(options: options).run(output: &sink)
        close(fd)
        return (Self.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path)))), reports)
    }

    /// The images a line's narratives are stored on, as ingest decodes it.
    static func images(of line: [UInt8]) -> [String] {
        line.withUnsafeBufferPointer { bytes in
            if let narrative = try? NarrativeDecoder.decode(bytes) { return [narrative.key.imageID] }
            if let video = try? VideoNarrativeDecoder.decode(bytes) { return video.keyframeNarratives().map(\.narrative.key.imageID) }
            return []
        }
    }

    /// LN lines (several annotators for some images), the Video LN sample, a malformed line, a
    /// line with CRLF, blank lines.
    static func mixedLines() -> [String] {
        var lines = Fixture.lines(90)
        var rng = SplitMix64(seed: 9)
        for index in stride(from: 0, to: 90, by: 7) { lines.append(Fixture.line(index: index, annotator: 8, rng: &rng)) }
        lines.insert(contentsOf: VidLNSample.lines, at: 40)
        lines.insert(#"{"dataset_id": "open_images", "image_id": 42}"#, at: 10)
        lines.insert("", at: 20)
        lines.insert("   ", at: 60)
        lines[30] += "\r"
        return lines
    }

    @Test func everyLineReachesOneShardWithItsBytesAndEveryImageStaysInOne() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = Self.mixedLines()
        let plain = dir.appendingPathComponent("mixed.jsonl")
        try Fixture.write(lines, to: plain)
        let (records, reports) = try shard([plain], shards: 3, in: dir)

        // Every non-blank line once, in order, with its line number and its exact bytes.
        let expected = lines.enumerated().filter { !$0.element.allSatisfy(\.isWhitespace) || $0.element.hasSuffix("\r") }
        #expect(records.routed.map(\.line) == expected.map { $0.offset + 1 })
        #expect(records.routed.map(\.bytes) == expected.map { Array($0.element.utf8) })
        #expect(reports[0].blank == 2 && reports[0].read == expected.count && records.rejected.isEmpty)
        #expect(records.ends == [["0", "\(expected.count)", "2", "0", "", plain.path]])

        // Every image's narratives, LN and VidLN keyframes alike, in one shard; all shards used.
        var shardsOf: [String: Set<Int>] = [:]
        for r in records.routed {
            for image in Self.images(of: r.bytes) { shardsOf[image, default: []].insert(r.shard) }
        }
        #expect(shardsOf.keys.contains { $0.contains("/") }, "the Video LN keyframes were decoded")
        #expect(shardsOf.count > 90 && shardsOf.values.allSatisfy { $0.count == 1 })
        #expect(Set(records.routed.map(\.shard)) == [0, 1, 2])

        // The same file gzipped, with a byte-order mark: the same records.
        let marked = dir.appendingPathComponent("marked.jsonl")
        try Data([0xEF, 0xBB, 0xBF] + Array(try Data(contentsOf: plain))).write(to: marked)
        let gz = dir.appendingPathComponent("mixed.jsonl.gz")
        try gzip(marked, to: gz)
        let (again, gzReports) = try shard([gz], shards: 3, in: dir)
        #expect(again.routed == records.routed)
        #expect(gzReports[0].byteOrderMark)
    }

    @Test func routedIngestsTogetherHoldWhatOneIngestHolds() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = Self.mixedLines()
        lines.append(lines[3])  // a duplicate narrative
        let input = dir.appendingPathComponent("mixed.jsonl")
        try Fixture.write(lines, to: input)
        #expect(try Fixture.run(["ingest", "--quiet", "--db", "direct.sqlite", input.path], in: dir).status == 0)

        let out = try Fixture.run(["shard", "--shards", "3", "--quiet", input.path], in: dir)
        #expect(out.status == 0)
        let records = Self.parse(Array(out.out.utf8))
        var narratives: [[SQLValue]] = []
        var rejects: [[SQLValue]] = []
        var counts = [Int64](repeating: 0, count: 4)
        for shard in 0..<3 {
            let routed = records.routed.filter { $0.shard == shard }
            let file = dir.appendingPathComponent("shard-\(shard).jsonl")
            try Data(routed.flatMap { $0.bytes + [0x0A] }).write(to: file)
            #expect(try Fixture.run(["ingest", "--quiet", "--db", "shard-\(shard).sqlite", file.path], in: dir).status == 0)
            let db = try Database(path: dir.appendingPathComponent("shard-\(shard).sqlite").path, readOnly: true)
            narratives += try Self.narrativeRows(db)
            // A shard's reject names its routed line; the routed record names the input's line.
            let stored = try db.prepare("SELECT line, field, reason FROM rejects ORDER BY line")
            while try stored.step() {
                rejects.append([.integer(Int64(routed[stored.int(0) - 1].line)), stored.value(1), stored.value(2)])
            }
            let c = try db.prepare("SELECT sum(read), sum(stored), sum(duplicates), sum(rejected) FROM sources")
            #expect(try c.step())
            for i in 0..<4 { counts[i] += c.int64(Int32(i)) }
        }
        let direct = try Database(path: dir.appendingPathComponent("direct.sqlite").path, readOnly: true)
        let directRejects = try direct.prepare("SELECT line, field, reason FROM rejects ORDER BY line")
        var expectedRejects: [[SQLValue]] = []
        while try directRejects.step() { expectedRejects.append([directRejects.value(0), directRejects.value(1), directRejects.value(2)]) }
        #expect(try Self.narrativeRows(direct).sorted(by: Self.before) == narratives.sorted(by: Self.before))
        #expect(rejects.sorted(by: Self.before) == expectedRejects && !expectedRejects.isEmpty)
        let d = try direct.prepare("SELECT sum(read), sum(stored), sum(duplicates), sum(rejected) FROM sources")
        #expect(try d.step())
        #expect(counts == (0..<4).map { d.int64(Int32($0)) })
        #expect(counts[2] == 1)
    }

    /// A narrative's stored content, without the columns that depend on where it was read.
    static func narrativeRows(_ db: Database) throws -> [[SQLValue]] {
        let rows = try db.prepare(
            """
            SELECT dataset_id, image_id, annotator_id, caption, voice_recording, word_count, aligned_word_count,
                   segment_count, point_count, has_traces, utterances, words, traces FROM narratives
            """)
        var all: [[SQLValue]] = []
        while try rows.step() { all.append((0..<rows.columnCount).map { rows.value($0) }) }
        return all
    }

    static func before(_ a: [SQLValue], _ b: [SQLValue]) -> Bool { "\(a)" < "\(b)" }

    @Test func overLongLinesAreRejectedWithTheirLineAndDamageIsReported() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = Fixture.lines(40)
        lines[5] = lines[5].replacingOccurrences(of: "in the background.", with: String(repeating: "and a dog ", count: 2000) + "in the background.")
        let input = dir.appendingPathComponent("long.jsonl")
        try Fixture.write(lines, to: input)
        let (records, reports) = try shard([input], shards: 4, in: dir, maxLineBytes: 16384)
        #expect(records.rejected.count == 1 && records.rejected[0].line == 6 && records.rejected[0].reason.contains("over the limit of 16384"))
        #expect(records.routed.count == 39 && reports[0].read == 40)

        // A truncated gzip file: the lines before the damage are routed and the command exits 4.
        let whole = dir.appendingPathComponent("whole.jsonl")
        try Fixture.write(Fixture.lines(400), to: whole)
        let gz = dir.appendingPathComponent("whole.jsonl.gz")
        try gzip(whole, to: gz)
        let bytes = try Data(contentsOf: gz)
        let cut = dir.appendingPathComponent("cut.jsonl.gz")
        try bytes.prefix(bytes.count * 2 / 3).write(to: cut)
        let out = try Fixture.run(["shard", "--shards", "4", "--quiet", cut.path], in: dir)
        #expect(out.status == 4)
        #expect(out.err.contains("damaged at compressed byte"))
        let routed = Self.parse(Array(out.out.utf8))
        let original = Fixture.lines(400)
        #expect(routed.routed.count > 100 && routed.routed.count < 400)
        #expect(routed.routed.allSatisfy { $0.bytes == Array(original[$0.line - 1].utf8) })
        #expect(routed.ends.count == 1 && routed.ends[0][4].hasPrefix("damaged at compressed byte"))
    }

    @Test func theShardOfAnImageNeverChanges() {
        // Fixed bits (StableHash): these values hold on every machine, run and version.
        let eight = Sharding(count: 8)
        #expect(eight.shard(ofKey: "0a0f9c7d2e1b3c44") == Self.pinned["0a0f9c7d2e1b3c44"])
        #expect(eight.shard(ofKey: "OVIS/1ab4f4cc") == Self.pinned["OVIS/1ab4f4cc"])
        #expect(Sharding(count: 1).shard(ofKey: "anything") == 0)
        // Roughly even over many images.
        var perShard = [Int](repeating: 0, count: 8)
        for i in 0..<8000 { perShard[eight.shard(ofKey: String(format: "%016llx", UInt64(i) &* 0x9E37_79B9_7F4A_7C15))] += 1 }
        #expect(perShard.allSatisfy { (850...1150).contains($0) }, "\(perShard)")
    }

    static let pinned = ["0a0f9c7d2e1b3c44": 1, "OVIS/1ab4f4cc": 7]
}
