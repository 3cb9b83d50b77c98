import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
import Questions
import Store
import Support
import Vocabulary

extension Pointillist.Questions {
    struct Answers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "answers",
            abstract: "Import annotators' answers (CSV or JSONL: question_id, annotator_id, answer yes/no/unsure, optional duration_seconds).",
            discussion: """
                Unknown question ids, duplicates, conflicting re-submissions and malformed rows are \
                reported with their line and kept aside in the corpus (answer_rejects); read = accepted + \
                rejected + already imported. Importing the same file again, after an interrupted run or a \
                finished one, stores nothing more: the lines its earlier import stored are counted as \
                already imported, not rejected again.
                """)

        @OptionGroup var corpus: CorpusOption

        @Argument(help: "Answer files.")
        var files: [String]

        @Flag(
            name: .customLong("skip-unknown"),
            help:
                "Count answers to questions this corpus does not hold as another shard's, instead of rejecting them (one shard of a corpus, given every shard's answers)."
        )
        var skipUnknown = false

        @Flag(help: "Print only the summary.")
        var quiet = false

        func run() throws {
            let job = try AnswersJob(database: corpus.db)
            for file in files {
                guard let text = String(validating: try FileSystem.readBytes(file), as: UTF8.self) else {
                    throw PointillistError(file: file, reason: "not valid UTF-8")
                }
                let r = try job.run(file: file, text: text, skipUnknown: skipUnknown)
                if !quiet { for reject in r.rejected.prefix(20) { Terminal.error(reject.description) } }
                print(
                    "\(file): read \(r.read) = accepted \(r.accepted) + rejected \(r.rejected.count)"
                        + (r.alreadyImported > 0 ? " + already imported \(r.alreadyImported)" : "")
                        + (skipUnknown ? " + other shards' \(r.elsewhere)" : ""))
            }
        }
    }
}
