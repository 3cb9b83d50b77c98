import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Store
import Vocabulary

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
            let lex = try lexicon.loadLexicon()
            let decisions = try ReviewDecisions(sheet: sheet, lexicon: lex)
            let vocab = try lexicon.curationDirectory()
            let made = try decisions.apply(to: vocab)
            for e in made { print("\(vocab)/\(e.description)") }
            print("\(made.count) edit\(made.count == 1 ? "" : "s") applied (\(decisions.edits.count - made.count) already present)")
            // The edited files must still load.
            _ = try Curation(directory: vocab, lexicon: lex)
        }
    }
}
