import Foundation
import Questions
import Testing
import Vocabulary

@testable import Store

/// The question stage as a user runs it on generated scenes.
@Suite(.serialized) struct QuestionCommandTests {
    @Test func sampleBatchAnswerRoundsExportAndDraw() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: RealVocabulary.directory, toPath: dir.appendingPathComponent("Vocab").path)
        func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
            let r = try Fixture.run(arguments, in: dir)
            #expect(r.status == 0, "\(arguments): \(r.err)")
            return r
        }
        let images = ["--images", "scenes/images", "--pattern", "{id}.png"]
        _ = try run(["scenes", "--out", "scenes", "--count", "40", "--seed", "5", "--classes", "20", "--quiet"])
        _ = try run(["ingest", "--quiet", "scenes/narratives.jsonl"])
        let build = try run(["vocab", "build", "--min-mentions", "3", "--quiet"])
        // The MIDs: by Vocab/mids.tsv for the reviewed senses, by name for the rest; those without one named.
        let mapped = try #require(build.out.split(separator: "\n").first { $0.contains("mapped to Open Images MIDs") })
        #expect(mapped.contains("by mids.tsv") && mapped.contains("another lexicon's synsets"), "\(build.out)")
        _ = try run(["embed", "train", "--epochs", "3", "--quiet"] + images)

        let sample = try run(["questions", "sample", "--quiet"] + images)
        #expect(sample.out.contains("points     440 (11 per image)"))
        // Model candidates are on by default: the classifier adds candidates no narrative names.
        #expect(sample.out.contains("first-round questions stored (by source: "), "\(sample.out)")
        let candidates = try #require(sample.out.split(separator: "\n").first { $0.hasPrefix("candidates ") })
        #expect(candidates.contains(" model") && candidates.contains(" mention"), "\(sample.out)")
        let corpus = try Corpus(path: dir.appendingPathComponent("corpus.sqlite").path)
        let firstQuestions = try corpus.questions()
        #expect(firstQuestions.count == 440)
        // Sampling again adds nothing; the points are those of the sampler.
        #expect(try run(["questions", "sample", "--quiet"] + images).out.contains("0 sampled, 40 already sampled"))
        #expect(try corpus.questions() == firstQuestions)
        // Image-level label rows it cannot use are named with their line, as the report names them.
        let labelLines = try String(contentsOf: dir.appendingPathComponent("scenes/image-labels.csv"), encoding: .utf8)
        try (labelLines + "img,verification,/m/01g317,maybe\n").write(
            to: dir.appendingPathComponent("bad-labels.csv"), atomically: true, encoding: .utf8)
        let badLabels = try run(["questions", "sample", "--quiet", "--image-labels", "bad-labels.csv"] + images)
        #expect(badLabels.out.contains(", 1 rejected"), "\(badLabels.out)")
        #expect(badLabels.err.contains("bad-labels.csv:\(labelLines.split(separator: "\n").count + 1)"), "\(badLabels.err)")
        let some = try #require(firstQuestions.first)
        let expected = PointSampler.uniform(imageID: some.imageID, options: SamplingOptions())[some.pointIndex]
        #expect(abs(expected.x - some.x) < 1e-12 && abs(expected.y - some.y) < 1e-12)

        // A folder that cannot be made is named in the program's words, nothing recorded.
        let unwritable = try Fixture.run(["questions", "batch", "--out", "/proc/batches"], in: dir)
        #expect(
            unwritable.status == 1 && unwritable.err.contains("/proc/batches") && !unwritable.err.contains("NSCocoaErrorDomain"), "\(unwritable.err)")
        // Batches: every question once, numbered from 1, numbering continues later.
        _ = try run(["questions", "batch", "--size", "500", "--image-url", "scenes/images/{id}.png"])
        #expect(try run(["questions", "batch"]).out.contains("no questions waiting"))
        let batchRows = try String(contentsOf: dir.appendingPathComponent("batches/batch-000001.csv"), encoding: .utf8)
        #expect(batchRows.hasPrefix("question_id,replica,image_id"))
        // Pixel coordinates from each image's own size, recorded when it was sampled.
        #expect(try corpus.imageSizes().count == 40)
        #expect(try corpus.imageSizes().values.allSatisfy { $0 == ImageSize(width: 320, height: 240) })
        let firstRow = try #require(batchRows.split(separator: "\r\n").dropFirst().first).split(separator: ",")
        let (x, xPixels) = (try #require(Double(firstRow[4])), try #require(Int(firstRow[6])))
        #expect(xPixels == BatchFile.pixel(x, size: 320), "\(firstRow)")
        #expect(try corpus.questions(batch: .unbatched).isEmpty)

        // Answers: simulated from the masks; reconcile; importing the file again stores nothing
        // (no duplicate rejects either: a rerun ends as one run does); a copy is all duplicates.
        _ = try run(["questions", "simulate", "--masks", "scenes/masks", "--out", "a1.csv"])
        let imported = try run(["questions", "answers", "--quiet", "a1.csv"])
        #expect(imported.out.contains("read 1320 = accepted 1320 + rejected 0"))
        let once = try Fixture.dump(dir.appendingPathComponent("corpus.sqlite").path)
        #expect(try run(["questions", "answers", "--quiet", "a1.csv"]).out.contains("read 1320 = accepted 0 + rejected 0 + already imported 1320"))
        // The same file by another spelling is the same import.
        #expect(try run(["questions", "answers", "--quiet", "./a1.csv"]).out.contains("read 1320 = accepted 0 + rejected 0 + already imported 1320"))
        let twice = try Fixture.dump(dir.appendingPathComponent("corpus.sqlite").path)
        #expect(twice["answers"] == once["answers"] && twice["answer_rejects"] == once["answer_rejects"])
        try FileManager.default.copyItem(at: dir.appendingPathComponent("a1.csv"), to: dir.appendingPathComponent("a1-copy.csv"))
        #expect(try run(["questions", "answers", "--quiet", "a1-copy.csv"]).out.contains("read 1320 = accepted 0 + rejected 1320"))
        // Bad rows are rejected with their line, the good one kept.
        let q = firstQuestions[0].id, r = firstQuestions[1].id
        try
            "question_id,annotator_id,answer\nq0000000000000000,x,yes\n\(q),sim-1,maybe\n\(r),sim-1,\(try corpus.answers().first { $0.questionID == r && $0.annotatorID == "sim-1" }!.value == .yes ? "no" : "yes")\n\(q),new-annotator,yes\n"
            .write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try run(["questions", "answers", "bad.csv"])
        #expect(bad.out.contains("read 4 = accepted 1 + rejected 3"))
        #expect(bad.err.contains("bad.csv:2"))
        #expect(bad.err.contains("bad.csv:3"))
        #expect(bad.err.contains("bad.csv:4"))

        // A next round for the No points; its batch continues the numbering.
        let next = try run(["questions", "next"])
        #expect(next.out.contains("next round"))
        let added = try corpus.questions().filter { $0.round == 2 }
        #expect(!added.isEmpty)
        let before = Int(try corpus.database.scalar("SELECT count(*) FROM batches"))
        // Images sampled without a recorded size (an older corpus) need --image-size.
        try corpus.database.execute("DELETE FROM image_sizes")
        let unsized = try Fixture.run(["questions", "batch", "--size", "5000"], in: dir)
        #expect(unsized.status == 1 && unsized.err.contains("has no recorded size"), "\(unsized.err)")
        let secondBatch = try run(["questions", "batch", "--size", "5000", "--image-size", "320x240"])
        #expect(secondBatch.out.contains("batch \(before + 1): \(added.count) questions"))
        let numbers = try corpus.database.prepare("SELECT id FROM batches ORDER BY id")
        var ids: [Int] = []
        while try numbers.step() { ids.append(numbers.int(0)) }
        #expect(ids == Array(1...ids.count))

        // Export in the Open Images layout, by the rule the rounds were decided by; it parses back.
        let byRounds = try run(["questions", "export", "--out", "labels.csv"])
        #expect(byRounds.out.contains("unanimous, at least 2 decisive answers (the rule `questions next` decided its rounds by)"), "\(byRounds.out)")
        let exported = try String(contentsOf: dir.appendingPathComponent("labels.csv"), encoding: .utf8)
        #expect(exported.hasPrefix("ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel\n"))
        let rows = try PointLabelExport.parse(exported)
        #expect(rows.count > 400)
        #expect(PointLabelExport.csv(rows) == exported)
        // Rounds by majority are exported by majority unless another rule is asked for.
        #expect(try run(["questions", "next", "--majority"]).out.contains("rule       majority, at least 2 decisive answers"))
        #expect(try corpus.aggregationRule() == AggregationRule(minimumAnswers: 2, kind: .majority))
        let byMajority = try run(["questions", "export", "--out", "majority.csv"])
        #expect(byMajority.out.contains("majority, at least 2 decisive answers (the rule"), "\(byMajority.out)")
        let asked = try run(["questions", "export", "--out", "unanimous.csv", "--unanimous", "--min-answers", "3"])
        #expect(asked.out.contains("unanimous, at least 3 decisive answers (not the rule `questions next` recorded)"), "\(asked.out)")
        let zero = try Fixture.run(["questions", "export", "--min-answers", "0"], in: dir)
        #expect(zero.status != 0 && zero.err.contains("--min-answers must be at least 1"))

        // Pictures and the quality report.
        let render = try run(["render", some.imageID, "--out", "one.png"] + images)
        #expect(render.out.contains("11 points"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("one.png").path))
        _ = try run(["stats", "--out", "zipf.png"])
        let report = try run(["questions", "report", "--masks", "scenes/masks", "--quiet"] + images)
        #expect(report.out.contains("random image class"))
        #expect(report.out.contains("nearest trace point"))

        // The scenes' image-level labels: candidates no narrative names, M beside the mentions alone.
        let labelled = try run(
            ["questions", "report", "--masks", "scenes/masks", "--quiet", "--image-labels", "scenes/image-labels.csv", "--model-candidates", "0.9"]
                + images)
        func figure(_ prefix: String) -> Double? {
            labelled.out.split(separator: "\n").first { $0.hasPrefix(prefix) }
                .flatMap { $0.dropFirst(prefix.count).split(separator: " ").first.flatMap { Double($0.dropLast()) } }
        }
        let mentionsOnly = try #require(figure("M, mentions only"))
        let withLabels = try #require(figure("M, + image labels"))
        let withModel = try #require(figure("M, + model candidates (0.9)"))
        let both = try #require(figure("M, + labels and model (0.9)"))
        #expect(withLabels > mentionsOnly + 3 && withModel > mentionsOnly && both > mentionsOnly + 3, "\(labelled.out)")
        #expect(labelled.out.contains("(mentions alone: "))
        #expect(labelled.out.contains("0 rejected"))

        // A rebuild that drops classes the questions ask about says so; the dictionary file
        // keeps them as retired, and a class that comes back gets its own id again.
        let askedClasses = Set(try corpus.questions().map(\.classID))
        let dictionaryPath = dir.appendingPathComponent("corpus.dictionary.tsv").path
        let first = try DictionaryFile.ids(dictionaryPath)
        let rebuilt = try run(["vocab", "build", "--min-mentions", "100000", "--quiet"])
        #expect(rebuilt.err.contains("questions ask about \(askedClasses.count) classes this build no longer keeps"), "\(rebuilt.err)")
        #expect(try DictionaryFile.read(dictionaryPath).isEmpty)
        #expect(try DictionaryFile.retired(dictionaryPath).count == first.count)
        _ = try run(["vocab", "build", "--min-mentions", "3", "--quiet"])
        #expect(try DictionaryFile.ids(dictionaryPath) == first)
        #expect(try DictionaryFile.retired(dictionaryPath).isEmpty)
    }
}
