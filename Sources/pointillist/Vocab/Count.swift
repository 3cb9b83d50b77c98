import ArgumentParser
import Pipeline

extension Pointillist.Vocab {
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "count",
            abstract: "Count the corpus's mention candidates into a counts file, for a dictionary built over shards.",
            discussion: """
                The first pass of `vocab build` alone: every caption's candidates, counted per class \
                and per near-miss, with examples. Counts files of a corpus's shards (images split \
                between them, as `pointillist shard` does) merge into the tally of the whole corpus: \
                `vocab build --counts FILE...` decides the dictionary from them. The file is text, \
                one record per line, sorted (see ARCHITECTURE.md).
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var lexicon: LexiconOptions

        @Option(help: ArgumentHelp("The counts file to write.", valueName: "path"))
        var out: String

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            let extractor = try lexicon.source.loadExtractor()
            let bar = ProgressBar(enabled: !quiet)
            let tally = try CountJob(database: corpus.db, output: out, extractor: extractor).run { phase, n, total in
                bar.updateCount(done: n, total: total, label: phase.rawValue)
            }
            bar.finish()
            print("counted        \(tally.captions) captions: \(tally.candidates) candidates, \(tally.kept) passed the filters")
            print("wrote          \(out)")
        }
    }
}
