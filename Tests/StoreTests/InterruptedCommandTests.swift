import Embedding
import Foundation
import Support
import Testing

@testable import Store

/// Commands after ingest, killed (`kill -9`) or run again, end as an uninterrupted run does.
/// `script/kill-resume` does this for the whole pipeline at many kill times.
@Suite(.serialized) struct InterruptedCommandTests {
    /// Starts `arguments`, kills it after `delay` seconds if it still runs; true when it was killed.
    static func runKilled(_ arguments: [String], in dir: URL, after delay: Double, while check: () -> Void = {}) throws -> Bool {
        let binary = try #require(Fixture.executable)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        while process.isRunning, Date().timeIntervalSince(start) < delay { check() }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        if !killed { #expect(process.terminationStatus == 0) }
        return killed
    }

    /// `embed train` over an existing model: while it runs, and after it is killed at any
    /// moment, the model file is a whole model, the old one or the new one; never missing,
    /// never partial, and no temporary file stays once a run completes.
    @Test func embedTrainReplacesTheModelWholeWhenKilledAnyTime() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: RealVocabulary.directory, toPath: dir.appendingPathComponent("Vocab").path)
        func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try Fixture.run(arguments, in: dir) }
        #expect(try run(["scenes", "--out", "scenes", "--count", "40", "--seed", "3", "--classes", "20", "--quiet"]).status == 0)
        #expect(try run(["ingest", "--quiet", "scenes/narratives.jsonl"]).status == 0)
        #expect(try run(["vocab", "build", "--min-mentions", "3", "--quiet"]).status == 0)
        let train = ["embed", "train", "--epochs", "3", "--quiet", "--images", "scenes/images", "--pattern", "{id}.png"]
        let model = dir.appendingPathComponent("corpus.embedding").path
        #expect(try run(train + ["--seed", "2"]).status == 0)
        let new = try ModelFile.read(model)
        let started = Date()
        #expect(try run(train).status == 0)
        let duration = Date().timeIntervalSince(started)
        let old = try ModelFile.read(model)
        #expect(old != new)

        var reads = 0
        var rng = SplitMix64(seed: 7)
        for i in 0..<6 {
            let delay = duration * (Double(i) + rng.unit()) / 5
            _ = try Self.runKilled(train + ["--seed", "2"], in: dir, after: delay) {
                // Never missing, never partial.
                let read = try? ModelFile.read(model)
                #expect(read == old || read == new)
                reads += 1
            }
            let read = try ModelFile.read(model)
            #expect(read == old || read == new)
            try Data(ModelFile.encode(old)).write(to: URL(fileURLWithPath: model))
        }
        // The file was looked at while the runs went on (how often depends on the machine's
        // speed; at least once a run).
        #expect(reads >= 6, "\(reads) reads")
        #expect(try run(train + ["--seed", "2"]).status == 0)
        #expect(try ModelFile.read(model) == new)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty, "temporary files left: \(left)")
    }
}
