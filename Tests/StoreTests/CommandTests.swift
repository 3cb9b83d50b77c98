import Foundation
import Support
import Testing

@testable import Store

/// The `pointillist` program as a user runs it.
@Suite(.serialized) struct CommandTests {
    @Test func killedIngestsResumeToTheSameCorpus() throws {
        let binary = try #require(Fixture.executable)
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = Fixture.lines(400)
        lines.insert(contentsOf: oddLines.map(\.line), at: 200)
        lines.insert(lines[10], at: 300)
        let input = dir.appendingPathComponent("shard.jsonl")
        try Fixture.write(lines, to: input)
        let gz = dir.appendingPathComponent("shard2.jsonl.gz")
        try Fixture.write(Fixture.lines(200, seed: 5, from: 1000), to: dir.appendingPathComponent("tmp.jsonl"))
        try gzip(dir.appendingPathComponent("tmp.jsonl"), to: gz)
        let arguments = ["ingest", "--quiet", "--batch-lines", "7", input.path, gz.path]

        try Fixture.run(arguments + ["--db", "reference.sqlite"], in: dir)
        let reference = try Fixture.dump(dir.appendingPathComponent("reference.sqlite").path)
        #expect(reference["narratives"]?.count == 400 + 2 + 200)

        var rng = SplitMix64(seed: 42)
        var kills = 0
        var finished = false
        for _ in 0..<40 {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments + ["--db", "killed.sqlite"]
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(5_000 + rng.below(60_000)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            if process.terminationReason == .exit {
                #expect(process.terminationStatus == 0)
                finished = true
                break
            }
        }
        if !finished { try Fixture.run(arguments + ["--db", "killed.sqlite"], in: dir) }
        #expect(kills >= 3, "the ingest was killed \(kills) times")
        let resumed = try Fixture.dump(dir.appendingPathComponent("killed.sqlite").path)
        for table in ["narratives", "rejects", "settings"] {
            #expect(resumed[table] == reference[table], "table \(table) differs")
        }
        // Source rows: identical once read to the end (ids, offsets, counts).
        #expect(resumed["sources"] == reference["sources"])
    }

    @Test func ingestPrintsAReconciledSummaryAndShowPrintsWords() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("a.jsonl")
        try Fixture.write(Fixture.lines(5) + oddLines.map(\.line), to: input)
        let result = try Fixture.run(["ingest", "--db", "c.sqlite", input.path], in: dir)
        #expect(result.status == 0)
        #expect(result.out.contains("lines read    14 = stored 7 + duplicates 0 + rejected 7  (reconciles)"))
        #expect(result.out.contains("rejected      7 lines → \(dir.path)/c.rejects.jsonl"))
        #expect(result.err.contains("rejected \(input.path):"))
        #expect(result.err.contains(": field annotator_id: expected a number, found a string"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.rejects.jsonl.tsv").path))

        var rng = SplitMix64(seed: 1)
        let first = Fixture.line(index: 0, rng: &rng)
        let imageID = try #require(first.firstMatch(of: #/"image_id": "([0-9a-f]+)"/#)?.1)
        let show = try Fixture.run(["show", "--db", "c.sqlite", String(imageID)], in: dir)
        #expect(show.status == 0)
        #expect(show.out.contains("open_images_train_v6/\(imageID)/7"))
        #expect(show.out.contains("word\toffset\tstart\tend\talignment\tpoints\tbox"))
        let rows = show.out.split(separator: "\n").filter { $0.contains("\texact\t") }
        #expect(rows.count > 10)
        let missing = try Fixture.run(["show", "--db", "c.sqlite", "nope"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.err.contains("no narrative of image nope"))
    }

    @Test func otherSegmentSettingsAreRefusedAndDamageExitsNonZero() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Fixture.write(Fixture.lines(30), to: dir.appendingPathComponent("a.jsonl"))
        #expect(try Fixture.run(["ingest", "--db", "c.sqlite", "--quiet", "--margin", "0.5", "a.jsonl"], in: dir).status == 0)
        let again = try Fixture.run(["ingest", "--db", "c.sqlite", "--quiet", "--margin", "0.3", "a.jsonl"], in: dir)
        #expect(again.status == 64)
        #expect(again.err.contains("--margin 0.5 --min-points 3 --out-of-image drop"), "\(again.err)")
        #expect(!again.err.contains("apply to this run"))
        #expect(try Fixture.run(["ingest", "--db", "c.sqlite", "--quiet", "--margin", "0.5", "a.jsonl"], in: dir).status == 0)

        try gzip(dir.appendingPathComponent("a.jsonl"), to: dir.appendingPathComponent("whole.gz"))
        let bytes = try Data(contentsOf: dir.appendingPathComponent("whole.gz"))
        try bytes.prefix(bytes.count / 2).write(to: dir.appendingPathComponent("cut.jsonl.gz"))
        try Fixture.write(Fixture.lines(5, seed: 9, from: 500), to: dir.appendingPathComponent("b.jsonl"))
        let damaged = try Fixture.run(["ingest", "--db", "d.sqlite", "--quiet", "cut.jsonl.gz", "b.jsonl"], in: dir)
        #expect(damaged.status == 4)
        #expect(damaged.out.contains("\tdamaged at compressed byte "), "\(damaged.out)")
        #expect(damaged.err.contains("truncated"))
        #expect(damaged.out.contains("b.jsonl\tingested\t5\t5"))
    }

    @Test func badInvocationsGiveClearErrors() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let noFile = try Fixture.run(["ingest", "--db", "c.sqlite", "missing.jsonl"], in: dir)
        #expect(noFile.status != 0)
        #expect(noFile.err.contains("missing.jsonl: no such file"))
        let noMatch = try Fixture.run(["ingest", "--db", "c.sqlite", "shards/*.jsonl.gz"], in: dir)
        #expect(noMatch.err.contains("pattern matches no file"))
        let badFlag = try Fixture.run(["ingest", "--max-errors", "0", "x"], in: dir)
        #expect(badFlag.err.contains("--max-errors must be at least 1"))
        let noCorpus = try Fixture.run(["show", "--db", "none.sqlite", "abc"], in: dir)
        #expect(noCorpus.err.contains("no corpus at none.sqlite"))
        let help = try Fixture.run(["ingest", "--help"], in: dir)
        #expect(help.out.contains("read = stored + duplicates + rejected"))

        // An output that is an input is refused before anything is written, by any spelling.
        let input = dir.appendingPathComponent("a.jsonl")
        try Fixture.write(Fixture.lines(3) + oddLines.map(\.line), to: input)
        let before = try Data(contentsOf: input)
        let overwrite = try Fixture.run(["ingest", "--db", "c.sqlite", "--rejects", "./a.jsonl", "a.jsonl"], in: dir)
        #expect(overwrite.status == 1)
        #expect(overwrite.err.contains("is the input file \(input.path)"), "\(overwrite.err)")
        #expect(try Data(contentsOf: input) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.sqlite").path))
        // A --db that is some other file is named as such.
        let notCorpus = try Fixture.run(["vocab", "build", "--db", "a.jsonl"], in: dir)
        #expect(notCorpus.status == 1 && notCorpus.err.contains("a.jsonl: not an SQLite database"), "\(notCorpus.err)")
        #expect(try Data(contentsOf: input) == before)
    }
}
