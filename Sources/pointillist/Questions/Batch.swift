import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
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
        var replication = BatchOptions().replication

        @Option(help: "Assignments (question × replica) per batch at most.")
        var size = BatchOptions().size

        @Option(name: .customLong("image-url"), help: ArgumentHelp("How images are named in the files: {id} is the image id.", valueName: "pattern"))
        var imageURL = "{id}.jpg"

        @Option(
            name: .customLong("image-size"),
            help: ArgumentHelp(
                "Width x height, for the pixel coordinates of images without a recorded size (sampled by an older version); `questions sample` records each image's own.",
                valueName: "WxH"))
        var imageSize: String?

        @Option(help: ArgumentHelp("Put before batch-NNNNNN in the files' names (one per shard of a corpus).", valueName: "text"))
        var prefix = ""

        func run() throws {
            let fallback = try imageSize.map { text in
                guard let s = ImageSize(parsing: text) else { throw ValidationError("--image-size must look like 640x480") }
                return s
            }
            guard replication >= 1, size >= 1 else { throw ValidationError("--replication and --size must be at least 1") }
            var options = BatchJob.Options(database: corpus.db, folder: out, imageURL: imageURL, imageSize: fallback)
            options.batches = BatchOptions(replication: replication, size: size)
            guard !prefix.contains("/") else { throw ValidationError("--prefix names files in --out: no '/'") }
            options.prefix = prefix
            let batches = try BatchJob(options: options).run { b in
                print("batch \(b.number): \(b.questions) questions, \(b.assignments) assignments → \(b.base).csv, .jsonl")
            }
            guard !batches.isEmpty else {
                print("no questions waiting for a batch")
                return
            }
            let written = batches.count
            print("\(written) batch\(written == 1 ? "" : "es") written")
        }
    }
}
