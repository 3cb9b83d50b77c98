import ArgumentParser
import Pipeline

extension Pointillist.Vocab {
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Turn the decisions of an edited review sheet into edits of the Vocab/ files.",
            discussion: """
                decision column: drop (class → blocklist.tsv), keep (near-miss → includes.tsv), \
                sense:<sense> (senses.tsv), alias:<sense> (aliases.tsv), merge:<sense> (merges.tsv). \
                Every decision is checked before any file is written; applying twice changes nothing. \
                Rebuild the dictionary afterwards.
                """)

        @OptionGroup var lexicon: LexiconOptions

        @Argument(help: ArgumentHelp("The edited review.tsv.", valueName: "sheet"))
        var sheet: String

        func run() throws {
            let r = try ApplyJob(lexicon: lexicon.source, sheet: sheet).run()
            for e in r.made { print("\(r.curation)/\(e.description)") }
            print("\(r.made.count) edit\(r.made.count == 1 ? "" : "s") applied (\(r.alreadyPresent) already present)")
        }
    }
}
