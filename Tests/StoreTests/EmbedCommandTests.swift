import Foundation
import Testing

/// `pointillist scenes → ingest → vocab build → embed train/eval/show` as a user runs it.
@Suite(.serialized) struct EmbedCommandTests {
    @Test func theBenchmarkExecutableTrainsAndEmbeds() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // It used to stop on an index out of range: its points had no positions.
        let bench = try Fixture.run(
            ["--points", "3000", "--classes", "20", "--epochs", "1"], in: dir, executable: "pointillist-embed-bench")
        #expect(bench.status == 0, "\(bench.err)")
        #expect(bench.out.contains("training "))
        #expect(bench.out.contains("embedding "))
    }

    @Test func trainsEvaluatesAndShowsAModelOnGeneratedScenes() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: RealVocabulary.directory, toPath: dir.appendingPathComponent("Vocab").path)
        func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try Fixture.run(arguments, in: dir) }

        let scenes = try run(["scenes", "--out", "scenes", "--count", "60", "--seed", "3", "--classes", "20", "--quiet"])
        #expect(scenes.status == 0, "\(scenes.err)")
        #expect(try run(["ingest", "--quiet", "scenes/narratives.jsonl"]).status == 0)
        #expect(try run(["vocab", "build", "--min-mentions", "3", "--quiet"]).status == 0)

        let missing = try run(["embed", "train", "--images", "nowhere", "--quiet"])
        #expect(missing.status == 1)  // a missing input, not a usage error (64)
        #expect(missing.err.contains("nowhere: image directory not found"))

        let arguments = ["--images", "scenes/images", "--pattern", "{id}.png"]
        let train = try run(["embed", "train", "--epochs", "4", "--quiet"] + arguments)
        #expect(train.status == 0, "\(train.err)")
        #expect(train.out.contains("model      "))
        let model = dir.appendingPathComponent("corpus.embedding")
        let first = try Data(contentsOf: model)
        // The same inputs and seed give the same file.
        #expect(try run(["embed", "train", "--epochs", "4", "--quiet"] + arguments).status == 0)
        #expect(try Data(contentsOf: model) == first)

        let eval = try run(["embed", "eval", "--quiet", "--masks", "scenes/masks"] + arguments)
        #expect(eval.status == 0, "\(eval.err)")
        #expect(eval.out.contains("classifier   top-1"))
        #expect(eval.out.contains("ground truth"))
        let show = try run(["embed", "show", "corpus.embedding"])
        #expect(show.out.contains("format version 2"))
        #expect(show.out.contains("bank         "), "\(show.out)")
        #expect(!show.out.contains("bank         none"))
        #expect(show.out.contains("embedding 64"))

        // A damaged model file is refused with the reason.
        try first.prefix(first.count - 10).write(to: model)
        let damaged = try run(["embed", "show", "corpus.embedding"])
        #expect(damaged.status != 0)
        #expect(damaged.err.contains("truncated"))
    }
}
