import Foundation
import Narratives
import Testing

/// The commands of a corpus sharded by image, run as a user runs them, against the same
/// commands on the whole corpus: the same dictionary file and the same model file, byte for
/// byte; with the same answers, the same point labels.
@Suite(.serialized) struct ShardedPipelineTests {
    @Test func threeShardsTrainTheWholeCorpusModel() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: RealVocabulary.directory, toPath: dir.appendingPathComponent("Vocab").path)
        func run(_ arguments: [String]) throws {
            let done = try Fixture.run(arguments, in: dir)
            #expect(done.status == 0, "\(arguments.joined(separator: " ")): \(done.err)")
        }
        try run(["scenes", "--out", "scenes", "--count", "60", "--seed", "5", "--classes", "20", "--quiet"])
        let images = ["--images", "scenes/images", "--pattern", "{id}.png"]
        // Few points per class, so classes are subsampled and the sampling rule is exercised.
        let sampling = ["--points-per-class", "300"]
        let network = ["--epochs", "3"]

        // The whole corpus on one machine.
        try run(["ingest", "--quiet", "--db", "whole.sqlite", "scenes/narratives.jsonl"])
        try run(["vocab", "build", "--quiet", "--db", "whole.sqlite", "--dictionary", "whole.tsv", "--min-mentions", "3"])
        try run(["embed", "train", "--quiet", "--db", "whole.sqlite", "--model", "whole.embedding"] + images + sampling + network)

        // Three shards by image.
        let lines = try String(contentsOf: dir.appendingPathComponent("scenes/narratives.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let sharding = Sharding(count: 3)
        for k in 0..<3 {
            let part = lines.filter { line in Array(line.utf8).withUnsafeBufferPointer { sharding.shard(ofLine: $0) } == k }
            #expect(part.count > 5)
            try Fixture.write(part, to: dir.appendingPathComponent("shard-\(k).jsonl"))
            try run(["ingest", "--quiet", "--db", "shard-\(k).sqlite", "shard-\(k).jsonl"])
            try run(["vocab", "count", "--quiet", "--db", "shard-\(k).sqlite", "--out", "shard-\(k).counts"])
        }
        let counts = (0..<3).flatMap { ["--counts", "shard-\($0).counts"] }
        for k in 0..<3 {
            try run(["vocab", "build", "--quiet", "--db", "shard-\(k).sqlite", "--dictionary", "shard-\(k).tsv", "--min-mentions", "3"] + counts)
            #expect(try Data(contentsOf: dir.appendingPathComponent("shard-\(k).tsv")) == Data(contentsOf: dir.appendingPathComponent("whole.tsv")))
            try run(["embed", "count", "--db", "shard-\(k).sqlite", "--out", "shard-\(k).points.tsv"])
        }
        let classPoints = (0..<3).flatMap { ["--class-points", "shard-\($0).points.tsv"] }
        for k in 0..<3 {
            try run(["embed", "points", "--quiet", "--db", "shard-\(k).sqlite", "--out", "shard-\(k).points"] + images + sampling + classPoints)
        }
        try run(["embed", "fit", "--quiet", "--model", "sharded.embedding"] + (0..<3).map { "shard-\($0).points" } + network)
        let model = try Data(contentsOf: dir.appendingPathComponent("whole.embedding"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("sharded.embedding")) == model)

        // A round: the whole corpus's questions batched and answered by simulated annotators;
        // every shard gets all the answers and keeps those to its own questions.
        let sample = ["questions", "sample", "--quiet", "--images", "scenes/images", "--pattern", "{id}.png"]
        try run(sample + ["--db", "whole.sqlite", "--model", "whole.embedding"])
        try run(["questions", "batch", "--db", "whole.sqlite", "--out", "batches"])
        try run(["questions", "simulate", "--db", "whole.sqlite", "--masks", "scenes/masks", "--out", "answers.csv"])
        try run(["questions", "answers", "--quiet", "--db", "whole.sqlite", "answers.csv"])
        try run(["questions", "next", "--db", "whole.sqlite"])
        try run(["questions", "export", "--db", "whole.sqlite", "--out", "whole.csv"])
        var rows: [Substring] = []
        var accepted = 0
        for k in 0..<3 {
            let db = "shard-\(k).sqlite"
            try run(sample + ["--db", db, "--model", "sharded.embedding"])
            try run(["questions", "batch", "--db", db, "--out", "batches", "--prefix", "s\(k)-"])
            let imported = try Fixture.run(["questions", "answers", "--quiet", "--skip-unknown", "--db", db, "answers.csv"], in: dir)
            #expect(imported.out.contains("rejected 0 + other shards' "), "\(imported.out)")
            accepted += Int(imported.out.split(separator: " ")[5])!
            try run(["questions", "next", "--db", db])
            try run(["questions", "export", "--db", db, "--out", "shard-\(k).csv"])
            rows += try String(contentsOf: dir.appendingPathComponent("shard-\(k).csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        }
        let whole = try String(contentsOf: dir.appendingPathComponent("whole.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.sorted() == whole.sorted())
        #expect(whole.count > 300)
        let answerLines = try String(contentsOf: dir.appendingPathComponent("answers.csv"), encoding: .utf8).split(separator: "\n").count - 1
        #expect(accepted == answerLines)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("batches").path)
        #expect(files.contains("batch-000001.csv") && files.contains("s0-batch-000001.csv") && files.contains("s2-batch-000001.jsonl"))

        // Points made with other sampling do not mix.
        try run(["embed", "points", "--quiet", "--db", "shard-0.sqlite", "--out", "other.points", "--points-per-class", "900"] + images)
        let mixed = try Fixture.run(["embed", "fit", "--quiet", "--model", "mixed.embedding", "shard-1.points", "other.points"], in: dir)
        #expect(mixed.status != 0)
        #expect(mixed.err.contains("made with other classes, features or sampling"))
    }
}
