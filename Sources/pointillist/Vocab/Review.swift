import ArgumentParser
import Pipeline

extension Pointillist.Vocab {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Write the review sheet of the last build: <out>/review.tsv and <out>/review.html.",
            discussion: """
                One row per class (counts, gloss, why it passed each filter, ambiguity flag, concordance \
                lines from real captions) and per frequent near-miss (what filtered it out). Edit the \
                decision column of review.tsv, then run `pointillist vocab apply review.tsv`.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var lexicon: LexiconOptions

        @Option(help: ArgumentHelp("Directory for review.tsv and review.html.", valueName: "dir"))
        var out: String = "."

        @Option(name: .customLong("near-misses"), help: ArgumentHelp("How many of the most frequent near-misses to list.", valueName: "n"))
        var nearMisses = ReviewJob.Options.defaultNearMisses

        @Option(
            name: .customLong("min-mentions"),
            help: ArgumentHelp("The minimum shown in the reasons (default: the one the last build used, recorded in the corpus).", valueName: "n"))
        var minimumMentions: Int?

        func run() throws {
            var options = ReviewJob.Options(database: corpus.db, lexicon: lexicon.source, folder: out)
            options.nearMisses = nearMisses
            options.minimumMentions = minimumMentions
            let r = try ReviewJob(options: options).run()
            print("wrote \(r.tsv) (\(r.rows) rows) and \(r.html)")
        }
    }
}
