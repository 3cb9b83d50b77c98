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
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Aggregate the answers and add the next round: points answered No get their next-ranked class.",
            discussion: """
                Aggregation: unanimous (default; all non-unsure answers agree, at least --min-answers) or \
                majority. Yes and Unresolved points stop; so do points past --max-rounds or out of classes. \
                The rule is recorded in the corpus: later rounds and `questions export` use it unless told otherwise.
                """)

        @OptionGroup var corpus: CorpusOption

        @Option(name: .customLong("max-rounds"), help: "Rounds at most.")
        var maxRounds = NextRoundJob.defaultMaxRounds

        @OptionGroup var aggregation: AggregationOptions

        func validate() throws {
            guard maxRounds >= 1 else { throw ValidationError("--max-rounds must be at least 1") }
        }

        func run() throws {
            let (labels, added, rule) = try NextRoundJob(database: corpus.db, rule: aggregation.request, maxRounds: maxRounds).run()
            print("rule       \(AggregationOptions.describe(rule))")
            let counts = Dictionary(grouping: labels.values, by: { $0 }).mapValues(\.count)
            print("labels     Yes \(counts[.yes] ?? 0), No \(counts[.no] ?? 0), Unresolved \(counts[.unresolved] ?? 0) (questions with answers)")
            print("next round \(added.count) new questions")
        }
    }
}
