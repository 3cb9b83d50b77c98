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
                majority. Yes and Unresolved points stop; so do points past --max-rounds or out of classes.
                """)

        @OptionGroup var corpus: CorpusOption

        @Option(name: .customLong("max-rounds"), help: "Rounds at most.")
        var maxRounds = NextRoundJob.defaultMaxRounds

        @Option(name: .customLong("min-answers"), help: "Decisive answers needed for Yes or No.")
        var minimumAnswers = AggregationRule().minimumAnswers

        @Flag(help: "Decide by majority instead of unanimity.")
        var majority = false

        func run() throws {
            let rule = AggregationRule(minimumAnswers: minimumAnswers, kind: majority ? .majority : .unanimous)
            let (labels, added) = try NextRoundJob(database: corpus.db, rule: rule, maxRounds: maxRounds).run()
            let counts = Dictionary(grouping: labels.values, by: { $0 }).mapValues(\.count)
            print("labels     Yes \(counts[.yes] ?? 0), No \(counts[.no] ?? 0), Unresolved \(counts[.unresolved] ?? 0) (questions with answers)")
            print("next round \(added.count) new questions")
        }
    }
}
