import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Vocabulary

extension Pointillist.Questions {
    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "batch",
            abstract: "Write the questions not yet in a batch as numbered batch files (CSV and JSONL).",
            discussion: """
                Each question is replicated --replication times; questions of one class come in \
                contiguous blocks. A question goes into one batch only; batch numbers continue across runs.
                """)

        @OptionGroup var corpus: CorpusOption

        @Option(help: ArgumentHelp("Directory for batch-NNNNNN.csv / .jsonl.", valueName: "dir"))
        var out: String = "batches"

        @Option(help: "Answers wanted per question.")
        var replication = 3

        @Option(help: "Assignments (question × replica) per batch at most.")
        var size = 1000

        @Option(name: .customLong("image-url"), help: ArgumentHelp("How images are named in the files: {id} is the image id.", valueName: "pattern"))
        var imageURL = "{id}.jpg"

        @Option(
            name: .customLong("image-size"),
            help: ArgumentHelp("Width x height of the images, for pixel coordinates (generated scenes: 320x240).", valueName: "WxH"))
        var imageSize = "320x240"

        func run() throws {
            let parts = imageSize.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--image-size must look like 640x480") }
            guard replication >= 1, size >= 1 else { throw ValidationError("--replication and --size must be at least 1") }
            let store = try Corpus(path: corpus.db)
            let classes = Dictionary(uniqueKeysWithValues: try store.storedDictionary().classes.map { ($0.id, $0) })
            let pending = try store.questions(batch: .unbatched)
            guard !pending.isEmpty else {
                print("no questions waiting for a batch")
                return
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            var written = 0
            for batch in Batcher.batches(pending, options: BatchOptions(replication: replication, size: size)) {
                let number = try store.nextBatchNumber()
                let describe = { (q: Question) -> QuestionText in
                    let c = classes[q.classID]
                    return QuestionText(
                        imageURL: imageURL.replacingOccurrences(of: "{id}", with: q.imageID), className: c?.name ?? "class \(q.classID)",
                        gloss: c?.gloss ?? "", widthPixels: parts[0], heightPixels: parts[1])
                }
                let base = out + "/batch-" + String(format: "%06d", number)
                try FileSystem.writeAtomically(to: base + ".csv") { try $0.write(BatchFile.csv(batch, describe: describe)) }
                try FileSystem.writeAtomically(to: base + ".jsonl") { try $0.write(BatchFile.jsonl(batch, describe: describe)) }
                let ids = Array(Set(batch.map(\.question.id))).sorted()
                let round = batch.map(\.question.round).max() ?? 1
                let recorded = try store.recordBatch(
                    round: round, questions: ids, assignments: batch.count, csv: base + ".csv", jsonl: base + ".jsonl")
                print("batch \(recorded): \(ids.count) questions, \(batch.count) assignments → \(base).csv, .jsonl")
                written += 1
            }
            print("\(written) batch\(written == 1 ? "" : "es") written")
        }
    }
}
